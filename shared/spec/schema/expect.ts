// zod schemas for the expectation tables of a `.clnrm.toml` file: the clnrm v1 `[expect]` families
// here; the v2 `[orchestration.temporal]` / `[orchestration.distributed_tracing]` layers in
// orchestration-constraints.ts; shared building blocks in expect-common.ts.
// Shapes follow clnrm's serde structs (crates/clnrm-core/src/config/otel.rs) and accept the extra
// forms real clnrm files use (documented beside each field). Objects are plain `z.object` on
// purpose: the test-file parser reports unknown keys by walking `.shape` (through unions too, see
// shared/spec/zod-walk.ts). Messages name the expected shape because they reach the user verbatim.
import { z } from 'zod';
import { attributeExpectationSchema, countBoundSchema, msBound, nonEmptyName, pairList, spanKindSchema, statusValueSchema, stringList, attributeValueSchema } from './expect-common';
import { crossServiceSchema } from './scenario';
import { resilienceSchema } from './chaos-experiment';
import { performanceExpectationSchema, regressionExpectationSchema } from './performance-expect';

// The building blocks and the v2 constraint schemas live beside this file; re-exported so callers
// keep one entry point for every expectation schema.
export * from './expect-common';
export * from './orchestration-constraints';
export * from './performance-expect';

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

const selfBoundSchema = z.object(
  { min: msBound.optional(), max: msBound.optional() },
  { error: 'self_ms must be a table like { max = 5 } (milliseconds of the span\'s own time, children excluded)' },
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
    /** Our extension: bounds on the span's self time (its duration minus the time its children cover). */
    self_ms: selfBoundSchema.optional(),
    /** Not in clnrm's struct but used by its example files: status of the matching span. */
    status: statusValueSchema.optional(),
    /** Not in clnrm's struct but used by its example files: how many spans must match (default: at least one). */
    count: countBoundSchema.optional(),
    /** Our extension: the rule passes when no span matches `name` (a conditional invariant: "when X happens, …"). */
    when_present: z.boolean({ error: 'when_present must be true or false' }).optional(),
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

export const windowExpectationSchema = z
  .object(
    {
      /** The span whose [start, end] is the window; without it the window is the whole trace. */
      outer: nonEmptyName('expect.window outer').optional(),
      /** Spans that must lie inside the window. */
      contains: stringList('expect.window contains').optional(),
      /** Bounds on each `outer` span's duration (or the whole trace's, without `outer`). */
      max_duration_ms: msBound.optional(),
      min_duration_ms: msBound.optional(),
      description: z.string().optional(),
    },
    { error: 'each [[expect.window]] must be a table like { outer = "a", contains = ["b"] } or { max_duration_ms = 5000 }' },
  )
  .refine((w) => w.contains === undefined || w.outer !== undefined, {
    error: 'expect.window contains needs outer = "<span name>" (the span the others must lie inside)',
    path: ['outer'],
  })
  .refine((w) => w.contains !== undefined || w.max_duration_ms !== undefined || w.min_duration_ms !== undefined, {
    error: 'expect.window needs contains = [...] (with outer) or a bound like max_duration_ms = 5000',
  });

export const orderExpectationSchema = z.object(
  {
    /** [first, second]: first must happen before second. */
    must_precede: pairList('must_precede').optional(),
    /** [first, second]: first must happen after second. */
    must_follow: pairList('must_follow').optional(),
    /** Our extension: like must_precede, but a pair passes when no span matches its second name. */
    must_precede_when_present: pairList('must_precede_when_present').optional(),
    /** Our extension: like must_precede, but a pair passes when no span matches either name. */
    must_precede_when_both_present: pairList('must_precede_when_both_present').optional(),
    /** Our extension: every span matching the second name has a sibling matching the first that ended before it started. */
    must_precede_sibling: pairList('must_precede_sibling').optional(),
    description: z.string().optional(),
  },
  { error: '[expect.order] must be a table with must_precede / must_follow / must_precede_when_present / must_precede_when_both_present / must_precede_sibling lists of pairs' },
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
    /** false: no span may have status ERROR; true: ERROR spans are exempt from `all` (counted in the result). */
    errors_allowed: z.boolean({ error: 'errors_allowed must be true or false' }).optional(),
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
    /** Checked against the engine after cleanup, not spans: no container / network / volume of the execution remains. */
    no_container_leakage: z.boolean({ error: 'no_container_leakage must be true or false' }).optional(),
    no_network_leakage: z.boolean({ error: 'no_network_leakage must be true or false' }).optional(),
    no_volume_leakage: z.boolean({ error: 'no_volume_leakage must be true or false' }).optional(),
    description: z.string().optional(),
  },
  { error: '[expect.hermeticity] must be a table' },
);

/** `[expect.isolation]`: checked against the engine by the runner (main/runner/isolation.ts). */
export const isolationExpectationSchema = z.object(
  {
    /** No container of this execution was seen in an earlier execution of the run. */
    unique_container_ids: z.boolean({ error: 'unique_container_ids must be true or false' }).optional(),
    /** No named volume, bind mount or volume survives the execution. */
    no_persistent_state: z.boolean({ error: 'no_persistent_state must be true or false' }).optional(),
    /** The execution's containers are attached only to its own network. */
    no_shared_networks: z.boolean({ error: 'no_shared_networks must be true or false' }).optional(),
    /** Every resource of the execution was removed (the three leakage checks). */
    cleanup_verified: z.boolean({ error: 'cleanup_verified must be true or false' }).optional(),
    description: z.string().optional(),
  },
  { error: '[expect.isolation] must be a table like { unique_container_ids = true }' },
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
    isolation: isolationExpectationSchema.optional(),
    /** Same as `[[scenario.expect.cross_service]]`, judged over every scenario's spans. */
    cross_service: z.array(crossServiceSchema, { error: 'expect.cross_service must be an array of tables [[expect.cross_service]]' }).optional(),
    /** The chaos layer's short form: judged over an experiment's phases (shared/chaos/experiment-plan.ts). */
    resilience: z
      .union([resilienceSchema, z.array(resilienceSchema)], { error: 'expect.resilience must be a table [expect.resilience] or an array of tables [[expect.resilience]]' })
      .optional(),
    /** The performance layer's (./performance-expect.ts), judged by the runner (main/perf/run-checks.ts). */
    performance: z.array(performanceExpectationSchema, { error: 'expect.performance must be an array of tables [[expect.performance]]' }).optional(),
    regression: z.array(regressionExpectationSchema, { error: 'expect.regression must be an array of tables [[expect.regression]]' }).optional(),
    /** clnrm's after-chaos checks (shared/chaos/expect-chaos.ts); keys without a check are named by validate. */
    chaos: z.record(z.string(), z.unknown(), { error: '[expect.chaos] must be a table' }).optional(),
  },
  { error: '[expect] must be a table' },
);

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
