// The Performance view's calls (shared/ipc/contract.ts): a test's history, two runs compared, a run's
// container resources and a trace's bottlenecks. Their answers are the performance layer's own shapes
// (shared/perf), declared here as zod so both sides check them.
import { z } from 'zod';
import { PerfHistorySchema, SeriesMetricSchema } from '../perf/series';
import { ContainerStatsRowSchema, RunIdSchema } from '../run/records';
import { SpanIdSchema, TraceIdSchema } from './span-schema';

/** Most container samples one run's answer carries (1 a second per service: over an hour of 10 services). */
export const MAX_RESOURCE_SAMPLES = 50_000;

const micros = z.number().nonnegative();

const SummarySchema = z.object({ count: z.number().int().positive(), mean: micros, stdDev: micros, min: micros, p50: micros, p95: micros, p99: micros, max: micros });

export const OperationDistributionSchema = z.object({
  name: z.string(),
  service: z.string(),
  before: SummarySchema,
  after: SummarySchema,
  medianChangePercent: z.number().nullable(),
  meanChangePercent: z.number().nullable(),
  pValue: z.number().min(0).max(1),
  /** Both runs' durations on one set of bins, so the two histograms line up. */
  edges: z.array(micros).min(2),
  beforeCounts: z.array(z.number().int().nonnegative()),
  afterCounts: z.array(z.number().int().nonnegative()),
});

const CriticalStepSchema = z.object({ spanId: SpanIdSchema, name: z.string(), service: z.string(), onPathUs: micros });
const OperationStatSchema = z.object({
  name: z.string(),
  service: z.string(),
  count: z.number().int().positive(),
  meanUs: micros,
  p95Us: micros,
  maxUs: micros,
  stdDevUs: micros,
  evidence: z.array(SpanIdSchema),
});

export const perfCalls = {
  /** A test file's latency per span name over its stored runs, with change points. */
  perfHistory: {
    request: z.object({
      path: z.string().min(1),
      scenario: z.string().min(1).optional(),
      span: z.string().min(1).optional(),
      metric: SeriesMetricSchema.default('p95'),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    response: PerfHistorySchema,
  },
  /** Two stored runs per operation (distributions side by side) and the operations only one of them has. */
  compareRuns: {
    request: z.object({ before: RunIdSchema, after: RunIdSchema, path: z.string().min(1).optional() }),
    response: z.object({ operations: z.array(OperationDistributionSchema), onlyBefore: z.array(z.string()), onlyAfter: z.array(z.string()) }),
  },
  /** A run's container CPU and memory samples, with the run's own time span to align them to. */
  runResources: {
    request: z.object({ runId: RunIdSchema }),
    response: z.object({
      runId: RunIdSchema,
      startedAt: z.number(),
      endedAt: z.number().optional(),
      samples: z.array(ContainerStatsRowSchema).max(MAX_RESOURCE_SAMPLES),
    }),
  },
  /** Where a stored trace's time goes: critical path, slowest and most variable operations, recommendations. */
  traceBottlenecks: {
    request: z.object({ traceId: TraceIdSchema, top: z.number().int().min(1).max(100).default(10) }),
    response: z.object({
      traceId: TraceIdSchema,
      durationUs: micros,
      criticalPath: z.array(CriticalStepSchema),
      slowest: z.array(OperationStatSchema),
      highestVariance: z.array(OperationStatSchema),
      recommendations: z.array(
        z.object({ kind: z.enum(['n-plus-one', 'parallelize', 'cache']), message: z.string(), savingUs: micros, evidence: z.array(SpanIdSchema) }),
      ),
    }),
  },
} as const;
