// zod schemas for the clnrm v2 constraint layers: `[orchestration.temporal]` and
// `[orchestration.distributed_tracing]` (checked by shared/expect/temporal.ts and distributed.ts).
// Plain `z.object`s, for the unknown-key walk (shared/spec/unknown-keys.ts).
import { z } from 'zod';
import { msBound, stringList } from './expect-common';

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

export type TemporalConfig = z.infer<typeof temporalSchema>;
export type TemporalConstraint = z.infer<typeof temporalConstraintSchema>;
export type DistributedTracingConfig = z.infer<typeof distributedTracingSchema>;
export type DistributedAssertion = z.infer<typeof distributedAssertionSchema>;
