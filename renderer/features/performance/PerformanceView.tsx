// The Performance view: pick a test file that has stored runs, then a span name and a metric, and
// see its trend over the runs with change points (a click compares the run before with the run
// after); a run picked on the trend shows its containers' CPU and memory and its bottlenecks.
import { useEffect, useMemo, useState } from 'react';
import type { StudioApi } from '../../../shared/ipc/contract';
import { SeriesMetricSchema, type PerfHistory, type SeriesChangePoint, type SeriesMetric } from '../../../shared/perf/series';
import { useApi } from '../../api/api-context';
import { EmptyState, ErrorState, Loading } from '../../app/States';
import { useStudio } from '../../app/store';
import { BottleneckList } from './BottleneckList';
import { ResourceCharts } from './ResourceCharts';
import { RunComparison } from './RunComparison';
import { TrendChart, changeLabel } from './TrendChart';
import { useLoad } from './use-load';
import './performance.css';

export function PerformanceView() {
  const api = useApi();
  if (api instanceof Error) return <ErrorState title="Not connected" problem={api.problem} />;
  return <ConnectedPerformanceView api={api} />;
}

/** Test files of the stored runs, the most recently run first. */
function useTestFiles(api: StudioApi): string[] {
  const runHistory = useStudio((s) => s.runHistory);
  const loadRunHistory = useStudio((s) => s.loadRunHistory);
  useEffect(() => void loadRunHistory(api), [api, loadRunHistory]);
  return useMemo(() => [...new Set(runHistory.flatMap((r) => r.executions.map((e) => e.testFile)))], [runHistory]);
}

function ConnectedPerformanceView({ api }: { api: StudioApi }) {
  const { file, span, metric } = useStudio((s) => s.perfSelection);
  const selectPerf = useStudio((s) => s.selectPerf);
  const files = useTestFiles(api);
  const runHistory = useStudio((s) => s.runHistory);
  // A new run of the file (here or from `clnrm run`) changes the history's newest run: load again.
  const newest = runHistory[0]?.run.id ?? '';
  const history = useLoad(file === null ? '' : `${file}|${metric}|${newest}`, file === null ? null : () => api.perfHistory({ path: file, metric }));
  return (
    <section className="perf-view" aria-label="Performance">
      <header className="view-head">
        <h1 className="view-title">Performance</h1>
        <label className="perf-field">
          Test file{' '}
          <select className="input" value={file ?? ''} onChange={(e) => selectPerf({ file: e.target.value || null })}>
            <option value="">Choose a test file…</option>
            {[...new Set([...(file ? [file] : []), ...files])].map((f) => (
              <option key={f} value={f}>
                {f.split(/[\\/]/).pop()} — {f}
              </option>
            ))}
          </select>
        </label>
        <label className="perf-field">
          Metric{' '}
          <select className="input" value={metric} onChange={(e) => selectPerf({ metric: e.target.value as SeriesMetric })}>
            {SeriesMetricSchema.options.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
      </header>
      <div className="perf-body">
        {file === null && (
          <EmptyState title="Choose a test file">
            <p>Its stored runs (from the Tests view or `clnrm run`) give one point per run for every span name.</p>
          </EmptyState>
        )}
        {history.status === 'loading' && <Loading label="Reading the test's runs…" />}
        {history.status === 'error' && <ErrorState title="Could not read the history" problem={history.problem} />}
        {history.status === 'ready' && file !== null && <HistoryPanel key={`${file}|${span ?? ''}`} api={api} history={history.value} file={file} span={span} metric={metric} />}
      </div>
    </section>
  );
}

interface PanelProps {
  api: StudioApi;
  history: PerfHistory;
  file: string;
  span: string | null;
  metric: SeriesMetric;
}

function HistoryPanel({ api, history, file, span, metric }: PanelProps) {
  const selectPerf = useStudio((s) => s.selectPerf);
  const [compare, setCompare] = useState<SeriesChangePoint | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  // The span asked for, else the one with the most recent change point, else the first.
  const changed = history.series.filter((s) => s.changePoints.length > 0);
  const series = history.series.find((s) => s.span === span) ?? changed[changed.length - 1] ?? history.series[0];
  if (history.runs === 0 || !series) return <EmptyState title="No stored runs of this test file">Run it from the Tests view or with `clnrm run`.</EmptyState>;
  const lastRun = series.points[series.points.length - 1]?.runId ?? null;
  const runId = picked !== null && series.points.some((p) => p.runId === picked) ? picked : lastRun;
  return (
    <>
      <div className="perf-toolbar">
        <label className="perf-field">
          Span{' '}
          <select className="input" value={series.span} onChange={(e) => selectPerf({ span: e.target.value })}>
            {history.spanNames.map((name) => {
              const s = history.series.find((x) => x.span === name);
              return (
                <option key={name} value={name}>
                  {name}
                  {s && s.changePoints.length > 0 ? ` (${s.changePoints.length} change point${s.changePoints.length === 1 ? '' : 's'})` : ''}
                </option>
              );
            })}
          </select>
        </label>
        <span className="faint">
          {series.points.length} of {history.runs} runs have this span{series.baseline ? '; the band is the baseline p50–p95' : ''}
        </span>
      </div>
      <TrendChart series={series} metric={metric} selectedRun={runId} onSelectRun={setPicked} onSelectChange={setCompare} />
      <ul className="perf-changes" aria-label="Change points">
        {series.changePoints.length === 0 && <li className="faint">No change point in {metric} over these runs.</li>}
        {series.changePoints.map((c) => (
          <li key={c.index}>
            <button className="btn btn-small" onClick={() => setCompare(c)}>
              {changeLabel(c, metric)}
            </button>{' '}
            <span className="faint">p = {c.pValue.toPrecision(2)}</span>
          </li>
        ))}
      </ul>
      {compare && <RunComparison api={api} before={compare.runBefore} after={compare.runAfter} file={file} onClose={() => setCompare(null)} />}
      {runId !== null && (
        <section className="perf-panel" aria-label={`Run ${runId}`}>
          <header className="perf-panel-head">
            <h2>
              Run <span className="mono">{runId}</span>
            </h2>
            <span className="faint">a dot on the trend picks another run</span>
          </header>
          <ResourceCharts api={api} runId={runId} />
          <BottleneckList api={api} runId={runId} />
        </section>
      )}
    </>
  );
}
