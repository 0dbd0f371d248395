// One run of a test file: its latest progress while it runs, then the verdict, every expectation's
// result and the failure (if any) with what to do about it.
import { formatProblem } from '../../../shared/errors';
import type { RunState } from './store.tests';

export function RunResult({ run }: { run: RunState }) {
  const done = run.finished;
  const last = run.progress.at(-1);
  const verdict = done === null ? null : done.cancelled ? 'cancelled' : done.passed ? 'passed' : 'failed';
  return (
    <div className="tests-run" role="group" aria-label={`Run ${run.runId}`}>
      <div className="tests-run-head">
        {verdict === null ? (
          <span className="chip" aria-live="polite">
            <span className="spinner spinner-inline" aria-hidden="true" /> {last ? `${last.phase}: ${last.message}` : 'starting…'}
          </span>
        ) : (
          <span className={'chip ' + (verdict === 'passed' ? 'chip-ok' : 'badge-error')}>{verdict}</span>
        )}
        {done && <span className="muted">{(done.durationMs / 1000).toFixed(1)} s</span>}
        <span className="faint mono">{run.runId}</span>
      </div>
      {done && done.verdicts.length > 0 && (
        <ul className="tests-verdicts" aria-label="Expectations">
          {done.verdicts.map((v, k) => (
            <li key={k} className={v.passed ? 'is-pass' : 'is-fail'}>
              <span aria-label={v.passed ? 'passed' : 'failed'}>{v.passed ? '✓' : '✗'}</span> <strong>{v.name}</strong>
              {v.message && <span className="muted"> {v.message}</span>}
            </li>
          ))}
        </ul>
      )}
      {done?.problem && <p className="tests-run-problem mono">{formatProblem(done.problem)}</p>}
    </div>
  );
}
