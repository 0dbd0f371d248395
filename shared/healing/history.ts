// Flakiness from a test's own history — run history beats reading code (an SAP study found code-only
// classification barely above chance). A failure is flaky when the test has failed and then passed
// again without a change: at least two flips in its pass/fail sequence. A test that passed and then
// kept failing flipped once: that is a regression, not flakiness. The score is the flip rate (flips
// per pair of consecutive executions, as FlakeFlagger and Google's flakiness dashboards count it): 0
// for a test that always passes or always fails, 1 for one that alternates every time.
import type { VerdictValue } from '../run/records';

/** How many earlier executions the flakiness rules look at. */
export const HISTORY_WINDOW = 20;

export interface Flakiness {
  /** Executions considered (history within the window plus the current one). */
  readonly runs: number;
  readonly failures: number;
  /** Share of those executions that failed. */
  readonly failureRate: number;
  /** Changes between pass and fail, in order. */
  readonly flips: number;
  /** Flip rate in [0, 1]: flips / (runs - 1); 0 with fewer than two executions. */
  readonly score: number;
}

export type Outcome = 'pass' | 'fail';

export const outcomeOf = (v: VerdictValue): Outcome | undefined => (v === 'passed' ? 'pass' : v === 'failed' || v === 'error' ? 'fail' : undefined);

/** Flakiness of a pass/fail sequence, oldest first (only the last `HISTORY_WINDOW` count). */
export function flakinessOf(outcomes: readonly Outcome[]): Flakiness {
  const seen = outcomes.slice(-HISTORY_WINDOW);
  let flips = 0;
  for (let i = 1; i < seen.length; i++) if (seen[i] !== seen[i - 1]) flips++;
  const failures = seen.filter((o) => o === 'fail').length;
  return { runs: seen.length, failures, failureRate: seen.length === 0 ? 0 : failures / seen.length, flips, score: seen.length < 2 ? 0 : flips / (seen.length - 1) };
}

/** `history` oldest first, without the current execution; `current` is this execution's verdict. */
export function flakiness(history: readonly VerdictValue[], current?: VerdictValue): Flakiness {
  const verdicts = [...history.slice(-HISTORY_WINDOW), ...(current ? [current] : [])];
  return flakinessOf(verdicts.map(outcomeOf).filter((o) => o !== undefined));
}

/** Failed, then passed again, then failed: two flips at least. */
export function isFlaky(f: Flakiness): boolean {
  return f.flips >= 2;
}

export function describeFlakiness(f: Flakiness): string {
  return `${f.failures} of the last ${f.runs} executions failed (${Math.round(f.failureRate * 100)} %), ${f.flips} changes between pass and fail (flakiness ${f.score.toFixed(2)})`;
}

/** One expectation's results over a test's executions, oldest first. */
export interface ExpectationFlakiness extends Flakiness {
  readonly expectation: string;
}

/**
 * Flakiness per expectation: which of a test's expectations flip. `executions` are the expectation
 * results of each execution, oldest first; an expectation absent from an execution (its steps did
 * not get that far) does not count for it.
 */
export function expectationFlakiness(executions: readonly (readonly { readonly expectation: string; readonly passed: boolean }[])[]): ExpectationFlakiness[] {
  const byName = new Map<string, Outcome[]>();
  for (const results of executions) {
    for (const r of results) {
      const list = byName.get(r.expectation) ?? [];
      list.push(r.passed ? 'pass' : 'fail');
      byName.set(r.expectation, list);
    }
  }
  return [...byName].map(([expectation, outcomes]) => ({ expectation, ...flakinessOf(outcomes) }));
}
