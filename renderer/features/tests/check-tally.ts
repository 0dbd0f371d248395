// The checks of one finished run, counted the way they are listed: "N of M checks passed" is over
// exactly the lines shown under it (failed steps and every expectation). The whole-test verdict is a
// summary, not a check; when a test failed for a reason no check shows (a service never started),
// that reason is kept apart to be shown on its own line.
import type { Verdict } from '../../../shared/ipc/contract';

export interface CheckTally {
  passed: Verdict[];
  failed: Verdict[];
  /** `N of M checks passed`, or undefined when the run has no checks to count. */
  summary: string | undefined;
  /** Failed tests whose reason is not already one of the failed checks. */
  reasons: Verdict[];
}

export function tallyChecks(verdicts: readonly Verdict[]): CheckTally {
  const checks = verdicts.filter((v) => v.kind !== 'test');
  const passed = checks.filter((v) => v.passed);
  const failed = checks.filter((v) => !v.passed);
  const failedMessages = new Set(failed.map((v) => v.message));
  const reasons = verdicts.filter((v) => v.kind === 'test' && !v.passed && v.message !== 'failed' && !failedMessages.has(v.message));
  return { passed, failed, summary: checks.length > 0 ? `${passed.length} of ${checks.length} checks passed` : undefined, reasons };
}
