// Span-level faults (for recorded runs): each changes what its kind says and is caught by what was
// learned from correct runs of the synthetic system.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { knowledgeOf, mutateRun, MUTANT_KINDS } from './mutate';
import { suggestAssertions } from './suggest';
import { configOf, failuresOn } from './verify';
import { syntheticRuns } from './synthetic';

const training = syntheticRuns(60, 1);
const known = knowledgeOf(training);
const learned = configOf(suggestAssertions(training).suggestions);
const fresh = syntheticRuns(5, 8);

describe('knowledgeOf', () => {
  it('finds the names every run has once, constant attributes and unseen edges', () => {
    expect(known.required).toContain('auth.check');
    expect(known.required).not.toContain('db.query');
    expect(known.required).not.toContain('template.render');
    expect(known.constants).toContainEqual(['cache.get', 'cache.system', 'redis']);
    expect(known.unseenEdges).toContainEqual(['frontend', 'db']);
    expect(known.unseenEdges).not.toContainEqual(['frontend', 'api']);
  });
});

describe('mutateRun', () => {
  it.each(MUTANT_KINDS)('%s: a changed copy, caught by what was learned', (kind) => {
    const random = mulberry32(42);
    let caught = 0;
    for (const run of fresh) {
      const mutant = mutateRun(run, kind, known, random)!;
      expect(mutant.id).toBe(`${run.id}-${kind}`);
      expect(JSON.stringify(mutant.spans)).not.toBe(JSON.stringify(run.spans));
      if (failuresOn(learned, [mutant]).size > 0) caught++;
    }
    // Every kind, a 3× slower api.get_item on a cache hit too (its self-time bound, README).
    expect(caught).toBe(fresh.length);
    expect(failuresOn(learned, fresh).size).toBe(0);
  });
});
