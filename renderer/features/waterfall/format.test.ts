import { describe, expect, it } from 'vitest';
import { formatDuration, niceStep, ticks } from './format';

describe('format', () => {
  it('formats durations with sensible units', () => {
    expect(formatDuration(0.5)).toBe('500 ns');
    expect(formatDuration(12.34)).toBe('12.3 µs');
    expect(formatDuration(2500)).toBe('2.5 ms');
    expect(formatDuration(1_234_567)).toBe('1.23 s');
    expect(formatDuration(125_000_000)).toBe('2m 5s');
  });
  it('picks 1-2-5 tick steps', () => {
    expect(niceStep(1000, 5)).toBe(200);
    expect(niceStep(7, 6)).toBe(1);
    expect(ticks(0, 1000, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
  });
});
