// zod schemas for the expectation tables of a `.clnrm.toml` file: the clnrm v1 `[expect]` families
// and the v2 `[orchestration.temporal]` / `[orchestration.distributed_tracing]` layers.
// Shapes follow clnrm's serde structs (crates/clnrm-core/src/config/otel.rs) and accept the extra
// forms real clnrm files use (documented beside each field). Objects are plain `z.object` on
// purpose: the test-file parser reports unknown keys by walking `.shape`; unions below are listed in
// `expectObjectSchemas` so that walk can reach every object. Messages name the expected shape because
// they reach the user verbatim.
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Small building blocks

const nonEmptyName = (what: string) =>
  z.string({ error: `${what} must be a string (a span name, "*" allowed as a glob)` }).min(1, {
    error: `${what} must not be empty`,
  });

/** OTLP status as clnrm writes it; case-insensitive ("ok" is accepted, evaluators upper-case it). */
export const statusValueSchema = z
  .string({ error: 'status must be one of "OK", "ERROR", "UNSET"' })
  .refine((s) => ['OK', 'ERROR', 'UNSET'].includes(s.toUpperCase()), {
    error: 'status must be one of "OK", "ERROR", "UNSET"',
  });

export const SPAN_KIND_NAMES = ['internal', 'server', 'client', 'producer', 'consumer', 'unspecified'] as const;
/** Span kind, case-insensitive (clnrm files write "internal"; OTLP dumps sometimes "SPAN_KIND_SERVER"). */
export const spanKindSchema = z
  .string({ error: `kind must be one of ${SPAN_KIND_NAMES.map((k) => `"${k}"`).join(', ')}` })
  .refine((s) => (SPAN_KIND_NAMES as readonly string[]).includes(s.toLowerCase().replace(/^span_kind_/, '')), {
    error: `kind must be one of ${SPAN_KIND_NAMES.map((k) => `"${k}"`).join(', ')}`,
  });

/** Attribute value in an expectation; compared with the span's value as text (`"200"` matches int 200). */
export const attributeValueSchema = z.union([z.string(), z.number(), z.boolean()], {
  error: 'attribute value must be a string, number or boolean',
});

/**
 * A comparison instead of a plain value, as clnrm's example files write it:
 * `{ exists = true }`, `{ gte = 2 }`, `{ contains = "timeout" }`. Every given condition must hold.
 */
export const attributeMatcherSchema = z
  .object(
    {
      eq: attributeValueSchema.optional(),
      ne: attributeValueSchema.optional(),
      gt: z.number().optional(),
      gte: z.number().optional(),
      lt: z.number().optional(),
      lte: z.number().optional(),
      exists: z.boolean().optional(),
      contains: z.string().optional(),
    },
    { error: 'an attribute condition must be a table like { exists = true }, { gte = 2 } or { contains = "x" }' },
  )
  .refine((m) => Object.values(m).some((v) => v !== undefined), {
    error: 'an attribute condition needs one of eq, ne, gt, gte, lt, lte, exists, contains',
  });

/**
 * What `attrs.all` / `attrs.any` accept per key: a value (compared as text), a list (the attribute
 * equals one of them, or — for an array attribute — contains all of them), or a condition table.
 */
export const attributeExpectationSchema = z.union([attributeValueSchema, z.array(attributeValueSchema), attributeMatcherSchema], {
  error: 'attribute expectation must be a value, a list of values, or a condition like { gte = 1 } / { exists = true }',
});

const count = z
  .number({ error: 'a count must be a whole number >= 0' })
  .int({ error: 'a count must be a whole number >= 0' })
  .min(0, { error: 'a count must be a whole number >= 0' });

/** `{ eq = 1 }`, `{ gte = 2, lte = 200 }` … at least one bound. */
export const countBoundSchema = z
  .object(
    { eq: count.optional(), gte: count.optional(), lte: count.optional() },
    { error: 'expected a count bound table like { eq = 1 } or { gte = 2, lte = 200 }' },
  )
  .refine((b) => b.eq !== undefined || b.gte !== undefined || b.lte !== undefined, {
    error: 'a count bound needs at least one of eq, gte, lte (e.g. { gte = 1 })',
  });

/** `["parent", "child"]` — exactly two non-empty names. */
const namePair = (what: string) =>
  z.tuple([nonEmptyName(`${what}[0]`), nonEmptyName(`${what}[1]`)], {
    error: `each ${what} entry must be a pair of span names like ["a", "b"]`,
  });
const pairList = (what: string) =>
  z.array(namePair(what), { error: `${what} must be a list of pairs like [["a", "b"], ["b", "c"]]` });

const stringList = (what: string) =>
  z.array(z.string({ error: `${what} entries must be strings` }), {
    error: `${what} must be a list of strings like ["a", "b"]`,
  });

const msBound = z.number({ error: 'milliseconds must be a number' }).min(0, { error: 'milliseconds must be >= 0' });

// ---------------------------------------------------------------------------------------------
// [[expect.span]]

export const spanAttrsSchema = z.object(
  {
    /** Every listed attribute must be present with that value. */
    all: z
      .record(z.string(), attributeExpectationSchema, {
        error: 'attrs.all must be a table of key = value, e.g. { "http.method" = "GET" }',
      })
      .optional(),
    /**
     * At least one listed attribute must match. Real files use three forms: a table of key = value,
     * a table of key = [alternatives], and a list of "key=value" strings.
     */
    any: z
      .union(
        [
          z.record(z.string(), attributeExpectationSchema),
          z.array(z.string().regex(/=/, { error: 'attrs.any list entries must look like "key=value"' })),
        ],
        { error: 'attrs.any must be a table of key = value (or key = [values]) or a list of "key=value" strings' },
      )
      .optional(),
  },
  { error: 'attrs must be a table like { all = { "k" = "v" }, any = { "k" = "v" } }' },
);

export const spanEventsSchema = z.object(
  {
    any: stringList('events.any').optional(),
    all: stringList('events.all').optional(),
  },
  { error: 'events must be a table like { any = ["name"], all = ["name"] }' },
);

export const durationBoundSchema = z.object(
  { min: msBound.optional(), max: msBound.optional() },
  { error: 'duration_ms must be a table like { min = 10, max = 5000 } (milliseconds)' },
);

export const spanExpectationSchema = z.object(
  {
    /** Exact span name, or a glob when it contains `*`. */
    name: nonEmptyName('expect.span name'),
    kind: spanKindSchema.optional(),
    /** Name of the parent span (exact, or glob with `*`). */
    parent: nonEmptyName('expect.span parent').optional(),
    attrs: spanAttrsSchema.optional(),
    events: spanEventsSchema.optional(),
    duration_ms: durationBoundSchema.optional(),
    /** Not in clnrm's struct but used by its example files: status of the matching span. */
    status: statusValueSchema.optional(),
    /** Not in clnrm's struct but used by its example files: how many spans must match (default: at least one). */
    count: countBoundSchema.optional(),
    /** Free text for humans; ignored by the engine. */
    description: z.string().optional(),
  },
  { error: 'each [[expect.span]] must be a table with at least name = "..."' },
);

// ---------------------------------------------------------------------------------------------
// [expect.graph], [expect.counts], [[expect.window]], [expect.order], [expect.status], [expect.hermeticity]

export const graphExpectationSchema = z.object(
  {
    /** Parent → child edges (by span name) that must exist. */
    must_include: pairList('must_include').optional(),
    /** Parent → child edges (by span name) that must not exist. */
    must_not_cross: pairList('must_not_cross').optional(),
    acyclic: z.boolean({ error: 'acyclic must be true or false' }).optional(),
    description: z.string().optional(),
  },
  { error: '[expect.graph] must be a table with must_include / must_not_cross / acyclic' },
);

export const countsExpectationSchema = z.object(
  {
    spans_total: countBoundSchema.optional(),
    events_total: countBoundSchema.optional(),
    errors_total: countBoundSchema.optional(),
    /** Span name (exact, or glob with `*`) → bound. */
    by_name: z
      .record(z.string(), countBoundSchema, {
        error: 'by_name must be a table of span name = { eq/gte/lte }, e.g. { "clnrm.run" = { eq = 1 } }',
      })
      .optional(),
    description: z.string().optional(),
  },
  { error: '[expect.counts] must be a table with spans_total / events_total / errors_total / by_name' },
);

export const windowExpectationSchema = z.object(
  {
    /** The span whose [start, end] is the window. */
    outer: nonEmptyName('expect.window outer'),
    /** Spans that must lie inside the window. */
    contains: stringList('expect.window contains'),
    description: z.string().optional(),
  },
  { error: 'each [[expect.window]] must be a table like { outer = "a", contains = ["b"] }' },
);

export const orderExpectationSchema = z.object(
  {
    /** [first, second]: first must happen before second. */
    must_precede: pairList('must_precede').optional(),
    /** [first, second]: first must happen after second. */
    must_follow: pairList('must_follow').optional(),
    description: z.string().optional(),
  },
  { error: '[expect.order] must be a table with must_precede / must_follow lists of pairs' },
);

export const statusExpectationSchema = z.object(
  {
    /** Every span must have this status. */
    all: statusValueSchema.optional(),
    /** Span name (glob with `*`) → status every matching span must have. */
    by_name: z
      .record(z.string(), statusValueSchema, {
        error: 'by_name must be a table of span name (globs allowed) = "OK" | "ERROR" | "UNSET"',
      })
      .optional(),
    description: z.string().optional(),
  },
  { error: '[expect.status] must be a table with all = "OK" and/or by_name = { "glob" = "OK" }' },
);

export const hermeticityExpectationSchema = z.object(
  {
    /** No span may point at a host outside the test (see SEMANTICS.md for the exact rule). */
    no_external_services: z.boolean({ error: 'no_external_services must be true or false' }).optional(),
    /** Extension: extra host names / glob patterns counted as inside the test. */
    allowed_hosts: stringList('allowed_hosts').optional(),
    resource_attrs: z
      .object(
        {
          must_match: z
            .record(z.string(), attributeValueSchema, {
              error: 'resource_attrs.must_match must be a table of key = value',
            })
            .optional(),
        },
        { error: 'resource_attrs must be a table like { must_match = { "service.name" = "api" } }' },
      )
      .optional(),
    span_attrs: z
      .object(
        { forbid_keys: stringList('span_attrs.forbid_keys').optional() },
        { error: 'span_attrs must be a table like { forbid_keys = ["net.peer.name"] }' },
      )
      .optional(),
    description: z.string().optional(),
  },
  { error: '[expect.hermeticity] must be a table' },
);

/** The whole `[expect]` table. span and window also accept a single table (`[expect.window]`), as real files do. */
export const expectSchema = z.object(
  {
    span: z
      .union([z.array(spanExpectationSchema), spanExpectationSchema], {
        error: 'expect.span must be an array of tables ([[expect.span]]) each with name = "..."',
      })
      .optional(),
    graph: graphExpectationSchema.optional(),
    counts: countsExpectationSchema.optional(),
    window: z
      .union([z.array(windowExpectationSchema), windowExpectationSchema], {
        error: 'expect.window must be an array of tables ([[expect.window]]) with outer and contains',
      })
      .optional(),
    order: orderExpectationSchema.optional(),
    status: statusExpectationSchema.optional(),
    hermeticity: hermeticityExpectationSchema.optional(),
  },
  { error: '[expect] must be a table' },
);

// ---------------------------------------------------------------------------------------------
// [orchestration.temporal] — clnrm v2 design (docs/architecture/hyper_advanced_framework.md).
// A list of `[[orchestration.temporal.constraint]]` tables discriminated by `type`. Span references
// are a span name, optionally written `span:NAME` as in the design document.

const spanRef = (what: string) =>
  z
    .string({ error: `${what} must be a span name (optionally "span:NAME")` })
    .regex(/^(span:)?.+$/, { error: `${what} must be a span name (optionally "span:NAME")` });

export const happensBeforeSchema = z.object({
  type: z.literal('happens_before'),
  first: spanRef('first'),
  second: spanRef('second'),
  /** Largest allowed gap between the end of `first` and the start of `second`. */
  max_gap_ms: msBound.optional(),
  description: z.string().optional(),
});

export const causalOrderingSchema = z.object({
  type: z.literal('causal_ordering'),
  /** Each span must be a descendant of the previous one (a causal chain), see SEMANTICS.md. */
  spans: z.array(spanRef('spans[]')).min(2, { error: 'causal_ordering needs at least two spans' }),
  description: z.string().optional(),
});

export const concurrentOverlapSchema = z.object({
  /** `concurrent` is the spelling used in clnrm's integration_patterns.md. */
  type: z.enum(['concurrent_overlap', 'concurrent']),
  spans: z.array(spanRef('spans[]')).min(2, { error: 'concurrent_overlap needs at least two spans' }),
  /** Smallest common overlap of all listed spans. Default 0 (they must merely intersect). */
  min_overlap_ms: msBound.optional(),
  description: z.string().optional(),
});

const percentileBound = z.object(
  { max_ms: msBound.optional(), min_ms: msBound.optional() },
  { error: 'a percentile bound must be a table like { max_ms = 200 }' },
);

export const latencyPercentilesSchema = z.object({
  type: z.literal('latency_percentiles'),
  /** Span name (glob with `*`) whose durations form the distribution. */
  span: spanRef('span'),
  p50: percentileBound.optional(),
  p90: percentileBound.optional(),
  p95: percentileBound.optional(),
  p99: percentileBound.optional(),
  description: z.string().optional(),
});

export const temporalConstraintSchema = z.discriminatedUnion(
  'type',
  [happensBeforeSchema, causalOrderingSchema, concurrentOverlapSchema, latencyPercentilesSchema],
  {
    error:
      'constraint type must be one of "happens_before", "causal_ordering", "concurrent_overlap", "latency_percentiles"',
  },
);

export const temporalSchema = z.object(
  {
    constraint: z
      .array(temporalConstraintSchema, {
        error: 'orchestration.temporal.constraint must be an array of tables ([[orchestration.temporal.constraint]])',
      })
      .optional(),
  },
  { error: '[orchestration.temporal] must be a table' },
);

// ---------------------------------------------------------------------------------------------
// [orchestration.distributed_tracing] — clnrm v2 design. `[[orchestration.distributed_tracing.assertion]]`
// tables discriminated by `type`.

export const contextPropagationSchema = z.object({
  type: z.literal('context_propagation'),
  /** A span's parent id never points at a span of another trace. */
  trace_id_consistent: z.boolean().optional(),
  /** "valid": every parent id resolves inside the trace and each trace has one root. */
  parent_child_relationship: z.literal('valid', { error: 'parent_child_relationship must be "valid"' }).optional(),
  /** Baggage keys (read as span attributes `KEY` or `baggage.KEY`) carried unchanged to every entry span. */
  baggage_preserved: stringList('baggage_preserved').optional(),
  description: z.string().optional(),
});

export const distributedTransactionSchema = z.object({
  type: z.literal('distributed_transaction'),
  root_span: spanRef('root_span'),
  /** Descendants every (successful) transaction must contain, starting in this order. */
  child_spans: z.array(spanRef('child_spans[]')).min(1, { error: 'child_spans needs at least one span name' }),
  /** When a transaction has an error, it must contain a rollback span instead of the full child list. */
  rollback_on_error: z.boolean().optional(),
  /** Name (glob) of the rollback span; default "*rollback*". */
  rollback_span: spanRef('rollback_span').optional(),
  description: z.string().optional(),
});

const servicePair = z.tuple([z.string().min(1), z.string().min(1)], {
  error: 'each edge must be a pair of service names like ["frontend", "api"]',
});

export const serviceTopologySchema = z.object({
  type: z.literal('service_topology'),
  /** [caller, callee] service pairs that must appear (a span of caller with a child span of callee). */
  expected_edges: z.array(servicePair).optional(),
  forbidden_edges: z.array(servicePair).optional(),
  description: z.string().optional(),
});

export const distributedAssertionSchema = z.discriminatedUnion(
  'type',
  [contextPropagationSchema, distributedTransactionSchema, serviceTopologySchema],
  {
    error: 'assertion type must be one of "context_propagation", "distributed_transaction", "service_topology"',
  },
);

export const distributedTracingSchema = z.object(
  {
    assertion: z
      .array(distributedAssertionSchema, {
        error:
          'orchestration.distributed_tracing.assertion must be an array of tables ([[orchestration.distributed_tracing.assertion]])',
      })
      .optional(),
  },
  { error: '[orchestration.distributed_tracing] must be a table' },
);

/**
 * Every object schema reachable through a union, keyed by the TOML path it validates, so the
 * test-file parser can check unknown keys without unwrapping unions itself.
 */
export const expectObjectSchemas = {
  'expect.span': spanExpectationSchema,
  'expect.window': windowExpectationSchema,
  'orchestration.temporal.constraint:happens_before': happensBeforeSchema,
  'orchestration.temporal.constraint:causal_ordering': causalOrderingSchema,
  'orchestration.temporal.constraint:concurrent_overlap': concurrentOverlapSchema,
  'orchestration.temporal.constraint:latency_percentiles': latencyPercentilesSchema,
  'orchestration.distributed_tracing.assertion:context_propagation': contextPropagationSchema,
  'orchestration.distributed_tracing.assertion:distributed_transaction': distributedTransactionSchema,
  'orchestration.distributed_tracing.assertion:service_topology': serviceTopologySchema,
} as const;

export type ExpectConfig = z.infer<typeof expectSchema>;
export type SpanExpectation = z.infer<typeof spanExpectationSchema>;
export type GraphExpectation = z.infer<typeof graphExpectationSchema>;
export type CountsExpectation = z.infer<typeof countsExpectationSchema>;
export type CountBound = z.infer<typeof countBoundSchema>;
export type AttributeExpectation = z.infer<typeof attributeExpectationSchema>;
export type WindowExpectation = z.infer<typeof windowExpectationSchema>;
export type OrderExpectation = z.infer<typeof orderExpectationSchema>;
export type StatusExpectation = z.infer<typeof statusExpectationSchema>;
export type HermeticityExpectation = z.infer<typeof hermeticityExpectationSchema>;
export type TemporalConfig = z.infer<typeof temporalSchema>;
export type TemporalConstraint = z.infer<typeof temporalConstraintSchema>;
export type DistributedTracingConfig = z.infer<typeof distributedTracingSchema>;
export type DistributedAssertion = z.infer<typeof distributedAssertionSchema>;
