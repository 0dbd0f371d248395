// A test's latency history from the store: the newest stored runs of a test file (or test name,
// optionally one scenario), each run's span durations per span name from the spans its executions of
// that test produced, and the series with change points (shared/perf/series.ts). `clnrm perf history`
// and the studio's Performance view both read it here.
import type { RunQuery } from '../../shared/run/records';
import { spanNamesOf, spanSeries, type PerfHistory, type RunDurations, type SeriesMetric } from '../../shared/perf/series';
import type { StoreAccess } from '../host/remote-store';
import type { RunHistoryEntry } from '../store';
import type { BaselineRecord } from '../../shared/perf/baseline';
import type { BaselineStore } from './baselines';
import { spansOfExecutions } from './run-spans';

export type HistoryStore = Pick<StoreAccess, 'listRuns' | 'listTraces' | 'getSpans'>;

export interface HistoryQuery {
  /** Absolute path of the test file; or `testName`, its `[meta] name`. */
  readonly testFile?: string | undefined;
  readonly testName?: string | undefined;
  readonly scenario?: string | undefined;
  /** One span name; all of them when absent. */
  readonly span?: string | undefined;
  readonly metric: SeriesMetric;
  /** Newest runs read. */
  readonly limit: number;
}

function executionsOfTest(entry: RunHistoryEntry, q: HistoryQuery): string[] {
  return entry.executions
    .filter((e) => (q.testFile !== undefined ? e.testFile === q.testFile : e.testName === q.testName))
    .filter((e) => q.scenario === undefined || e.scenario === q.scenario)
    .map((e) => e.id);
}

async function runDurations(store: HistoryStore, entry: RunHistoryEntry, q: HistoryQuery): Promise<RunDurations> {
  const durations = new Map<string, number[]>();
  for (const span of await spansOfExecutions(store, executionsOfTest(entry, q))) {
    let list = durations.get(span.name);
    if (!list) durations.set(span.name, (list = []));
    list.push(span.durationUs);
  }
  return { runId: entry.run.id, at: entry.run.startedAt, commit: entry.run.commit, durations };
}

/** Each of the newest runs of the test (oldest first) with its durations per span name. */
export async function readRunDurations(store: HistoryStore, q: HistoryQuery): Promise<RunDurations[]> {
  const filter: RunQuery = q.testFile !== undefined ? { testFile: q.testFile } : { testName: q.testName! };
  const entries = await store.listRuns({ ...filter, limit: q.limit });
  const out: RunDurations[] = [];
  // One run at a time: a long history must not hold every run's spans at once.
  for (const entry of entries.reverse()) out.push(await runDurations(store, entry, q));
  return out;
}

/** The newest baseline of the test (and scenario), when this store keeps baselines (a local one, or a running studio's). */
async function newestBaseline(store: HistoryStore, q: HistoryQuery): Promise<BaselineRecord | undefined> {
  if (!('listBaselines' in store)) return undefined;
  const list = await (store as HistoryStore & BaselineStore).listBaselines({ ...(q.testName !== undefined ? { testName: q.testName } : {}), ...(q.scenario !== undefined ? { scenario: q.scenario } : {}), limit: 100 });
  return list.find((b) => q.testFile === undefined || b.testFile === q.testFile);
}

export async function perfHistory(store: HistoryStore, q: HistoryQuery): Promise<PerfHistory> {
  if ((q.testFile === undefined) === (q.testName === undefined)) throw new TypeError('perfHistory: give either testFile or testName');
  const runs = await readRunDurations(store, q);
  const baseline = await newestBaseline(store, q);
  const spanNames = spanNamesOf(runs);
  const shown = q.span !== undefined ? [q.span] : spanNames;
  return {
    ...(q.testFile !== undefined ? { testFile: q.testFile } : { testName: q.testName! }),
    ...(q.scenario !== undefined ? { scenario: q.scenario } : {}),
    runs: runs.length,
    spanNames,
    series: shown.map((name) => {
      const band = baseline?.spans[name];
      // Baselines keep milliseconds; the series is in microseconds.
      return { ...spanSeries(runs, name, q.metric), ...(band ? { baseline: { p50: band.p50 * 1000, p95: band.p95 * 1000 } } : {}) };
    }),
  };
}
