import { describe, expect, it } from 'vitest';
import { MAX_LIVE_SECONDS } from '../../../shared/ipc/chaos-live-schema';
import { completeUntil, LATE_S, nextRange, resumeAt } from './live-poll';

describe('the seconds a live poll asks for', () => {
  it('asks for complete seconds only, never past the planned end, at most one answer’s worth', () => {
    expect(nextRange(0, 999, 9000)).toBeUndefined();
    expect(nextRange(0, 3400, 9000)).toEqual({ fromSecond: 0, toSecond: 3 });
    expect(nextRange(2, 60_000, 9000)).toEqual({ fromSecond: 2, toSecond: 9 });
    expect(nextRange(0, 3600_000, 3600_000)).toEqual({ fromSecond: 0, toSecond: MAX_LIVE_SECONDS });
    // A planned end inside a second still shows that second.
    expect(nextRange(8, 60_000, 9500)).toEqual({ fromSecond: 8, toSecond: 10 });
    expect(completeUntil(60_000, 9500)).toBe(10);
    expect(completeUntil(4200, 9500)).toBe(4);
  });

  it('asks the late seconds again, and goes on where a cut-short answer stopped', () => {
    expect(resumeAt({ fromSecond: 0, toSecond: 12 }, 12)).toBe(12 - LATE_S);
    expect(resumeAt({ fromSecond: 10, toSecond: 12 }, 12)).toBe(10);
    expect(resumeAt({ fromSecond: 0, toSecond: 120 }, 40)).toBe(40);
  });
});
