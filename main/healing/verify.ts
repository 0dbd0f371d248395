// Verify-by-rerun: a repair counts as verified only when the test, with the patch applied to a copy of
// its text (the user's file untouched), passes every one of N reruns. The reruns use a store in memory,
// so they leave no history (and no flakiness) behind, and no knowledge folder (nothing is learned).
import { dirname } from 'node:path';
import { formatProblem } from '../../shared/errors';
import { runTests } from '../runner';
import { openStore } from '../store';

export interface Verification {
  readonly runs: number;
  readonly passed: number;
  /** Why it stopped short of N passes: the failing rerun's verdict, or an environment problem. */
  readonly note?: string;
}

export interface VerifyOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
}

/** Reruns `file`'s test from `text` up to `runs` times; stops at the first rerun that does not pass. */
export async function verifyByRerun(file: string, text: string, runs: number, options: VerifyOptions): Promise<Verification> {
  let passed = 0;
  for (let i = 1; i <= runs && !options.signal.aborted; i++) {
    const store = await openStore({ inMemory: true });
    try {
      const summary = await runTests({ sources: [{ file, source: text }], store, cwd: dirname(file), env: options.env, jobs: 1, writeReports: false, signal: options.signal });
      if (summary.environmentProblem) return { runs: i, passed, note: `could not rerun: ${formatProblem(summary.environmentProblem)}` };
      const failing = summary.tests.find((t) => t.verdict !== 'passed');
      if (summary.tests.length === 0 || failing) return { runs: i, passed, note: `rerun ${i} ${failing?.verdict ?? 'ran no test'}` };
      passed++;
    } finally {
      await store.dispose();
    }
  }
  return { runs, passed, ...(passed < runs ? { note: 'cancelled' } : {}) };
}
