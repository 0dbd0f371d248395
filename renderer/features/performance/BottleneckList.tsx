// Where a run's time goes: pick one of the run's traces (the longest of the system's by default) and
// see its critical path, slowest operations and recommendations; every evidence span opens the trace
// with that span selected.
import { useState } from 'react';
import type { CallResponse, StudioApi } from '../../../shared/ipc/contract';
import { ErrorState, Loading } from '../../app/States';
import { useStudio } from '../../app/store';
import { formatDuration } from '../waterfall/format';
import { useLoad } from './use-load';

type Report = CallResponse<'traceBottlenecks'>;

function SpanLink({ api, traceId, spanId, label }: { api: StudioApi; traceId: string; spanId: string; label: string }) {
  const openSpan = useStudio((s) => s.openSpan);
  return (
    <button className="btn btn-small btn-link" onClick={() => void openSpan(api, traceId, spanId)} title={`Open span ${spanId} in its trace`}>
      {label}
    </button>
  );
}

function ReportBody({ api, report }: { api: StudioApi; report: Report }) {
  const path = [...report.criticalPath].sort((a, b) => b.onPathUs - a.onPathUs).slice(0, 5);
  return (
    <div className="perf-bottlenecks">
      <h3>Critical path, largest shares of {formatDuration(report.durationUs)}</h3>
      <ul>
        {path.map((c) => (
          <li key={c.spanId}>
            <SpanLink api={api} traceId={report.traceId} spanId={c.spanId} label={`${c.name} (${c.service})`} /> {formatDuration(c.onPathUs)}
          </li>
        ))}
      </ul>
      <h3>Slowest operations (mean, p95)</h3>
      <ul aria-label="Slowest operations">
        {report.slowest.map((s) => (
          <li key={`${s.service}\u0000${s.name}`}>
            <SpanLink api={api} traceId={report.traceId} spanId={s.evidence[0]!} label={`${s.name} (${s.service})`} /> {formatDuration(s.meanUs)}, {formatDuration(s.p95Us)} ×{s.count}
          </li>
        ))}
      </ul>
      <h3>Recommendations</h3>
      {report.recommendations.length === 0 && <p className="faint">None for this trace.</p>}
      <ul>
        {report.recommendations.map((r, k) => (
          <li key={k}>
            <strong>{r.kind}</strong> {r.message}{' '}
            {r.evidence.slice(0, 3).map((id) => (
              <SpanLink key={id} api={api} traceId={report.traceId} spanId={id} label={id.slice(0, 8)} />
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function BottleneckList({ api, runId }: { api: StudioApi; runId: string }) {
  const traces = useLoad(runId, () => api.listTraces({ runId, sort: 'longest', limit: 50 }));
  const [chosen, setChosen] = useState<{ runId: string; traceId: string } | null>(null);
  const list = traces.status === 'ready' ? traces.value.traces : [];
  // The system's longest trace first; the runner's own (`clnrm.run`) when the run has nothing else.
  const fallback = list.find((t) => !t.rootService.startsWith('clnrm')) ?? list[0];
  const traceId = chosen?.runId === runId ? chosen.traceId : fallback?.traceId;
  const report = useLoad(traceId ?? '', traceId ? () => api.traceBottlenecks({ traceId }) : null);
  if (traces.status === 'error') return <ErrorState title="Could not list the run's traces" problem={traces.problem} />;
  if (traces.status !== 'ready') return <Loading label="Listing the run's traces…" />;
  if (!traceId) return <p className="faint">This run stored no traces.</p>;
  return (
    <div aria-label="Bottlenecks">
      <label className="perf-field">
        Trace{' '}
        <select className="input" value={traceId} onChange={(e) => setChosen({ runId, traceId: e.target.value })}>
          {list.map((t) => (
            <option key={t.traceId} value={t.traceId}>
              {t.rootService} {t.rootName} · {formatDuration(t.durationUs)} · {t.traceId.slice(0, 8)}
            </option>
          ))}
        </select>
      </label>
      {report.status === 'error' && <ErrorState title="Could not analyse the trace" problem={report.problem} />}
      {report.status === 'loading' && <Loading label="Finding the trace's bottlenecks…" />}
      {report.status === 'ready' && <ReportBody api={api} report={report.value} />}
    </div>
  );
}
