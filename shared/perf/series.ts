// A test's latency history: for each span name, one point per stored run (p50/p95/p99/mean of that
// span's durations in the run) and the change points of the chosen metric over those points. The
// shapes are zod schemas because they cross the IPC boundary (the studio's Performance view) as they
// are; `clnrm perf history` prints the same object. Pure: main/perf/history.ts gathers the durations.
import { z } from 'zod';
import { RunIdSchema } from '../run/records';
import { detectChangePoints } from './change-points';
import { summarize } from './stats';

export const SeriesMetricSchema = z.enum(['p50', 'p95', 'p99', 'mean']);
export type SeriesMetric = z.infer<typeof SeriesMetricSchema>;

const micros = z.number().nonnegative();

export const SeriesPointSchema = z.object({
  runId: RunIdSchema,
  /** Epoch ms when the run started. */
  at: z.number(),
  commit: z.string().optional(),
  /** Spans of this name in the run. */
  count: z.number().int().positive(),
  p50: micros,
  p95: micros,
  p99: micros,
  mean: micros,
});
export type SeriesPoint = z.infer<typeof SeriesPointSchema>;

export const SeriesChangePointSchema = z.object({
  /** Index (into `points`) of the first run of the new level. */
  index: z.number().int().positive(),
  /** The last run before the change and the first after it: what the view compares. */
  runBefore: RunIdSchema,
  runAfter: RunIdSchema,
  before: micros,
  after: micros,
  /** null when the level before is 0 (no finite ratio). */
  changePercent: z.number().nullable(),
  pValue: z.number().min(0).max(1),
});
export type SeriesChangePoint = z.infer<typeof SeriesChangePointSchema>;

export const SpanSeriesSchema = z.object({
  span: z.string(),
  metric: SeriesMetricSchema,
  /** Oldest run first. */
  points: z.array(SeriesPointSchema),
  changePoints: z.array(SeriesChangePointSchema),
  /**
   * The newest stored baseline's band for this span (µs; main/perf/history.ts): absent without one. The
   * view draws the band whenever it is present.
   */
  baseline: z.object({ p50: micros, p95: micros }).optional(),
});
export type SpanSeries = z.infer<typeof SpanSeriesSchema>;

export const PerfHistorySchema = z.object({
  testFile: z.string().optional(),
  testName: z.string().optional(),
  scenario: z.string().optional(),
  /** Runs read (newest ones, up to the limit asked for), including runs without the span. */
  runs: z.number().int().nonnegative(),
  /** Every span name seen in those runs, sorted. */
  spanNames: z.array(z.string()),
  series: z.array(SpanSeriesSchema),
});
export type PerfHistory = z.infer<typeof PerfHistorySchema>;

/** One stored run's durations (µs) of each span name, as main/perf/history.ts reads them. */
export interface RunDurations {
  readonly runId: string;
  readonly at: number;
  readonly commit?: string | undefined;
  readonly durations: ReadonlyMap<string, readonly number[]>;
}

function point(run: RunDurations, values: readonly number[]): SeriesPoint {
  const s = summarize(values);
  return { runId: run.runId, at: run.at, ...(run.commit !== undefined ? { commit: run.commit } : {}), count: s.count, p50: s.p50, p95: s.p95, p99: s.p99, mean: s.mean };
}

/** The series of one span name over `runs` (oldest first); runs without that span have no point. */
export function spanSeries(runs: readonly RunDurations[], span: string, metric: SeriesMetric): SpanSeries {
  const points: SeriesPoint[] = [];
  for (const run of runs) {
    const values = run.durations.get(span);
    if (values && values.length > 0) points.push(point(run, values));
  }
  const changePoints = detectChangePoints(points.map((p) => p[metric])).map((c) => ({
    index: c.index,
    runBefore: points[c.index - 1]!.runId,
    runAfter: points[c.index]!.runId,
    before: c.before,
    after: c.after,
    changePercent: Number.isFinite(c.changePercent) ? c.changePercent : null,
    pValue: c.pValue,
  }));
  return { span, metric, points, changePoints };
}

/** Every span name of the runs, sorted. */
export function spanNamesOf(runs: readonly RunDurations[]): string[] {
  const names = new Set<string>();
  for (const run of runs) for (const name of run.durations.keys()) names.add(name);
  return [...names].sort();
}
