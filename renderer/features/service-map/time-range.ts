// The service map's time range: a lookback preset ("last 15 minutes", fixed when chosen, as Jaeger's
// search does) or whatever range the traces list already has (a range dragged on its scatter, or one
// from a link). The range lives in the traces list's filters, so the map, the list and the URL agree.
import { rangeLabel } from '../traces/scatter-scales';

export const LOOKBACKS = [
  { id: '5m', label: 'Last 5 minutes', us: 5 * 60e6 },
  { id: '15m', label: 'Last 15 minutes', us: 15 * 60e6 },
  { id: '1h', label: 'Last hour', us: 3600e6 },
  { id: '6h', label: 'Last 6 hours', us: 6 * 3600e6 },
  { id: '24h', label: 'Last 24 hours', us: 24 * 3600e6 },
  { id: '7d', label: 'Last 7 days', us: 7 * 24 * 3600e6 },
] as const;

export type LookbackId = (typeof LOOKBACKS)[number]['id'];

export interface TimeRange {
  sinceUs: number | undefined;
  untilUs: number | undefined;
}

/** The range a lookback stands for when chosen at `nowUs` (open-ended: later spans count too). */
export function lookbackRange(id: LookbackId, nowUs: number): { sinceUs: number; untilUs: undefined } {
  const lookback = LOOKBACKS.find((l) => l.id === id)!;
  return { sinceUs: Math.floor(nowUs - lookback.us), untilUs: undefined };
}

/** How the map's header names a range: the lookback it was chosen as, else its two ends. */
export function describeRange(range: TimeRange, chosen: LookbackId | null): string {
  if (range.sinceUs === undefined && range.untilUs === undefined) return 'All time';
  const lookback = LOOKBACKS.find((l) => l.id === chosen);
  if (lookback !== undefined && range.untilUs === undefined) return lookback.label;
  return rangeLabel(range.sinceUs, range.untilUs);
}
