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

export function executionTag(span: Span): string | undefined {
  for (const a of span.resource.attributes) if (a.key === 'clnrm.execution_id' && 'stringValue' in a.value) return a.value.stringValue;
  return undefined;
}

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
