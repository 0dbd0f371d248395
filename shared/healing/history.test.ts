import { describe, expect, it } from 'vitest';
import { expectationFlakiness, flakiness, flakinessOf, HISTORY_WINDOW, isFlaky } from './history';

describe('flakiness scores from history', () => {
  it('scores the flip rate: 0 for steady, 1 for alternating, in between otherwise', () => {
    expect(flakinessOf(['pass', 'pass', 'pass']).score).toBe(0);
    expect(flakinessOf(['fail', 'fail', 'fail']).score).toBe(0);
    expect(flakinessOf(['pass', 'fail', 'pass', 'fail', 'pass'])).toEqual({ runs: 5, failures: 2, failureRate: 0.4, flips: 4, score: 1 });
    expect(flakinessOf(['pass', 'pass', 'fail', 'pass', 'pass']).score).toBe(0.5);
    expect(flakinessOf(['fail']).score).toBe(0);
  });

  it('counts only the window, and skipped executions not at all', () => {
    const long = [...Array<'passed'>(HISTORY_WINDOW).fill('passed'), 'failed' as const];
    expect(flakiness(long).runs).toBe(HISTORY_WINDOW);
    expect(flakiness(['passed', 'skipped', 'failed'], 'passed')).toMatchObject({ runs: 3, flips: 2 });
  });

  it('a regression flips once and is not flaky', () => {
    expect(isFlaky(flakiness(['passed', 'passed'], 'failed'))).toBe(false);
    expect(isFlaky(flakiness(['failed', 'passed'], 'failed'))).toBe(true);
  });

  it('scores each expectation on the executions that evaluated it', () => {
    const runs = [[{ expectation: 'a', passed: true }, { expectation: 'b', passed: true }], [{ expectation: 'a', passed: false }], [{ expectation: 'a', passed: true }, { expectation: 'b', passed: true }]];
    const byName = Object.fromEntries(expectationFlakiness(runs).map((e) => [e.expectation, e]));
    expect(byName.a).toMatchObject({ runs: 3, failures: 1, flips: 2, score: 1 });
    expect(byName.b).toMatchObject({ runs: 2, failures: 0, flips: 0, score: 0 });
  });
});
