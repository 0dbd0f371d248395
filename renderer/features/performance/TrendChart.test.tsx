// The trend drawn to markup (no browser): points, change-point marks and the baseline band only
// when the series has a baseline (a fixture value here: baselines are stored by another part).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SpanSeries } from '../../../shared/perf/series';
import { TrendPlot } from './TrendChart';
import { trendScales } from './trend-scales';

const series: SpanSeries = {
  span: 'db.query',
  metric: 'p95',
  points: [10, 10, 11, 25, 26, 25].map((ms, i) => ({ runId: `r${i}`, at: 1_700_000_000_000 + i * 60_000, count: 3, p50: ms * 900, p95: ms * 1000, p99: ms * 1000, mean: ms * 950 })),
  changePoints: [{ index: 3, runBefore: 'r2', runAfter: 'r3', before: 10_300, after: 25_300, changePercent: 145.6, pValue: 1e-6 }],
};
const noop = () => undefined;
const draw = (s: SpanSeries) => renderToStaticMarkup(<TrendPlot series={s} metric="p95" selectedRun="r4" onSelectRun={noop} onSelectChange={noop} width={600} />);

describe('TrendPlot', () => {
  it('draws a dot per run, the change point as a button, and no band without a baseline', () => {
    const html = draw(series);
    expect(html.match(/class="trend-dot/g)).toHaveLength(6);
    expect(html).toContain('class="trend-dot is-selected"');
    expect(html).toContain('role="button"');
    expect(html).toContain('aria-label="Change point: p95 10.3 ms → 25.3 ms (+146 %) at run r3"');
    expect(html).not.toContain('trend-baseline');
  });

  it('draws the baseline band from p95 down to p50 on the trend\'s own scale', () => {
    const withBaseline = { ...series, baseline: { p50: 9_000, p95: 12_000 } };
    const html = draw(withBaseline);
    const s = trendScales(withBaseline, 'p95', 600 - 80, 220 - 40);
    expect(html).toContain(`<rect class="trend-baseline" x="0" width="520" y="${s.band!.y}" height="${s.band!.height}">`);
    expect(s.band!.y).toBeCloseTo(s.y(12_000), 6);
    expect(s.band!.y + s.band!.height).toBeCloseTo(s.y(9_000), 6);
    expect(html).toContain('baseline 9 ms–12 ms');
  });

  it('places the change mark between the runs it separates', () => {
    const s = trendScales(series, 'p95', 500, 200);
    expect(s.changeX[0]).toBeCloseTo((s.x(2) + s.x(3)) / 2, 6);
    expect(s.y(0)).toBe(200);
  });
});
