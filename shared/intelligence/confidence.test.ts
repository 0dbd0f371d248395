import { describe, expect, it } from 'vitest';
import stdNormalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { quantileSorted as quantile } from '../perf/stats';
import { bufferedBounds, closedWorld, observedRange, roundOut, structural } from './confidence';

const normalCdf = (z: number) => stdNormalCdf(z, 0, 1);

describe('confidence formulas', () => {
  it('structural, closed world and observed range', () => {
    expect(structural(7)).toBeCloseTo(0.9921875, 12);
    expect(structural(6)).toBeLessThan(0.99);
    expect(closedWorld(98)).toBeCloseTo(0.99, 12);
    expect(observedRange(19)).toBeCloseTo(0.9, 12);
    expect(observedRange(0)).toBe(0);
  });
  it('normal CDF within 1e-6 of known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.0013499, 6);
  });
  it('quantiles interpolate between closest ranks', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([10, 20], 0.25)).toBe(12.5);
  });
});

describe('bufferedBounds', () => {
  const values = Array.from({ length: 50 }, (_, i) => 10 + (i % 10) * 0.5);
  const b = bufferedBounds(values, 1.5);
  it('widens the 5th/95th percentiles by the buffer both ways and never cuts a value seen', () => {
    expect(b.hi).toBeGreaterThanOrEqual(quantile([...values].sort((x, y) => x - y), 0.95) * 1.5);
    expect(b.hi).toBeGreaterThanOrEqual(14.5 * Math.sqrt(1.5));
    expect(b.lo).toBeLessThanOrEqual(10 / 1.5);
    expect(b.confidence).toBeGreaterThan(0.999);
    expect(b.confidence).toBeLessThanOrEqual(structural(50));
  });
  it('keeps at least `slack` above the largest value seen, and says when that decided the bound', () => {
    expect(b.bySlack).toBe(false);
    const slack = bufferedBounds(values, 1.5, 10);
    expect(slack.hi).toBe(14.5 + 10);
    expect(slack.bySlack).toBe(true);
    expect(slack.upperConfidence).toBeGreaterThanOrEqual(b.upperConfidence);
    expect(bufferedBounds(values, 1.5, 0.1)).toEqual(b);
  });
  it('is unsure of a wide spread from few samples', () => {
    expect(bufferedBounds([1, 50, 3, 200], 1.5).confidence).toBeLessThan(0.99);
  });
  it('rounds outward to 3 significant digits', () => {
    expect(roundOut(12.3456, 'up')).toBe(12.4);
    expect(roundOut(12.3456, 'down')).toBe(12.3);
    expect(roundOut(0.0012345, 'up')).toBe(0.00124);
    expect(roundOut(0, 'down')).toBe(0);
  });
});
