// Where `clnrm suggest` gets its runs: trace files (each file is one run, in any format the importers
// read) or the trace store (each passed execution of the test file's last N runs is one run, with
// the system's spans only: the runner's own are no part of what the test file is about).
import { readFile } from 'node:fs/promises';
import { StudioError, toProblem } from '../../shared/errors';
import { parseTraceFile } from '../../shared/otlp';
import type { Problem } from '../../shared/errors';
import type { Span } from '../../shared/model';
import type { MiningRun } from '../../shared/intelligence';
import type { StoreAccess } from '../host/remote-store';
import type { ListTracesQuery } from '../store/queries';
import { RUNNER_SCOPE } from '../runner/self-trace';

export interface LoadedRuns {
  readonly runs: MiningRun[];
  readonly warnings: Problem[];
  /** What was left out and why (failed executions, empty ones). */
  readonly notes: string[];
}

/** One run per file; the run id is the path as given. */
export async function runsFromFiles(files: readonly { path: string; shown: string }[]): Promise<LoadedRuns> {
  const runs: MiningRun[] = [];
  const warnings: Problem[] = [];
  for (const { path, shown } of files) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new StudioError({ code: 'io.read', message: `cannot read the trace file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, file: shown });
    }
    try {
      const parsed = parseTraceFile(text, shown);
      warnings.push(...parsed.warnings);
      runs.push({ id: shown, spans: parsed.spans });
    } catch (error) {
      const p = toProblem(error);
      throw new StudioError(p.file ? p : { ...p, file: shown });
    }
  }
  return { runs, warnings, notes: [] };
}

const MAX_TRACES_PER_EXECUTION = 10_000;

/** A text tag the runner puts on every span's resource (`clnrm.run_id`, `clnrm.execution_id`). */
function resourceTag(span: Span, key: string): string | undefined {
  for (const a of span.resource.attributes) if (a.key === key && 'stringValue' in a.value) return a.value.stringValue;
  return undefined;
}

export const executionTag = (span: Span): string | undefined => resourceTag(span, 'clnrm.execution_id');
export const runTag = (span: Span): string | undefined => resourceTag(span, 'clnrm.run_id');

/** The system's spans of one stored execution (the runner's own left out). */
export async function executionSpans(store: StoreAccess, executionId: string): Promise<Span[]> {
  const { traces } = await store.listTraces({ executionId, limit: MAX_TRACES_PER_EXECUTION });
  return (await store.getSpans(traces.map((t) => t.traceId))).filter((s) => s.scope.name !== RUNNER_SCOPE && (executionTag(s) ?? executionId) === executionId);
}

/** The passed executions of `testFile` in its last `count` runs, newest run first. */
export async function runsFromStore(store: StoreAccess, testFile: string, count: number): Promise<LoadedRuns> {
  const history = await store.listRuns({ testFile, limit: count });
  const runs: MiningRun[] = [];
  const notes: string[] = [];
  let failed = 0;
  for (const { executions } of history) {
    for (const e of executions) {
      if (e.testFile !== testFile) continue;
      // A failed execution shows what the test is against: learning from it would teach the failure.
      if (e.verdict !== 'passed') {
        failed++;
        continue;
      }
      const spans = await executionSpans(store, e.id);
      if (spans.length === 0) notes.push(`execution ${e.id} has no stored spans of the system; left out`);
      else runs.push({ id: e.id, spans });
    }
  }
  if (failed) notes.push(`${failed} execution(s) that did not pass were left out (they would teach the failure)`);
  return { runs, warnings: [], notes };
}

export interface StoredRange {
  /** Traces that started from this time on / up to this time (µs since the epoch). */
  readonly sinceUs?: number;
  readonly untilUs?: number;
  /** Only traces with a span of this service. */
  readonly service?: string;
  /** Most traces to read, newest first. */
  readonly limit: number;
}

const TRACE_PAGE = 1000;

/** The newest `limit` traces of the range, their spans (the runner's own left out). */
async function spansInRange(store: StoreAccess, range: StoredRange): Promise<{ traces: number; spans: Span[] }> {
  const ids: string[] = [];
  for (let offset = 0; ids.length < range.limit; offset += TRACE_PAGE) {
    const query: ListTracesQuery = {
      ...(range.sinceUs !== undefined ? { since: range.sinceUs / 1000 } : {}),
      ...(range.untilUs !== undefined ? { until: range.untilUs / 1000 } : {}),
      ...(range.service !== undefined ? { service: range.service } : {}),
      exceptScope: RUNNER_SCOPE,
      sort: 'start',
      order: 'desc',
      limit: Math.min(TRACE_PAGE, range.limit - ids.length),
      offset,
    };
    const { traces } = await store.listTraces(query);
    ids.push(...traces.map((t) => t.traceId));
    if (traces.length < query.limit!) break;
  }
  return { traces: ids.length, spans: (await store.getSpans(ids)).filter((s) => s.scope.name !== RUNNER_SCOPE) };
}

/**
 * The store's traces in a time range: a test execution's spans make one run — the whole execution (also
 * its traces outside the range), passed ones only, as `--runs` takes them — and any other trace is a run
 * of its own.
 */
export async function runsFromStoredTraces(store: StoreAccess, range: StoredRange): Promise<LoadedRuns> {
  const { traces, spans } = await spansInRange(store, range);
  const executions = new Map<string, string | undefined>();
  const untagged = new Map<string, Span[]>();
  for (const s of spans) {
    const execution = executionTag(s);
    if (execution !== undefined) executions.set(execution, runTag(s));
    else (untagged.get(s.traceId) ?? untagged.set(s.traceId, []).get(s.traceId)!).push(s);
  }
  const runs: MiningRun[] = [];
  const notes: string[] = [];
  let failed = 0;
  const history = new Map<string, Awaited<ReturnType<StoreAccess['getRun']>>>();
  for (const [id, runId] of [...executions.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    // One run record per run, however many of its executions the range holds.
    if (runId !== undefined && !history.has(runId)) history.set(runId, await store.getRun(runId));
    const record = runId === undefined ? undefined : history.get(runId)?.executions.find((e) => e.id === id);
    if (record?.verdict !== 'passed') {
      failed++;
      continue;
    }
    runs.push({ id, spans: await executionSpans(store, id) });
  }
  for (const [traceId, list] of [...untagged.entries()].sort(([a], [b]) => a.localeCompare(b))) runs.push({ id: `trace:${traceId}`, spans: list });
  notes.push(`${traces} stored trace(s) in the range: ${executions.size - failed} passed test execution(s) and ${untagged.size} other trace(s), one run each`);
  if (failed) notes.push(`${failed} test execution(s) that did not pass (or are still running) were left out (they would teach the failure)`);
  return { runs, warnings: [], notes };
}
