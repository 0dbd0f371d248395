// The synthetic system: what is learned from its correct runs passes on fresh correct runs (its faults
// are tested in mutate.test.ts; the benchmark reports both at a larger scale).
import { describe, expect, it } from 'vitest';
import { suggestAssertions } from './suggest';
import { configOf, failuresOn } from './verify';
import { syntheticRun, syntheticRuns } from './synthetic';

describe('synthetic read-through service', () => {
  it('no false alarm on 20 fresh correct runs', () => {
    const learned = configOf(suggestAssertions(syntheticRuns(60, 1)).suggestions);
    expect([...failuresOn(learned, syntheticRuns(20, 2)).values()].flat()).toEqual([]);
  });
  it('is seeded: the same seed gives the same run; about 30 % of runs miss the cache', () => {
    expect(JSON.stringify(syntheticRun(5, 3))).toBe(JSON.stringify(syntheticRun(5, 3)));
    const misses = syntheticRuns(200, 6).filter((r) => r.spans.some((s) => s.name === 'db.query')).length;
    expect(misses).toBeGreaterThan(40);
    expect(misses).toBeLessThan(80);
  });
  it('extraSteps grows a run to a given size', () => {
    expect(syntheticRun(1, 0, { extraSteps: 41 }).spans.length).toBeGreaterThanOrEqual(49);
  });
});
