// The trend of one span name over a test's runs: the metric per run as a line with a dot per run
// (a click selects the run), change points as marks between the runs they separate (a click compares
// those two runs), and the stored baseline's p50–p95 band behind them when there is one.
import { AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { ParentSize } from '@visx/responsive';
import type { SeriesChangePoint, SeriesMetric, SpanSeries } from '../../../shared/perf/series';
import { formatDuration } from '../waterfall/format';
import { trendScales } from './trend-scales';

const HEIGHT = 220;
const MARGIN = { top: 12, right: 16, bottom: 28, left: 64 };

export interface TrendProps {
  series: SpanSeries;
  metric: SeriesMetric;
  selectedRun: string | null;
  onSelectRun: (runId: string) => void;
  onSelectChange: (change: SeriesChangePoint) => void;
}

export const changeLabel = (c: SeriesChangePoint, metric: SeriesMetric): string =>
  `Change point: ${metric} ${formatDuration(c.before)} → ${formatDuration(c.after)}` +
  `${c.changePercent === null ? '' : ` (${c.changePercent >= 0 ? '+' : ''}${c.changePercent.toFixed(0)} %)`} at run ${c.runAfter}`;

const shortDate = (ms: number): string => new Date(ms).toISOString().slice(5, 16).replace('T', ' ');

export function TrendChart(props: TrendProps) {
  return (
    <div className="perf-trend">
      <ParentSize parentSizeStyles={{ width: '100%', height: HEIGHT }}>{({ width }) => (width > 0 ? <TrendPlot {...props} width={width} /> : null)}</ParentSize>
    </div>
  );
}

/** The plot at a given width (exported so it can be rendered without measuring, e.g. in tests). */
export function TrendPlot({ series, metric, selectedRun, onSelectRun, onSelectChange, width }: TrendProps & { width: number }) {
  const plotW = Math.max(0, width - MARGIN.left - MARGIN.right);
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const s = trendScales(series, metric, plotW, plotH);
  const n = series.points.length;
  const summary = `${metric} of ${series.span} over ${n} run${n === 1 ? '' : 's'}; ${series.changePoints.length} change point${series.changePoints.length === 1 ? '' : 's'}` +
    (series.baseline ? `; baseline ${formatDuration(series.baseline.p50)}–${formatDuration(series.baseline.p95)}` : '');
  // A label under every run when they fit, else under every k-th.
  const every = Math.max(1, Math.ceil((n * 90) / Math.max(1, plotW)));
  return (
    <svg width={width} height={HEIGHT} role="img" aria-label={summary}>
      <Group left={MARGIN.left} top={MARGIN.top}>
        <rect className="perf-plot-bg" width={plotW} height={plotH} />
        {s.band && (
          <rect className="trend-baseline" x={0} width={plotW} y={s.band.y} height={s.band.height}>
            <title>Baseline p50–p95</title>
          </rect>
        )}
        <path className="trend-line" d={s.path} />
        {series.points.map((p, i) => (
          <circle
            key={p.runId}
            className={'trend-dot' + (p.runId === selectedRun ? ' is-selected' : '')}
            cx={s.x(i)}
            cy={s.y(p[metric])}
            r={p.runId === selectedRun ? 6 : 4}
            onClick={() => onSelectRun(p.runId)}
          >
            <title>{`Run ${p.runId}: ${metric} ${formatDuration(p[metric])} (${p.count} spans)`}</title>
          </circle>
        ))}
        {series.changePoints.map((c, k) => (
          <g
            key={c.index}
            className="trend-change"
            role="button"
            tabIndex={0}
            aria-label={changeLabel(c, metric)}
            transform={`translate(${s.changeX[k]!},0)`}
            onClick={() => onSelectChange(c)}
            onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onSelectChange(c)}
          >
            <line y1={0} y2={plotH} />
            <rect className="trend-change-hit" x={-6} width={12} height={plotH} />
            <path className="trend-change-mark" d="M-7,0 L7,0 L0,10 Z" />
          </g>
        ))}
        {series.points.map((p, i) =>
          i % every === 0 ? (
            <text key={p.runId} className="perf-tick" x={s.x(i)} y={plotH + 16} textAnchor="middle">
              {shortDate(p.at)}
            </text>
          ) : null,
        )}
        <AxisLeft scale={s.yScale} tickValues={s.yTicks} tickFormat={(v) => formatDuration(Number(v))} tickClassName="scatter-tick" axisClassName="scatter-axis" />
      </Group>
    </svg>
  );
}
