// An experiment's traffic second by second while it runs (the Chaos view's live charts): for each second
// of the experiment's time axis, the requests that started in it, as the judge counts requests when an
// assertion names no span (root spans; only an ERROR status fails one), their errors, success rate and
// p95 (type 7, the judge's percentiles). Pure: main reads the spans' columns, the view merges the answers.
import type { StatusCode } from '../model';
import { percentiles } from '../perf/stats';
import { BUCKET_MS, succeeded, type Request } from './experiment-judge';

/** What a second's figures need of a request. */
export type TrafficSample = Pick<Request, 'root' | 'startMs' | 'durationMs' | 'ok'>;

export interface SecondStats {
  /** Whole seconds from the experiment's start: requests that started in [second, second + 1) s. */
  readonly second: number;
  readonly requests: number;
  readonly errors: number;
  /** 0–1; null for a second without requests. */
  readonly successRate: number | null;
  /** null for a second without requests. */
  readonly p95Ms: number | null;
}

/** A stored span's columns as a request on the experiment's axis (what `toRequests` makes of a whole span). */
export function trafficSample(row: { startUs: number; durationUs: number; statusCode: StatusCode; root: boolean }, experimentStartUs: number): TrafficSample {
  return { root: row.root, startMs: (row.startUs - experimentStartUs) / 1000, durationMs: row.durationUs / 1000, ok: succeeded(row.statusCode) };
}

/**
 * One entry per second in [fromSecond, toSecond), seconds without requests included (the chart leaves a
 * gap there). Requests that started before the experiment (a sender's clock behind ours) or outside the
 * range are not counted, as the judge leaves them out of every phase.
 */
export function secondStats(requests: readonly TrafficSample[], fromSecond: number, toSecond: number): SecondStats[] {
  const count = Math.max(0, toSecond - fromSecond);
  const durations: number[][] = Array.from({ length: count }, () => []);
  const errors = new Array<number>(count).fill(0);
  for (const r of requests) {
    if (!r.root || r.startMs < 0) continue;
    const i = Math.floor(r.startMs / BUCKET_MS) - fromSecond;
    if (i < 0 || i >= count) continue;
    durations[i]!.push(r.durationMs);
    if (!r.ok) errors[i]!++;
  }
  return durations.map((d, i) => ({
    second: fromSecond + i,
    requests: d.length,
    errors: errors[i]!,
    successRate: d.length === 0 ? null : (d.length - errors[i]!) / d.length,
    p95Ms: d.length === 0 ? null : percentiles(d, [95])[0]!,
  }));
}

/** `known` with `fresh` laid over it (a second asked again holds spans that arrived late), in second order. */
export function mergeSeconds(known: readonly SecondStats[], fresh: readonly SecondStats[]): SecondStats[] {
  const bySecond = new Map(known.map((s) => [s.second, s]));
  for (const s of fresh) bySecond.set(s.second, s);
  return [...bySecond.values()].sort((a, b) => a.second - b.second);
}

export interface LiveFigures {
  /** The newest second with requests. */
  readonly last?: SecondStats;
  /** The lowest success rate and the highest p95 of the seconds that overlap a fault window. */
  readonly minSuccessDuringChaos?: number;
  readonly maxP95DuringChaos?: number;
}

/** The numbers shown beside the charts; `faults` are windows in ms from the start (`endMs` undefined: still in). */
export function liveFigures(seconds: readonly SecondStats[], faults: readonly { startMs: number; endMs?: number }[]): LiveFigures {
  const withTraffic = seconds.filter((s) => s.requests > 0);
  const faulted = withTraffic.filter((s) => faults.some((f) => s.second * BUCKET_MS < (f.endMs ?? Infinity) && (s.second + 1) * BUCKET_MS > f.startMs));
  const last = withTraffic[withTraffic.length - 1];
  return {
    ...(last ? { last } : {}),
    ...(faulted.length > 0 ? { minSuccessDuringChaos: Math.min(...faulted.map((s) => s.successRate!)), maxP95DuringChaos: Math.max(...faulted.map((s) => s.p95Ms!)) } : {}),
  };
}
