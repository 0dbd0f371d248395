import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../shared/ipc/contract';
import { tallyChecks } from './check-tally';

const v = (name: string, kind: Verdict['kind'], passed: boolean, message = passed ? 'ok' : 'failed'): Verdict => ({ name, kind, passed, message, evidence: [] });

describe('tallyChecks', () => {
  it('counts exactly the checks it lists: the test line is a summary, not a check', () => {
    const tally = tallyChecks([v('demo', 'test', false), v('main › a', 'expectation', false, 'no span a'), v('main › b', 'expectation', false, 'no span b'), v('main › c', 'expectation', false, 'no span c')]);
    expect(tally.summary).toBe('0 of 3 checks passed');
    expect(tally.failed.map((x) => x.name)).toEqual(['main › a', 'main › b', 'main › c']);
    expect(tally.passed).toEqual([]);
    expect(tally.reasons).toEqual([]);
  });

  it('counts a failed step as a failed check', () => {
    const tally = tallyChecks([v('t', 'test', false, 'step boom exited 1'), v('main › step boom', 'step', false, 'step boom exited 1'), v('main › x', 'expectation', true)]);
    expect(tally.summary).toBe('1 of 2 checks passed');
    expect(tally.failed).toHaveLength(1);
    expect(tally.passed).toHaveLength(1);
    expect(tally.reasons).toEqual([]);
  });

  it('keeps a failure no check shows (a service that never started) as a reason, with no count', () => {
    const tally = tallyChecks([v('t', 'test', false, 'service db did not become ready in 30 s')]);
    expect(tally.summary).toBeUndefined();
    expect(tally.reasons.map((r) => r.message)).toEqual(['service db did not become ready in 30 s']);
    expect(tallyChecks([v('t', 'test', true, 'passed'), v('main › x', 'expectation', true)]).summary).toBe('1 of 1 checks passed');
  });
});
