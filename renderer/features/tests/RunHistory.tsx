// The stored runs of one test file, newest first: each run's id (the one the Traces view's Run id filter
// and `clnrm traces --run` take), when it started, its verdict, counts and commit, and each execution (with
// the engine it ran on when the run spread its tests over a pool of engines).
// Read from the store's history (`listRuns`), so it survives a reload or a restart of the studio.
import type { RunHistoryEntry } from './store.tests';

function when(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

function took(start: number, end: number | undefined): string {
  return end === undefined ? '' : ` · ${((end - start) / 1000).toFixed(1)} s`;
}

/** Runs that executed `file` (a path as listTestFiles gives it). */
export function runsOfFile(history: readonly RunHistoryEntry[], file: string): RunHistoryEntry[] {
  return history.filter((h) => h.run.files.includes(file) || h.executions.some((e) => e.testFile === file));
}

interface Props {
  entries: readonly RunHistoryEntry[];
  onShowTraces(runId: string): void;
  /** The run a link names: marked, and its list opened. */
  selectedRunId: string | null;
  onSelect(runId: string): void;
}

export function RunHistory({ entries, onShowTraces, selectedRunId, onSelect }: Props) {
  if (entries.length === 0) return null;
  const holdsSelected = entries.some((e) => e.run.id === selectedRunId);
  return (
    <details className="tests-history" open={holdsSelected || undefined}>
      <summary>
        {entries.length} earlier run{entries.length === 1 ? '' : 's'}
      </summary>
      <ul className="tests-history-list" aria-label="Run history">
        {entries.map(({ run, executions }) => {
          const verdict = run.verdict ?? (run.endedAt === undefined ? 'running' : 'unknown');
          return (
            <li key={run.id} aria-label={`Run ${run.id}`} data-run-id={run.id} aria-current={run.id === selectedRunId ? 'true' : undefined}>
              <div className="tests-run-head">
                <span className={'chip ' + (verdict === 'passed' ? 'chip-ok' : verdict === 'running' ? '' : 'badge-error')}>{verdict}</span>
                <span className="muted">
                  {when(run.startedAt)}
                  {took(run.startedAt, run.endedAt)} · {run.origin}
                  {run.commit ? ` · ${run.commit.slice(0, 8)}` : ''}
                </span>
                <RunLink runId={run.id} onSelect={onSelect} />
                <button className="btn btn-small" onClick={() => onShowTraces(run.id)} title="Every trace of this run in the Traces view">
                  Traces
                </button>
              </div>
              <ul className="tests-verdicts">
                {executions.map((e) => (
                  <li key={e.id} className={e.verdict === 'passed' ? 'is-pass' : 'is-fail'}>
                    <span aria-label={e.verdict ?? 'running'}>{e.verdict === 'passed' ? '✓' : e.verdict ? '✗' : '…'}</span> <strong>{e.testName}</strong>{' '}
                    <span className="muted">
                      {e.scenario}
                      {e.iteration > 1 ? ` #${e.iteration}` : ''} · {e.verdict ?? 'running'}
                      {e.failedExpectations > 0 ? ` · ${e.failedExpectations} failed check${e.failedExpectations === 1 ? '' : 's'}` : ''}
                      {e.failedSteps > 0 ? ` · ${e.failedSteps} failed step${e.failedSteps === 1 ? '' : 's'}` : ''}
                      {e.evidence?.engine !== undefined ? ` · on ${e.evidence.engine}` : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ul>
    </details>
  );
}

/** A run's id as a link to it: the URL then names this run, to bookmark or share. */
export function RunLink({ runId, onSelect }: { runId: string; onSelect(runId: string): void }) {
  return (
    <button
      className="tests-run-link faint mono"
      onClick={() => onSelect(runId)}
      title="Run id: select this run (the URL then links to it). The Traces view's Run id filter and `clnrm traces --run` take it too."
    >
      {runId}
    </button>
  );
}
