// Running a suite file inside one `clnrm run`: its `[[suite.scenario]]` files are loaded (relative to
// the suite file) and run as the suite's own queue — one at a time unless `parallel = true`, stopping
// after a failure with `fail_fast`, each file bounded by its `timeout_minutes` and the whole suite by
// `[suite] timeout_minutes` — and then judged into a SHIP/BLOCK verdict (suite-verdict.ts).
import { dirname, resolve } from 'node:path';
import { StudioError, type Problem } from '../../shared/errors';
import type { SuiteFile, TestFile } from '../../shared/spec';
import { loadTestFile } from '../spec';
import { suiteVerdict, type SuiteVerdict } from './suite-verdict';
import type { TestResult } from './types';

/** One test of a queue, with the bound its suite scenario puts on it. */
export interface QueuedTest {
  readonly test: TestFile;
  readonly file: string;
  readonly timeout?: { readonly ms: number; readonly problem: Problem };
}

export interface QueueOptions {
  readonly jobs: number;
  readonly failFast: boolean;
  readonly signal: AbortSignal;
  /** Record the engine's leftovers after every execution (a suite's container_cleanup_verified). */
  readonly verifyCleanup?: boolean;
}

export type RunQueue = (tests: readonly QueuedTest[], options: QueueOptions) => Promise<TestResult[]>;

interface SuiteScenarioFile {
  /** Absolute path. */
  readonly file: string;
  readonly tests: QueuedTest[];
  /** The file could not be used (invalid, unreadable, itself a suite). */
  readonly failed?: TestResult;
  readonly declaresDeterminism: boolean;
}

export interface SuitePlan {
  readonly suite: SuiteFile;
  /** The suite file as given. */
  readonly file: string;
  readonly scenarios: SuiteScenarioFile[];
}

const DECLARES_DETERMINISM = /^\s*\[\s*expect\s*\.\s*determinism\s*\]/m;

function failedFile(file: string, problems: Problem[]): TestResult {
  return { file, name: file, verdict: 'error', startedAt: new Date().toISOString(), durationMs: 0, executions: [], problems };
}

/** Loads each scenario file of the suite; warnings go to `warn`. */
export async function planSuite(suite: SuiteFile, file: string, cwd: string, env: Readonly<Record<string, string | undefined>>, warn: (message: string) => void): Promise<SuitePlan> {
  const base = dirname(resolve(cwd, file));
  const scenarios: SuiteScenarioFile[] = [];
  for (const s of suite.scenarios) {
    const path = resolve(base, s.file);
    const loaded = await loadTestFile(path, { ...env });
    for (const w of loaded.warnings) warn(`${path}:${w.line ?? 0}:${w.column ?? 0}: ${w.message}`);
    const declaresDeterminism = DECLARES_DETERMINISM.test(loaded.source);
    if (loaded.suite) {
      scenarios.push({ file: path, tests: [], declaresDeterminism, failed: failedFile(path, [{ code: 'spec.reference', message: `suite scenario ${s.name} names another suite file; list its scenario files instead`, file }]) });
      continue;
    }
    if (loaded.errors.length > 0) {
      scenarios.push({ file: path, tests: [], declaresDeterminism, failed: failedFile(path, loaded.errors) });
      continue;
    }
    const timeout = s.timeoutMs === undefined ? undefined : { ms: s.timeoutMs, problem: { code: 'runner.timeout' as const, message: `suite scenario ${s.name} ran longer than its timeout_minutes (${s.timeoutMs / 60_000} min); its containers were removed`, file: path } };
    scenarios.push({ file: path, declaresDeterminism, tests: loaded.tests.map((test) => ({ test, file: path, ...(timeout ? { timeout } : {}) })) });
  }
  return { suite, file, scenarios };
}

/** Absolute paths of the scenario files a suite runs (they are not run again on their own). */
export function claimedFiles(plans: readonly SuitePlan[]): Set<string> {
  return new Set(plans.flatMap((p) => p.scenarios.map((s) => s.file)));
}

/** Runs the suite's scenario files as one queue, then judges them. */
export async function runSuite(plan: SuitePlan, runQueue: RunQueue, signal: AbortSignal, log: (message: string) => void): Promise<{ results: TestResult[]; verdict: SuiteVerdict }> {
  const { suite } = plan;
  const tests = plan.scenarios.flatMap((s) => s.tests);
  log(`suite ${suite.suiteName}: ${suite.scenarios.length} scenario file(s), ${suite.parallel ? 'in parallel' : 'one at a time'}${suite.failFast ? ', fail-fast' : ''}`);
  const bound = new AbortController();
  const timer = suite.timeoutMs === undefined ? undefined : setTimeout(() => bound.abort(new StudioError({ code: 'runner.timeout', message: `suite ${suite.suiteName} ran longer than its timeout_minutes (${suite.timeoutMs! / 60_000} min)`, file: plan.file })), suite.timeoutMs);
  let ran: TestResult[];
  try {
    ran = await runQueue(tests, { jobs: suite.parallel ? Math.max(1, tests.length) : 1, failFast: suite.failFast, signal: AbortSignal.any([signal, bound.signal]), verifyCleanup: true });
  } finally {
    clearTimeout(timer);
  }
  const inputs = plan.scenarios.map((s) => ({
    file: s.file,
    declaresDeterminism: s.declaresDeterminism,
    results: s.failed ? [s.failed] : ran.filter((r) => r.file === s.file),
  }));
  const results = inputs.flatMap((i) => i.results);
  return { results, verdict: suiteVerdict(suite, plan.file, inputs) };
}
