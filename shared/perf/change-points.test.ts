import { describe, expect, it } from 'vitest';
import { ChangePointTracker, detectChangePoints } from './change-points';
import { NOISE_KINDS, syntheticSeries } from './synthetic-series';

const step = (length: number, at: number, low: number, high: number): number[] =>
  Array.from({ length }, (_, i) => (i < at ? low : high) + ((i * 7) % 5) * 0.1);

describe('detectChangePoints', () => {
  it('finds nothing in a constant or empty series', () => {
    expect(detectChangePoints(new Array(200).fill(42))).toEqual([]);
    expect(detectChangePoints([])).toEqual([]);
  });

  it('finds a step at its first new point, with both means, the change and a p-value', () => {
    const [cp, ...rest] = detectChangePoints(step(120, 70, 100, 120));
    expect(rest).toEqual([]);
    expect(cp!.index).toBe(70);
    expect(cp!.before).toBeCloseTo(100.2, 1);
    expect(cp!.after).toBeCloseTo(120.2, 1);
    expect(cp!.changePercent).toBeCloseTo(19.96, 1);
    expect(cp!.pValue).toBeLessThan(1e-10);
  });

  it('ignores single slow runs and short bursts (outlier filter, minimum segment)', () => {
    const values = syntheticSeries({ length: 150, level: 100, noise: 'normal-2%', shifts: [], seed: 3 });
    values[40] = 300;
    values[90] = 250;
    values[91] = 260;
    expect(detectChangePoints(values)).toEqual([]);
  });

  it('finds several shifts in a long noisy series', () => {
    const values = syntheticSeries({ length: 600, level: 100, noise: 'log-normal-5%', shifts: [{ index: 150, relative: 0.2 }, { index: 300, relative: -0.15 }, { index: 460, relative: 0.12 }], seed: 9 });
    const found = detectChangePoints(values).map((c) => c.index);
    expect(found).toHaveLength(3);
    [150, 300, 460].forEach((truth, k) => expect(Math.abs(found[k]! - truth)).toBeLessThanOrEqual(3));
  });

  it('rejects non-finite values and bad options with what to fix', () => {
    expect(() => detectChangePoints([1, 2, NaN])).toThrow(/value 2 is NaN/);
    expect(() => detectChangePoints([1], { maxPValue: 0 })).toThrow(/maxPValue/);
    expect(() => detectChangePoints([1], { windowLength: 3 })).toThrow(/windowLength/);
    expect(() => detectChangePoints([1], { minSegmentLength: 30 })).toThrow(/minSegmentLength/);
  });

  it('honours min magnitude', () => {
    const values = step(120, 60, 100, 103);
    expect(detectChangePoints(values)).toHaveLength(1);
    expect(detectChangePoints(values, { minMagnitude: 0.05 })).toEqual([]);
  });
});

describe('ChangePointTracker', () => {
  it('finds, point by point, the change points the batch finds (same count, within 4 points)', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const values = syntheticSeries({
        length: 500, level: 100, noise: NOISE_KINDS[seed % NOISE_KINDS.length]!,
        shifts: [{ index: 120 + seed, relative: 0.2 }, { index: 260, relative: -0.15 }, { index: 400 - seed, relative: 0.12 }], seed,
      });
      const tracker = new ChangePointTracker();
      for (const v of values) tracker.append(v);
      const batch = detectChangePoints(values).map((c) => c.index);
      const incremental = tracker.changePoints().map((c) => c.index);
      expect(tracker.length).toBe(500);
      expect(incremental).toHaveLength(batch.length);
      incremental.forEach((index, k) => expect(Math.abs(index - batch[k]!)).toBeLessThanOrEqual(4));
    }
  });

  it('rejects a non-finite value without changing its state', () => {
    const tracker = new ChangePointTracker();
    tracker.append(1);
    expect(() => tracker.append(Infinity)).toThrow(/value 1 is Infinity/);
    expect(tracker.length).toBe(1);
  });
});
