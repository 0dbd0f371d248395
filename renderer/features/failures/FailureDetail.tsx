// One failure in the Failures view: its class and confidence, the evidence that decided it (an item
// naming a span opens its trace in the waterfall with the evidence spans marked), the failed checks,
// the execution's log lines, and the repairs proposed for it (RepairItem), plus repairs applied to
// its file earlier, each with Undo.
import { useState } from 'react';
import { formatProblem, toProblem, type Problem } from '../../../shared/errors';
import type { StudioApi } from '../../../shared/ipc/contract';
import type { FailureView } from '../../../shared/ipc/failures-schema';
import { ErrorState, Loading } from '../../app/States';
import { useStudio } from '../../app/store';
import { useLoad } from '../performance/use-load';
import { RepairItem } from './RepairItem';

interface Props {
  api: StudioApi;
  failure: FailureView;
}

export const percent = (f: number) => `${Math.round(f * 100)} %`;

function AppliedRepairs({ api, applied, onChanged }: { api: StudioApi; applied: { id: string; path: string; diff: string; at: string }[]; onChanged(): void }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  if (applied.length === 0) return null;
  const undo = async (id: string) => {
    try {
      await api.undoRepair({ id });
      onChanged();
    } catch (error) {
      setProblem(toProblem(error));
    }
  };
  return (
    <section className="fail-section" aria-label="Applied repairs">
      <h3>Applied repairs</h3>
      <ul className="fail-plain-list">
        {applied.map((a) => (
          <li key={a.id} aria-label={`Applied ${a.id}`}>
            <code>{a.id}</code> <span className="muted">{a.path}, {new Date(a.at).toLocaleString()}</span>{' '}
            <button className="btn btn-small" onClick={() => void undo(a.id)}>
              Undo
            </button>
            <pre className="fail-diff mono">{a.diff}</pre>
          </li>
        ))}
      </ul>
      {problem && (
        <p className="fail-bad mono" role="alert">
          {formatProblem(problem)}
        </p>
      )}
    </section>
  );
}

export function FailureDetail({ api, failure: f }: Props) {
  const openEvidence = useStudio((s) => s.openEvidence);
  const [version, setVersion] = useState(0);
  const repairs = useLoad(`${f.runId}|${version}`, () => api.runRepairs({ runId: f.runId }));
  const spanOf = new Map(f.evidenceSpans.map((s) => [s.spanId, s]));
  const label = `${f.classification.class} of ${f.test}`;
  const mine = repairs.status === 'ready' ? repairs.value.repairs.find((r) => r.executionId === f.executionId) : undefined;
  const applied = repairs.status === 'ready' ? repairs.value.applied.filter((a) => a.path === f.path) : [];
  return (
    <article className="fail-detail" aria-label={`Failure ${f.executionId}`}>
      <header className="fail-detail-head">
        <h2>
          {f.test} › {f.scenario}
        </h2>
        <span className="chip badge-error" aria-label="Class">
          {f.classification.class}
        </span>
        <span className="chip" aria-label="Confidence">
          {percent(f.classification.confidence)}
        </span>
        <span className="muted mono">{f.path}</span>
      </header>
      <section className="fail-section" aria-label="Evidence">
        <h3>Evidence</h3>
        <ul className="fail-plain-list">
          {f.classification.evidence.map((e, i) => {
            const span = e.ref !== undefined ? spanOf.get(e.ref) : undefined;
            return (
              <li key={i}>
                <span className="chip">{e.kind}</span> {e.detail}{' '}
                {span && (
                  <button className="tests-check" onClick={() => void openEvidence(api, label, [span, ...f.evidenceSpans.filter((s) => s !== span)])} title="Open the trace with the evidence spans marked">
                    <strong>span {span.name}</strong>
                  </button>
                )}
                {!span && e.ref !== undefined && <code className="muted"> [{e.ref}]</code>}
              </li>
            );
          })}
        </ul>
        {f.evidenceSpans.length > 0 && (
          <button className="btn btn-small fail-evidence-all" onClick={() => void openEvidence(api, label, f.evidenceSpans)}>
            Open {f.evidenceSpans.length} evidence span{f.evidenceSpans.length === 1 ? '' : 's'} in the waterfall
          </button>
        )}
        {f.failedChecks.length > 0 && (
          <ul className="fail-plain-list" aria-label="Failed checks">
            {f.failedChecks.map((c) => (
              <li key={c} className="fail-bad">
                ✗ {c}
              </li>
            ))}
          </ul>
        )}
        {f.logLines.length > 0 && (
          <pre className="fail-log mono" aria-label="Log lines">
            {f.logLines.join('\n')}
          </pre>
        )}
      </section>
      <section className="fail-section" aria-label="Proposed repairs">
        <h3>Proposed repairs</h3>
        {repairs.status === 'loading' && <Loading label="Reading the proposed repairs…" />}
        {repairs.status === 'error' && <ErrorState title="Could not propose repairs" problem={repairs.problem} />}
        {repairs.status === 'ready' && (
          <>
            {mine?.note && <p className="muted">{mine.note}</p>}
            {(mine?.proposals.length ?? 0) === 0 ? (
              <p className="muted">No repair to propose for this class from this evidence.</p>
            ) : (
              <ul className="fail-plain-list">
                {mine!.proposals.map((r) => (
                  <RepairItem key={r.id} api={api} repair={r} onChanged={() => setVersion((v) => v + 1)} />
                ))}
              </ul>
            )}
          </>
        )}
      </section>
      <AppliedRepairs api={api} applied={applied} onChanged={() => setVersion((v) => v + 1)} />
    </article>
  );
}
