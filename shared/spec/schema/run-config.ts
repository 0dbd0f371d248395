// Sections that tune a run rather than describe it: `[vars]`, `[matrix]`, `[determinism]`,
// `[limits]`, `[report]`, and the older `[assertions]` / `[otel_validation]` tables clnrm accepts.
import { z } from 'zod';
import { anyMap, bool, nonNegInt, num, positiveInt, shape, str, strArray } from './common';
import { cleanupPolicySchema } from './services';

export const varsSchema = anyMap('a table of variables like { svc = "api" }');

const matrixValue = z.union([z.string(), z.number(), z.boolean()], shape('a string, number or boolean'));
export const matrixSchema = z.record(
  z.string(),
  z.array(matrixValue, shape('an array of values like ["postgres:15", "postgres:16"]')).min(1, 'must list at least one value'),
  shape('a table of arrays like { db = ["postgres:15", "postgres:16"] }'),
);

export const determinismSchema = z.object(
  {
    seed: nonNegInt('a non-negative integer seed like 42').optional(),
    freeze_clock: str('an RFC 3339 timestamp like "2025-01-01T00:00:00Z"')
      .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 timestamp like "2025-01-01T00:00:00Z"')
      .optional(),
    /** Ours, not clnrm's: run each scenario this many times and compare trace hashes (absent: once). */
    iterations: positiveInt('a positive integer like 3').optional(),
    /** clnrm's (the v1.0.1 Rosetta files): attribute keys (or `*` globs) the trace hash and diff ignore, besides the built-in ids and times. */
    exclude_fields: strArray('an array of attribute keys like ["order.token", "*.uuid"]').optional(),
  },
  shape('a table like { seed = 42, freeze_clock = "2025-01-01T00:00:00Z" }'),
);

export const limitsSchema = z.object(
  {
    cpu_millicores: nonNegInt('an integer number of millicores like 500').optional(),
    memory_mb: nonNegInt('an integer number of megabytes like 512').optional(),
    /** Most containers one execution may start (services plus one-off step containers). */
    max_containers: positiveInt('a positive integer like 5').optional(),
    /** Bound on one execution, from service start to the last step (the tighter of this and timeouts wins). */
    max_duration_seconds: positiveInt('a positive integer number of seconds like 120').optional(),
  },
  shape('a table like { cpu_millicores = 500, memory_mb = 512 }'),
);

export const reportSchema = z.object(
  {
    json: str('a file path like "report.json"').optional(),
    junit: str('a file path like "junit.xml"').optional(),
    digest: str('a file path like "trace.sha256"').optional(),
    /** JSON of the engine's leakage checks after each execution's cleanup. */
    cleanup_verification: str('a file path like "cleanup.json"').optional(),
    /** JSON of the `[expect.isolation]` checks of each execution. */
    isolation_report: str('a file path like "isolation.json"').optional(),
  },
  shape('a table like { json = "report.json" }'),
);

const expectedSpanSchema = z.object(
  {
    name: str('a span name'),
    attributes: z.record(z.string(), z.unknown()).optional(),
    required: bool().optional(),
    min_duration_ms: num().optional(),
    max_duration_ms: num().optional(),
  },
  shape('a table like { name = "http.request" }'),
);

const expectedTraceSchema = z.object(
  {
    trace_id: str().optional(),
    span_names: strArray('an array of span names'),
    complete: bool().optional(),
    parent_child: z.array(z.array(z.string()), shape('an array of [parent, child] pairs')).optional(),
  },
  shape('a table like { span_names = ["a", "b"] }'),
);

/** clnrm's older `[otel_validation]` block; kept so those files validate. */
export const otelValidationSchema = z.object(
  {
    enabled: bool(),
    validate_spans: bool().optional(),
    validate_traces: bool().optional(),
    validate_exports: bool().optional(),
    validate_performance: bool().optional(),
    max_overhead_ms: num().optional(),
    expected_spans: z.array(expectedSpanSchema, shape('an array of tables [[otel_validation.expected_spans]]')).optional(),
    expected_traces: z.array(expectedTraceSchema, shape('an array of tables [[otel_validation.expected_traces]]')).optional(),
    expect_graph: anyMap().optional(),
    expect_counts: anyMap().optional(),
    expect_windows: z.array(anyMap()).optional(),
    expect_hermeticity: anyMap().optional(),
    expect_order: anyMap().optional(),
    expect_status: anyMap().optional(),
  },
  shape('a table like [otel_validation] with enabled = true'),
);

/** Free-form legacy assertions: a table, or (as some clnrm examples write) `[[assertions]]` tables. */
export const assertionsSchema = z.union([anyMap(), z.array(anyMap())], shape('a table [assertions] or tables [[assertions]]'));

/** `[template.vars]`, an older spelling of `[vars]` found in clnrm's template examples. */
export const templateSectionSchema = z.object({ vars: anyMap('a table of variables like { svc = "api" }').optional() }, shape('a table [template.vars]'));

/** `[cleanup]`: when each kind of Docker resource of an execution is removed (default "always"). */
export const cleanupSchema = z.object(
  {
    containers: cleanupPolicySchema.optional(),
    networks: cleanupPolicySchema.optional(),
    volumes: cleanupPolicySchema.optional(),
    /** The runner writes no artifact files besides `[report]` outputs; accepted with a warning. */
    artifacts: cleanupPolicySchema.optional(),
    /** After cleanup, check with the engine that nothing of the execution remains (as no_*_leakage). */
    verify_cleanup: bool().optional(),
    /** What to do on failure: clnrm files write "cleanup_and_report"; the report is always written. */
    on_failure: str('a string like "cleanup_and_report"').optional(),
  },
  shape('a table like { containers = "always", verify_cleanup = true }'),
);

export type CleanupSection = z.infer<typeof cleanupSchema>;
export type DeterminismSection = z.infer<typeof determinismSchema>;
export type LimitsSection = z.infer<typeof limitsSchema>;
export type ReportSection = z.infer<typeof reportSchema>;
