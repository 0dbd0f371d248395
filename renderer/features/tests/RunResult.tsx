// One run of a test file: its latest progress while it runs, then the verdict, the failed
// expectations in full, the passed ones folded away, and the failure (if any) with what to do.
// A check with evidence spans is a button that opens them in the waterfall; each trace the run
// produced has an "Open trace" button.
import { formatProblem } from '../../../shared/errors';
import type { EvidenceSpan, Verdict } from '../../../shared/ipc/contract';
import { runEventText } from './run-event-text';
import { RunLink } from './RunHistory';
import type { RunState } from './store.tests';
import { tallyChecks } from './check-tally';

export type OnEvidence = (label: string, evidence: readonly EvidenceSpan[]) => void;

function VerdictList({ verdicts, label, onEvidence }: { verdicts: Verdict[]; label: string; onEvidence?: OnEvidence }) {
  return (
    <ul className="tests-verdicts" aria-label={label}>
      {verdicts.map((v, k) => {
        const n = v.evidence.length;
        return (
          <li key={k} className={v.passed ? 'is-pass' : 'is-fail'}>
            <span aria-label={v.passed ? 'passed' : 'failed'}>{v.passed ? '✓' : '✗'}</span>{' '}
            {n > 0 && onEvidence ? (
              <button className="tests-check" onClick={() => onEvidence(v.name, v.evidence)} title={`Open its ${n} evidence span${n === 1 ? '' : 's'} in the waterfall`}>
                <strong>{v.name}</strong>
                <span className="chip tests-evidence-count">
                  {n} span{n === 1 ? '' : 's'}
                </span>
              </button>
            ) : (
              <strong>{v.name}</strong>
            )}
            {v.message && <span className="muted"> {v.message}</span>}
          </li>
        );
      })}
    </ul>
  );
}

export function RunResult({
  run,
  onCancel,
  onEvidence,
  onOpenTrace,
  onShowMap,
  onShowTraces,
  selected,
  onSelect,
}: {
  run: RunState;
  onCancel?: () => void;
  onEvidence?: OnEvidence;
  onOpenTrace?: (traceId: string) => void;
  /** Opens the service map of this run beside the services its test file declares. */
  onShowMap?: () => void;
  /** Lists every trace of this run (the runner's and the system's) in the Traces view. */
  onShowTraces?: () => void;
  /** Marked as the run a link names. */
  selected?: boolean;
  onSelect?: () => void;
}) {
  const done = run.finished;
  const last = run.events.at(-1);
  const verdict = done === null ? null : done.cancelled ? 'cancelled' : done.passed ? 'passed' : 'failed';
  const { failed, passed, summary, reasons } = tallyChecks(done?.verdicts ?? []);
  return (
    <div className="tests-run" role="group" aria-label={`Run ${run.runId}`} data-run-id={run.runId} aria-current={selected ? 'true' : undefined}>
      <div className="tests-run-head">
        {verdict === null ? (
          <span className="chip" aria-live="polite">
            <span className="spinner spinner-inline" aria-hidden="true" /> {last ? runEventText(last) : 'starting…'}
          </span>
        ) : (
          <span className={'chip ' + (verdict === 'passed' ? 'chip-ok' : 'badge-error')} role="status" aria-label={`Verdict: ${verdict}`}>
            {verdict}
          </span>
        )}
        {done && (
          <span className="muted">
            {(done.durationMs / 1000).toFixed(1)} s{summary !== undefined && ` · ${summary}`}
          </span>
        )}
        {onSelect ? (
          <RunLink runId={run.runId} onSelect={onSelect} />
        ) : (
          <span className="faint mono" title="Run id: the Traces view's Run id filter and `clnrm traces --run` find this run's traces with it">
            {run.runId}
          </span>
        )}
        {verdict === null && onCancel && (
          <button className="btn btn-small tests-cancel" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      {reasons.map((r, k) => (
        <p key={k} className="tests-run-problem">
          <strong>{r.name}</strong> failed: {r.message}
        </p>
      ))}
      {failed.length > 0 && <VerdictList verdicts={failed} label="Failed checks" onEvidence={onEvidence} />}
      {passed.length > 0 && (
        <details className="tests-passed">
          <summary>
            {passed.length} passed check{passed.length === 1 ? '' : 's'}
          </summary>
          <VerdictList verdicts={passed} label="Passed checks" onEvidence={onEvidence} />
        </details>
      )}
      {done && done.traceIds.length > 0 && onOpenTrace && (
        <div className="tests-traces" role="group" aria-label="Traces of this run">
          {onShowTraces && (
            <button className="btn btn-small" onClick={onShowTraces} title="Every trace of this run in the Traces view (filtered by its run id)">
              All traces of this run
            </button>
          )}
          {onShowMap && done.executionIds.length > 0 && (
            <button className="btn btn-small" onClick={onShowMap} title="This run's services and calls beside the ones the test file declares">
              Service map of this run
            </button>
          )}
          <span className="muted">
            {done.traceIds.length} trace{done.traceIds.length === 1 ? '' : 's'}:
          </span>
          {done.traceIds.map((id) => (
            <button key={id} className="btn btn-small mono" onClick={() => onOpenTrace(id)} aria-label={`Open trace ${id}`} title={`Open trace ${id}`}>
              Open trace {id.slice(0, 8)}
            </button>
          ))}
        </div>
      )}
      {done?.problem && <p className="tests-run-problem mono">{formatProblem(done.problem)}</p>}
    </div>
  );
}
