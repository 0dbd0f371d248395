// Flakiness from a test's own history — run history beats reading code (an SAP study found code-only
// classification barely above chance). A failure is flaky when the test has failed and then passed
// again without a change: at least two flips in its pass/fail sequence. A test that passed and then
// kept failing flipped once: that is a regression, not flakiness.
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
}

const outcome = (v: VerdictValue): 'pass' | 'fail' | undefined => (v === 'passed' ? 'pass' : v === 'failed' || v === 'error' ? 'fail' : undefined);

/** `history` oldest first, without the current execution; `current` is this execution's verdict. */
export function flakiness(history: readonly VerdictValue[], current?: VerdictValue): Flakiness {
  const seen = [...history.slice(-HISTORY_WINDOW), ...(current ? [current] : [])].map(outcome).filter((o) => o !== undefined);
  let flips = 0;
  for (let i = 1; i < seen.length; i++) if (seen[i] !== seen[i - 1]) flips++;
  const failures = seen.filter((o) => o === 'fail').length;
  return { runs: seen.length, failures, failureRate: seen.length === 0 ? 0 : failures / seen.length, flips };
}

/** Failed, then passed again, then failed: two flips at least. */
export function isFlaky(f: Flakiness): boolean {
  return f.flips >= 2;
}

export function describeFlakiness(f: Flakiness): string {
  return `${f.failures} of the last ${f.runs} executions failed (${Math.round(f.failureRate * 100)} %), ${f.flips} changes between pass and fail`;
}
