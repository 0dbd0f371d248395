import { describe, expect, it } from 'vitest';
import { parseDurationBounds } from './duration-filter';

describe('parseDurationBounds', () => {
  it('uses numbers ≥ 0 and ignores empty fields', () => {
    expect(parseDurationBounds(' 5 ', '')).toEqual({ minDurationMs: 5, maxDurationMs: undefined, problems: {} });
    expect(parseDurationBounds('0', '2.5')).toEqual({ minDurationMs: 0, maxDurationMs: 2.5, problems: {} });
  });

  it('says in words what is wrong with each field, and sends neither bound meanwhile', () => {
    expect(parseDurationBounds('-5', '')).toEqual({ minDurationMs: undefined, maxDurationMs: undefined, problems: { min: 'Min cannot be negative' } });
    expect(parseDurationBounds('', 'fast').problems).toEqual({ max: 'Max must be a number of milliseconds, e.g. 250' });
    expect(parseDurationBounds('10', '3')).toEqual({ minDurationMs: undefined, maxDurationMs: undefined, problems: { max: 'Max must be at least Min (10 ms)' } });
  });
});
