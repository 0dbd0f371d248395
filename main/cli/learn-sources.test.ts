// The time arguments of --since/--until: date-times and times ago, and what is refused.
import { describe, expect, it } from 'vitest';
import { rangeSource, rangeUsageProblem, timeArg } from './learn-sources';

describe('timeArg', () => {
  const now = Date.UTC(2026, 11, 7, 12, 0, 0);
  it('reads a time ago in seconds, minutes, hours and days, as µs since the epoch', () => {
    expect(timeArg('90s', now)).toBe((now - 90_000) * 1000);
    expect(timeArg('30m', now)).toBe((now - 1_800_000) * 1000);
    expect(timeArg('2h', now)).toBe((now - 7_200_000) * 1000);
    expect(timeArg('7d', now)).toBe((now - 7 * 86_400_000) * 1000);
  });
  it('reads ISO 8601 dates and date-times, with a zone or an offset', () => {
    expect(timeArg('2026-12-07T14:00:00Z')).toBe(Date.UTC(2026, 11, 7, 14) * 1000);
    expect(timeArg('2026-12-07T14:00:00.250+01:00')).toBe((Date.UTC(2026, 11, 7, 13) + 250) * 1000);
    expect(timeArg('2026-12-07')).toBe(Date.UTC(2026, 11, 7) * 1000);
  });
  it('refuses anything else with how to write it', () => {
    for (const bad of ['yesterday', '', '5', '-2h', '2h ago', '2026-13-45T99:00:00Z', '1e9']) {
      expect(() => timeArg(bad, now), bad).toThrow(/give a date-time like 2026-12-07T14:00:00Z, or a time ago/);
    }
  });
});

describe('ranges', () => {
  it('an end before its start is a usage problem; an open range is not', () => {
    expect(rangeUsageProblem({ since: 2, until: 1 })).toMatch(/--until is before --since/);
    expect(rangeUsageProblem({ since: 1 })).toBeUndefined();
    expect(rangeUsageProblem({ since: 1, until: 1 })).toBeUndefined();
  });
  it('a store range keeps what was given and caps the limit', () => {
    expect(rangeSource({ since: 5, service: 'api' })).toEqual({ kind: 'range', sinceUs: 5, service: 'api', limit: 100 });
    expect(rangeSource({ until: 9, limit: 50_000, dataDir: 'db' })).toEqual({ kind: 'range', untilUs: 9, limit: 10_000, dataDir: 'db' });
  });
});
