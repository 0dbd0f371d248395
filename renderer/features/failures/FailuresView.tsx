// The Failures view (issue #14, self-healing in the studio): the stored runs' classified failures,
// newest first; the chosen one's class, confidence, evidence, log lines and proposed repairs
// (FailureDetail); and the quarantine list with each test's pass/fail history. It reads again when
// a run finishes (here or from `clnrm run` on this data folder) and on Refresh.
import { useState } from 'react';
import type { StudioApi } from '../../../shared/ipc/contract';
import type { FailureView } from '../../../shared/ipc/failures-schema';
import { useApi } from '../../api/api-context';
import { EmptyState, ErrorState, Loading } from '../../app/States';
import { useStudio } from '../../app/store';
import { useLoad } from '../performance/use-load';
import { FailureDetail, percent } from './FailureDetail';
import { QuarantineList } from './QuarantineList';
import './failures.css';

export function FailuresView() {
  const api = useApi();
  if (api instanceof Error) return <ErrorState title="Not connected" problem={api.problem} />;
  return <ConnectedFailuresView api={api} />;
}

function FailureButton({ f, current, onPick }: { f: FailureView; current: boolean; onPick(): void }) {
  return (
    <button className="fail-list-item" aria-current={current ? 'true' : undefined} onClick={onPick} aria-label={`${f.test} › ${f.scenario}: ${f.classification.class}`}>
      <strong>
        {f.test} › {f.scenario}
      </strong>
      <span>
        <span className="chip badge-error">{f.classification.class}</span> <span className="muted">{percent(f.classification.confidence)}</span>
      </span>
      <span className="faint">
        run {f.runId}, {new Date(f.startedAt).toLocaleString()}
      </span>
    </button>
  );
}

function ConnectedFailuresView({ api }: { api: StudioApi }) {
  // A new run (the Tests view's or a terminal's) is a new newest run: read the failures again.
  const newest = useStudio((s) => s.runHistory[0]?.run.id ?? '');
  const [refreshes, setRefreshes] = useState(0);
  const key = `${newest}|${refreshes}`;
  const failures = useLoad(key, () => api.listFailures({}));
  const quarantine = useLoad(key, () => api.quarantineList({}));
  const [picked, setPicked] = useState<string | null>(null);
  const list = failures.status === 'ready' ? failures.value.failures : [];
  const chosen = list.find((f) => f.executionId === picked) ?? list[0];
  return (
    <section className="fail-view" aria-label="Failures">
      <header className="view-head">
        <h1 className="view-title">Failures</h1>
        <span className="muted">{failures.status === 'ready' ? `${list.length} classified failure${list.length === 1 ? '' : 's'} in the stored runs` : ''}</span>
        <button className="btn btn-small" onClick={() => setRefreshes((n) => n + 1)}>
          Refresh
        </button>
      </header>
      <div className="fail-body">
        <nav className="fail-list" aria-label="Failed runs">
          {failures.status === 'loading' && <Loading label="Reading the stored runs…" />}
          {failures.status === 'error' && <ErrorState title="Could not read the failures" problem={failures.problem} />}
          {failures.status === 'ready' && list.length === 0 && (
            <EmptyState title="No failures">
              <p>Failed runs (from the Tests view or `clnrm run`) appear here with their class and proposed repairs.</p>
            </EmptyState>
          )}
          {list.map((f) => (
            <FailureButton key={f.executionId} f={f} current={f === chosen} onPick={() => setPicked(f.executionId)} />
          ))}
        </nav>
        <div className="fail-main">
          {chosen && <FailureDetail key={chosen.executionId} api={api} failure={chosen} />}
          {quarantine.status === 'error' && <ErrorState title="Could not read the quarantine list" problem={quarantine.problem} />}
          {quarantine.status === 'ready' && <QuarantineList tests={quarantine.value.tests} knowledgeDir={quarantine.value.knowledgeDir} />}
        </div>
      </div>
    </section>
  );
}
