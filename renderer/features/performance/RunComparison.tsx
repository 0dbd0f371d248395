// Two runs compared (what a click on a change point opens): per operation the duration histograms of
// the run before and the run after on the same bins, the median change and Mann-Whitney's p, and the
// operations only one of the runs has (the structure that changed).
import type { CallResponse, StudioApi } from '../../../shared/ipc/contract';
import { ErrorState, Loading } from '../../app/States';
import { formatDuration } from '../waterfall/format';
import { useLoad } from './use-load';

type Comparison = CallResponse<'compareRuns'>;
type Operation = Comparison['operations'][number];

const BAR_W = 140;
const BAR_H = 36;

function Histogram({ counts, peak, side }: { counts: readonly number[]; peak: number; side: 'before' | 'after' }) {
  const w = BAR_W / counts.length;
  return (
    <svg width={BAR_W} height={BAR_H} className={`perf-hist perf-hist-${side}`} aria-hidden="true">
      {counts.map((c, i) => (c > 0 ? <rect key={i} x={i * w} width={Math.max(1, w - 1)} y={BAR_H - (c / peak) * BAR_H} height={(c / peak) * BAR_H} /> : null))}
    </svg>
  );
}

function OperationRow({ op }: { op: Operation }) {
  const peak = Math.max(1, ...op.beforeCounts, ...op.afterCounts);
  const change = op.medianChangePercent;
  return (
    <tr aria-label={`${op.service} ${op.name}`}>
      <th scope="row">
        {op.name} <span className="faint">({op.service})</span>
        <div className="faint">
          bins {formatDuration(op.edges[0]!)} – {formatDuration(op.edges[op.edges.length - 1]!)}
        </div>
      </th>
      <td>
        <Histogram counts={op.beforeCounts} peak={peak} side="before" />
        <div className="faint">median {formatDuration(op.before.p50)} · n {op.before.count}</div>
      </td>
      <td>
        <Histogram counts={op.afterCounts} peak={peak} side="after" />
        <div className="faint">median {formatDuration(op.after.p50)} · n {op.after.count}</div>
      </td>
      <td className={change !== null && change > 10 ? 'perf-worse' : change !== null && change < -10 ? 'perf-better' : ''}>
        {change === null ? 'n/a' : `${change >= 0 ? '+' : ''}${change.toFixed(1)} %`}
      </td>
      <td className="mono">{op.pValue.toPrecision(2)}</td>
    </tr>
  );
}

export function RunComparison({ api, before, after, file, onClose }: { api: StudioApi; before: string; after: string; file: string; onClose: () => void }) {
  const loaded = useLoad(`${before}|${after}|${file}`, () => api.compareRuns({ before, after, path: file }));
  return (
    <section className="perf-panel" aria-label="Run comparison">
      <header className="perf-panel-head">
        <h2>
          Run <span className="mono">{before}</span> → <span className="mono">{after}</span>
        </h2>
        <span className="faint">durations per operation; histograms share their bins (range below each operation's name)</span>
        <button className="btn btn-small" onClick={onClose}>
          Close
        </button>
      </header>
      {loaded.status === 'loading' && <Loading label="Comparing the two runs…" />}
      {loaded.status === 'error' && <ErrorState title="Could not compare the runs" problem={loaded.problem} />}
      {loaded.status === 'ready' && <ComparisonTable comparison={loaded.value} />}
    </section>
  );
}

function ComparisonTable({ comparison }: { comparison: Comparison }) {
  return (
    <>
      <table className="perf-table">
        <thead>
          <tr>
            <th scope="col">Operation</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
            <th scope="col">Median change</th>
            <th scope="col">p-value</th>
          </tr>
        </thead>
        <tbody>
          {comparison.operations.map((op) => (
            <OperationRow key={`${op.service}\u0000${op.name}`} op={op} />
          ))}
        </tbody>
      </table>
      {(comparison.onlyBefore.length > 0 || comparison.onlyAfter.length > 0) && (
        <div className="perf-structure" aria-label="Structure differences">
          {comparison.onlyBefore.length > 0 && <p>Only in the run before: {comparison.onlyBefore.join(', ')}</p>}
          {comparison.onlyAfter.length > 0 && <p>Only in the run after: {comparison.onlyAfter.join(', ')}</p>}
        </div>
      )}
      {comparison.onlyBefore.length === 0 && comparison.onlyAfter.length === 0 && <p className="faint">Same operations in both runs.</p>}
    </>
  );
}
