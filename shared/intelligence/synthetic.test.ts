// The synthetic system end to end: what is learned from correct runs passes on fresh correct runs and
// catches every mutant kind (the benchmark reports the same at a larger scale).
import { describe, expect, it } from 'vitest';
import { suggestAssertions } from './suggest';
import { configOf, failuresOn } from './verify';
import { MUTANT_KINDS, syntheticRun, syntheticRuns } from './synthetic';

describe('synthetic read-through service', () => {
  const learned = configOf(suggestAssertions(syntheticRuns(60, 1)).suggestions);
  const caughtRuns = (runs: ReturnType<typeof syntheticRuns>) => new Set([...failuresOn(learned, runs).values()].flat());

  it('no false alarm on 20 fresh correct runs', () => {
    expect([...caughtRuns(syntheticRuns(20, 2))]).toEqual([]);
  });
  it.each(MUTANT_KINDS)('catches every %s mutant', (kind) => {
    const mutants = Array.from({ length: 5 }, (_, k) => syntheticRun(3, k, {}, kind));
    expect(caughtRuns(mutants).size).toBe(5);
  });
  it('a mutant differs from its correct run only by its fault', () => {
    const correct = syntheticRun(3, 0);
    const event = syntheticRun(3, 0, {}, 'missing-event');
    expect(event.spans.map((s) => s.name)).toEqual(correct.spans.map((s) => s.name));
    expect(event.spans.find((s) => s.name === 'auth.check')!.events).toEqual([]);
  });
});
