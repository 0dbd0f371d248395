// The labelled failure corpus: small test files under fixtures/ that fail on real Docker for real
// causes, each labelled with the class it must get. Transient cases fail only on their first start
// (a marker in a host folder made fresh per case) so a retry can heal them. Run by the integration
// test (corpus.docker.test.ts) and by `npm run bench:heal` (confusion matrix, share healed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Classification, FailureClass } from '../../shared/healing';
import { mulberry32 } from '../../shared/random';
import { faultProxyInFront } from '../chaos/proxy/interpose';
import { runTests } from '../runner/runner';
import type { TestResult } from '../runner/types';
import type { TraceStore } from '../store';

export interface CorpusCase {
  readonly file: string;
  readonly label: FailureClass;
  /** A retry can heal it: it fails only the first time. */
  readonly transient: boolean;
  /** Runs without retries before the measured one, to give the test a history (the coin's flips). */
  readonly historyRuns?: number;
  /** Services the run puts behind the chaos layer's fault proxy (the file does not say so). */
  readonly faultProxyFor?: readonly string[];
}

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

export const CORPUS: readonly CorpusCase[] = [
  { file: fixture('oom.clnrm.toml'), label: 'resource_exhaustion', transient: false },
  { file: fixture('exits-at-start.clnrm.toml'), label: 'container_startup_failure', transient: true },
  { file: fixture('missing-image.clnrm.toml'), label: 'configuration_error', transient: false },
  { file: fixture('wait-timeout.clnrm.toml'), label: 'timing_sensitivity', transient: true },
  { file: fixture('late-service.clnrm.toml'), label: 'transient_network_error', transient: true },
  { file: fixture('reset-by-proxy.clnrm.toml'), label: 'transient_network_error', transient: true, faultProxyFor: ['db'] },
  { file: fixture('nondeterministic.clnrm.toml'), label: 'determinism_violation', transient: false },
  { file: fixture('coin-flip.clnrm.toml'), label: 'flaky_test', transient: true, historyRuns: 2 },
  { file: fixture('assertion.clnrm.toml'), label: 'assertion_failure', transient: false },
  { file: fixture('broken.clnrm.toml'), label: 'invalid_test_definition', transient: false },
];

export interface CaseOutcome {
  readonly case: CorpusCase;
  /** The class the first failure got (undefined: nothing failed, which is itself a miss). */
  readonly predicted?: FailureClass;
  readonly classification?: Classification;
  /** Retries made and whether the last one passed. */
  readonly retries: number;
  readonly healed: boolean;
  readonly verdict: TestResult['verdict'];
}

/** The classification of a test's first failure: an execution's (its first attempt's, when retried), a failed determinism comparison's, or the test's own. */
export function firstFailure(test: TestResult): Classification | undefined {
  for (const e of test.executions) {
    const first = e.healing?.attempts[0]?.classification ?? e.classification;
    if (first) return first;
  }
  return test.determinism?.find((d) => d.classification)?.classification ?? test.classification;
}

export interface CorpusOptions {
  readonly store: TraceStore;
  /** Retries per execution for the measured run. */
  readonly retries: number;
  readonly seed?: number;
}

/** Runs one case (its history runs first) in a fresh state folder, and reads what the classifier said. */
export async function runCase(c: CorpusCase, options: CorpusOptions): Promise<CaseOutcome> {
  const state = mkdtempSync(join(tmpdir(), 'clnrm-heal-'));
  const env = { ...process.env, CLNRM_HEAL_STATE: state };
  const interpose = c.faultProxyFor ? { interpose: () => c.faultProxyFor!.map((service) => faultProxyInFront(service)) } : {};
  const base = { sources: [{ file: c.file }], cwd: state, env, store: options.store, writeReports: false, quietMs: 30, ...interpose } as const;
  try {
    for (let i = 0; i < (c.historyRuns ?? 0); i++) await runTests(base);
    const summary = await runTests({ ...base, healing: { retries: options.retries, random: mulberry32(options.seed ?? 1) } });
    const test = summary.tests[0]!;
    const classification = firstFailure(test);
    const retries = test.executions.reduce((n, e) => n + (e.healing?.attempts.length ?? 0), 0);
    const healed = retries > 0 && test.executions.every((e) => e.verdict === 'passed');
    return { case: c, ...(classification ? { predicted: classification.class, classification } : {}), retries, healed, verdict: test.verdict };
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}
