// Scales for the duration-over-time scatter: time across (trace start), duration up. Durations
// spanning more than two decades use a log scale so a few slow traces do not flatten the rest.
import { scaleLinear, scaleLog } from '@visx/scale';
import type { AxisScale } from '@visx/axis';
import type { TraceSummary } from '../../../shared/ipc/contract';

export interface ScatterScales {
  x: (startUs: number) => number;
  y: (durationUs: number) => number;
  /** Inverse of x, for turning a dragged range into start times. */
  xToUs: (px: number) => number;
  xTicks: number[];
  yTicks: number[];
  log: boolean;
  /** Time the traces' starts cover, µs (0 for one instant). */
  startSpanUs: number;
  /** The underlying scales, for the axes. */
  xScale: AxisScale<number>;
  yScale: AxisScale<number>;
}

export function scatterScales(traces: readonly Pick<TraceSummary, 'startUs' | 'durationUs'>[], width: number, height: number): ScatterScales {
  let t0 = Infinity;
  let t1 = -Infinity;
  let d0 = Infinity;
  let d1 = 0;
  for (const t of traces) {
    t0 = Math.min(t0, t.startUs);
    t1 = Math.max(t1, t.startUs);
    d0 = Math.min(d0, Math.max(1, t.durationUs));
    d1 = Math.max(d1, Math.max(1, t.durationUs));
  }
  const startSpanUs = t1 > t0 ? t1 - t0 : 0;
  if (!Number.isFinite(t0)) {
    t0 = 0;
    t1 = 1;
    d0 = 1;
    d1 = 1;
  }
  // A single instant or a single duration still gets a visible span around it.
  const pad = Math.max((t1 - t0) * 0.03, 1000);
  const xScale = scaleLinear<number>({ domain: [t0 - pad, t1 + pad], range: [0, width] });
  const log = d1 / d0 > 100;
  const yScale = log
    ? scaleLog<number>({ domain: [d0 / 1.5, d1 * 1.5], range: [height, 0], clamp: true })
    : scaleLinear<number>({ domain: [0, d1 * 1.1], range: [height, 0], nice: true });
  return {
    x: (us) => xScale(us),
    y: (us) => yScale(Math.max(1, us)),
    xToUs: (px) => xScale.invert(px),
    xTicks: xScale.ticks(Math.max(2, Math.floor(width / 140))),
    yTicks: log ? yScale.ticks(4).filter((v, _, all) => all.length <= 6 || Math.abs(Math.log10(v) % 1) < 1e-9) : yScale.ticks(4),
    log,
    startSpanUs,
    xScale,
    yScale,
  };
}

export const timeOfDay = (us: number): string => new Date(us / 1000).toLocaleTimeString(undefined, { hour12: false });

const dateAndTime = (us: number): string =>
  new Date(us / 1000).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/** Whether two instants fall on different calendar days (local time). */
export const differentDays = (aUs: number, bUs: number): boolean => new Date(aUs / 1000).toDateString() !== new Date(bUs / 1000).toDateString();

/**
 * Tick text precise enough for the span shown: milliseconds under 10 s; the date whenever the axis
 * runs over more than one calendar day (from `fromUs` to `toUs`), even across a single midnight.
 */
export function tickFormatter(spanUs: number, fromUs = 0, toUs = 0): (us: number) => string {
  if (spanUs >= 86_400_000_000 || differentDays(fromUs, toUs)) return dateAndTime;
  if (spanUs < 10_000_000) return (us) => `${timeOfDay(us)}.${String(Math.floor(us / 1000) % 1000).padStart(3, '0')}`;
  return timeOfDay;
}

/** A time range's label: times of day, with dates when its two ends are on different days. */
export function rangeLabel(sinceUs: number | undefined, untilUs: number | undefined): string {
  const withDates = sinceUs !== undefined && untilUs !== undefined && differentDays(sinceUs, untilUs);
  const one = (us: number | undefined) => (us === undefined ? '…' : withDates ? dateAndTime(us) : timeOfDay(us));
  return `${one(sinceUs)} – ${one(untilUs)}`;
}
