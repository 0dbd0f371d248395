import { describe, expect, it } from 'vitest';
import { describeRange, lookbackRange } from './time-range';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0) * 1000;

describe('the service map time range', () => {
  it('turns a lookback into an open-ended range from the moment it is chosen', () => {
    expect(lookbackRange('15m', NOW)).toEqual({ sinceUs: NOW - 15 * 60e6, untilUs: undefined });
    expect(lookbackRange('7d', NOW).sinceUs).toBe(NOW - 7 * 86_400e6);
  });

  it('names a range by its lookback, by its ends, or as all time', () => {
    expect(describeRange({ sinceUs: undefined, untilUs: undefined }, null)).toBe('All time');
    expect(describeRange(lookbackRange('1h', NOW), '1h')).toBe('Last hour');
    // A range with an end was not chosen as a lookback (a dragged range, a link): its ends are shown.
    const dragged = describeRange({ sinceUs: NOW - 60e6, untilUs: NOW }, '1h');
    expect(dragged).toMatch(/^\d\d:\d\d:\d\d – \d\d:\d\d:\d\d$/);
  });
});
