import { describe, expect, it } from 'vitest';
import { rangeLabel, scatterScales, tickFormatter } from './scatter-scales';

describe('scatterScales', () => {
  it('places the earliest start left and the longest duration at the top, inside the plot', () => {
    const traces = [
      { startUs: 1_000_000, durationUs: 1_000 },
      { startUs: 2_000_000, durationUs: 5_000 },
      { startUs: 3_000_000, durationUs: 2_000 },
    ];
    const s = scatterScales(traces, 600, 100);
    expect(s.log).toBe(false);
    const xs = traces.map((t) => s.x(t.startUs));
    expect(xs[0]).toBeLessThan(xs[1]!);
    expect(xs[1]).toBeLessThan(xs[2]!);
    for (const x of xs) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(600);
    }
    expect(s.y(5_000)).toBeLessThan(s.y(1_000));
    expect(s.y(5_000)).toBeGreaterThanOrEqual(0);
    expect(s.xToUs(s.x(2_000_000))).toBeCloseTo(2_000_000, 3);
  });

  it('switches to a log scale when durations span more than two decades', () => {
    const s = scatterScales(
      [
        { startUs: 0, durationUs: 10 },
        { startUs: 5, durationUs: 5_000_000 },
      ],
      400,
      100,
    );
    expect(s.log).toBe(true);
    expect(s.y(10)).toBeLessThanOrEqual(100);
    expect(s.y(5_000_000)).toBeGreaterThanOrEqual(0);
    // Zero durations are drawn at the bottom, not at -Infinity.
    expect(Number.isFinite(s.y(0))).toBe(true);
  });

  it('copes with no traces and with one', () => {
    expect(() => scatterScales([], 100, 50)).not.toThrow();
    const one = scatterScales([{ startUs: 7, durationUs: 0 }], 100, 50);
    expect(one.x(7)).toBeCloseTo(50, 5);
  });
});

describe('tickFormatter', () => {
  const at = Date.UTC(2026, 10, 22, 4, 28, 10, 514) * 1000;
  it('shows milliseconds when the plot spans under 10 s, and drops them beyond', () => {
    expect(tickFormatter(1_000_000)(at)).toMatch(/\d\d:\d\d:\d\d\.514$/);
    expect(tickFormatter(60_000_000)(at)).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(tickFormatter(3 * 86_400_000_000)(at)).toMatch(/Nov|11/);
  });
});

describe('dates on the time axis and the range label', () => {
  // Local times, so the test means the same in every time zone.
  const lateEvening = new Date(2026, 10, 22, 23, 0, 0).getTime() * 1000;
  const earlyMorning = new Date(2026, 10, 23, 1, 0, 0).getTime() * 1000;
  const noon = new Date(2026, 10, 22, 12, 0, 0).getTime() * 1000;

  it('shows dates when the axis crosses midnight, even when it spans only hours', () => {
    const format = tickFormatter(earlyMorning - lateEvening, lateEvening, earlyMorning);
    expect(format(earlyMorning)).toMatch(/23/);
    expect(format(earlyMorning)).not.toBe(tickFormatter(60_000_000)(earlyMorning));
    expect(tickFormatter(lateEvening - noon, noon, lateEvening)(noon)).toBe(tickFormatter(60_000_000)(noon));
  });

  it('puts dates in the range label only when its ends are on different days', () => {
    expect(rangeLabel(lateEvening, earlyMorning)).toMatch(/22.*–.*23/);
    expect(rangeLabel(noon, lateEvening)).toBe(`${tickFormatter(60_000_000)(noon)} – ${tickFormatter(60_000_000)(lateEvening)}`);
    expect(rangeLabel(undefined, noon)).toMatch(/^… – /);
  });
});
