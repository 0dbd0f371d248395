// Baselines: what one test's scenario looked like when it was good, per span name, so a later run can be
// compared with it (`[[expect.regression]]`, `[performance.regression.thresholds]`). A latency summary keeps
// count, percentiles, mean and standard deviation (enough for Welch's t-test exactly) and a bounded sample
// for the rank test: at most MAX_BASELINE_SAMPLES evenly spaced order statistics of the sorted durations (the
// whole sample when it is smaller), so a baseline of 100,000 spans stays a few kilobytes and keeps its
// distribution's shape. Beside it, the span name's throughput (./throughput.ts).
import { z } from 'zod';
import type { Span } from '../model';
import { RunEnvironmentSchema, RunIdSchema } from '../run/records';
import { mean, quantileSorted, sortedCopy, variance } from './stats';
import { pooledRate, ratesByName, type SpanRate } from './throughput';

export const MAX_BASELINE_SAMPLES = 200;

export const LatencySummarySchema = z.object({
  count: z.number().int().min(1),
  p50: z.number().nonnegative(),
  p95: z.number().nonnegative(),
  p99: z.number().nonnegative(),
  mean: z.number().nonnegative(),
  /** Sample standard deviation (n − 1); 0 for one value. */
  sd: z.number().nonnegative(),
  /** Milliseconds, ascending; every value when count ≤ MAX_BASELINE_SAMPLES. */
  samples: z.array(z.number().nonnegative()).min(1).max(MAX_BASELINE_SAMPLES),
});
/** Milliseconds throughout. */
export type LatencySummary = z.infer<typeof LatencySummarySchema>;

/** Spans of one name per second over their own window (./throughput.ts), executions pooled. */
export const ThroughputSummarySchema = z.object({
  count: z.number().int().min(2),
  windowMs: z.number().positive(),
  perSecond: z.number().positive(),
});

export const BaselineModeSchema = z.enum(['auto', 'manual']);

export const BaselineRecordSchema = z.object({
  id: RunIdSchema,
  /** A label the file or the user gave (`[performance] baseline_name`, `--name`); compare_to_baseline finds it. */
  name: z.string().min(1).max(200).optional(),
  testName: z.string().min(1),
  testFile: z.string(),
  scenario: z.string(),
  /** The test file's repository HEAD when it was captured. */
  commit: z.string().optional(),
  environment: RunEnvironmentSchema,
  /** The run its spans came from. */
  runId: RunIdSchema,
  executions: z.array(RunIdSchema).min(1),
  capturedAt: z.number(),
  mode: BaselineModeSchema,
  /** Span name → its latency summary. */
  spans: z.record(z.string(), LatencySummarySchema),
  /**
   * Span name → its throughput; a name is missing when no execution had 2 of its spans over more than 0 ms.
   * Absent on a baseline captured before baselines kept throughput (store schema 5 and older).
   */
  throughput: z.record(z.string(), ThroughputSummarySchema).optional(),
});
export type BaselineRecord = z.infer<typeof BaselineRecordSchema>;

/** Evenly spaced order statistics of a sorted sample: all of it when it is small enough. */
export function boundedSample(sorted: ArrayLike<number>, max = MAX_BASELINE_SAMPLES): number[] {
  if (sorted.length <= max) return Array.from(sorted);
  return Array.from({ length: max }, (_, i) => quantileSorted(sorted, i / (max - 1)));
}

export function summariseLatencies(durationsMs: ArrayLike<number>): LatencySummary | undefined {
  if (durationsMs.length === 0) return undefined;
  const sorted = sortedCopy(durationsMs);
  return {
    count: sorted.length,
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    mean: mean(sorted),
    sd: sorted.length < 2 ? 0 : Math.sqrt(variance(sorted)),
    samples: boundedSample(sorted),
  };
}

/** Durations in milliseconds per span name, in the order the spans come. */
export function latenciesByName(spans: readonly Span[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const span of spans) {
    let list = out.get(span.name);
    if (!list) out.set(span.name, (list = []));
    list.push(span.durationUs / 1000);
  }
  return out;
}

/** A summary per span name of these spans. */
export function summariseSpans(spans: readonly Span[]): Record<string, LatencySummary> {
  const out: Record<string, LatencySummary> = {};
  for (const [name, durations] of latenciesByName(spans)) out[name] = summariseLatencies(durations)!;
  return out;
}

/**
 * The throughput per span name of these executions' spans (each a list of one execution's spans): each
 * execution's rate over its own window, pooled across executions (counts and windows added).
 */
export function summariseThroughput(executions: ReadonlyArray<readonly Span[]>): Record<string, SpanRate> {
  const rates = new Map<string, SpanRate[]>();
  for (const spans of executions) {
    for (const [name, rate] of ratesByName(spans)) rates.set(name, [...(rates.get(name) ?? []), rate]);
  }
  const out: Record<string, SpanRate> = {};
  for (const [name, list] of [...rates].sort(([a], [b]) => a.localeCompare(b))) out[name] = pooledRate(list)!;
  return out;
}
