// Geometry of the Performance view's trend: one point per run, evenly spaced across (runs are the
// unit, however far apart in time), the metric up from 0 so a change reads as its true size, the
// baseline band and change points placed on the same scales.
import { scaleLinear } from '@visx/scale';
import type { AxisScale } from '@visx/axis';
import type { SeriesMetric, SpanSeries } from '../../../shared/perf/series';

export interface TrendScales {
  x: (index: number) => number;
  y: (us: number) => number;
  xScale: AxisScale<number>;
  yScale: AxisScale<number>;
  yTicks: number[];
  /** The metric's polyline through the points. */
  path: string;
  /** Where each change point is drawn: halfway between the last run before and the first after. */
  changeX: number[];
  /** The baseline band (p50 to p95) when the series has a baseline. */
  band: { y: number; height: number } | null;
}

export function trendScales(series: Pick<SpanSeries, 'points' | 'changePoints' | 'baseline'>, metric: SeriesMetric, width: number, height: number): TrendScales {
  const values = series.points.map((p) => p[metric]);
  const top = Math.max(1, ...values, series.baseline?.p95 ?? 0) * 1.1;
  const xScale = scaleLinear<number>({ domain: [-0.5, Math.max(0.5, series.points.length - 0.5)], range: [0, width] });
  const yScale = scaleLinear<number>({ domain: [0, top], range: [height, 0], nice: true });
  const x = (i: number) => xScale(i);
  const y = (us: number) => yScale(us);
  const path = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const band = series.baseline ? { y: y(series.baseline.p95), height: Math.max(1, y(series.baseline.p50) - y(series.baseline.p95)) } : null;
  return { x, y, xScale, yScale, yTicks: yScale.ticks(4), path, changeX: series.changePoints.map((c) => x(c.index - 0.5)), band };
}
