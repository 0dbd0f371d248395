// Histories built from real demo runs for the regression-injection suite: bench/perf-record-demo.ts ran
// the demo system (cleanroom/demo) with DEMO_DB_DELAY_MS at 0 and at a few delays and kept, per run, the
// p50/p95 of db.query and of the request's root span (fixtures/demo-runs-*.json). A flat history draws
// every point from the delay-0 runs; a shifted one draws delay-0 runs of the same recording sessions up to
// the shift and delay-N runs after it. Draws are seeded and with replacement: the recording has tens of runs, the suite needs
// hundreds of histories (so a history keeps the runs' noise, not the order they ran in).
import { z } from 'zod';
import { mulberry32 } from '../random';
import { quantileSorted, sortedCopy } from './stats';

const Quantiles = z.object({ p50: z.number().nonnegative(), p95: z.number().nonnegative() });

export const DemoRunRecordSchema = z.object({
  /** One sitting of the recorder: its delays were interleaved with its own delay-0 runs, under the same load. */
  session: z.number().int().positive(),
  delayMs: z.number().int().nonnegative(),
  dbQuery: Quantiles,
  root: Quantiles,
});
export type DemoRunRecord = z.infer<typeof DemoRunRecordSchema>;

export const DemoRecordingSchema = z.object({
  recordedAt: z.string(),
  cores: z.number().int().positive(),
  /** The 1-minute load average after each run: its lowest and highest. */
  loadAverage: z.object({ min: z.number(), max: z.number() }),
  readsPerRun: z.number().int().positive(),
  delaysMs: z.array(z.number().int().positive()).min(1),
  runs: z.array(DemoRunRecordSchema).min(1),
});
export type DemoRecording = z.infer<typeof DemoRecordingSchema>;

/** Which per-run figure a history is made of (milliseconds): the span, then the percentile of its durations. */
export type DemoMetric = `${'dbQuery' | 'root'}.${'p50' | 'p95'}`;
export const DEMO_METRICS: readonly DemoMetric[] = ['dbQuery.p50', 'dbQuery.p95', 'root.p50', 'root.p95'];

export function demoFigure(run: DemoRunRecord, metric: DemoMetric): number {
  const [span, quantile] = metric.split('.') as ['dbQuery' | 'root', 'p50' | 'p95'];
  return run[span][quantile];
}

/**
 * The figure of every run recorded at `delayMs`, in recording order. Delay-0 runs come from the sessions
 * that recorded `withDelay` when given: a shift is measured against the load it was recorded under.
 */
export function demoPool(recording: DemoRecording, delayMs: number, metric: DemoMetric, withDelay?: number): number[] {
  const sessions = new Set(recording.runs.filter((r) => withDelay === undefined || r.delayMs === withDelay).map((r) => r.session));
  return recording.runs.filter((r) => r.delayMs === delayMs && sessions.has(r.session)).map((r) => demoFigure(r, metric));
}

/** The shift a delay made, as the medians of its runs and of its sessions' delay-0 runs measure it (0.1 = +10 %). */
export function measuredShift(recording: DemoRecording, delayMs: number, metric: DemoMetric): number {
  const median = (xs: number[]) => quantileSorted(sortedCopy(xs), 0.5);
  return median(demoPool(recording, delayMs, metric)) / median(demoPool(recording, 0, metric, delayMs)) - 1;
}

/** `length` points drawn from `before`, from `after` at and past `shiftAt` (when given). */
export function resampledHistory(before: readonly number[], after: readonly number[] | undefined, length: number, shiftAt: number, seed: number): Float64Array {
  if (before.length === 0 || after?.length === 0) throw new RangeError('resampledHistory: every pool needs at least one run');
  const uniform = mulberry32(seed);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const pool = after !== undefined && i >= shiftAt ? after : before;
    out[i] = pool[Math.floor(uniform() * pool.length)]!;
  }
  return out;
}
