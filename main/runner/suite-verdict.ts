// A suite's release verdict from the results of its scenario files: each scenario's outcome, the
// weighted confidence (weights of passed scenarios / total weight), `[expect.suite]` and every
// `[release.criteria]` entry — checked from the run's results where we can, otherwise reported as
// "not checked: why" (never a silent pass). SHIP unless a required scenario, a suite expectation or
// a checked criterion failed. Pure: the runner hands it the results (suite-run.ts).
import type { CriterionValue, SuiteFile, SuiteReportSection } from '../../shared/spec';
import { criterionCheck, type CriterionStatus } from './suite-criteria';
import type { TestResult, Verdict } from './types';

export interface SuiteScenarioOutcome {
  readonly position: number;
  readonly name: string;
  /** Absolute path of the scenario file. */
  readonly file: string;
  readonly required: boolean;
  readonly weight: number;
  readonly verdict: Verdict;
  readonly tests: number;
  readonly durationMs: number;
}

export interface CriterionOutcome {
  readonly name: string;
  readonly expected: CriterionValue;
  readonly status: CriterionStatus;
  readonly detail: string;
}

export interface SuiteVerdict {
  readonly suite: string;
  readonly file: string;
  readonly version?: string;
  readonly verdict: 'ship' | 'block';
  /** 0..1 */
  readonly confidence: number;
  readonly passedWeight: number;
  readonly totalWeight: number;
  readonly scenarios: SuiteScenarioOutcome[];
  /** `[expect.suite]` */
  readonly expectations: CriterionOutcome[];
  /** `[release.criteria]`, in file order. */
  readonly criteria: CriterionOutcome[];
  /** Why the verdict is BLOCK (empty for SHIP). */
  readonly reasons: string[];
  /** `✅ SHIP v1.0.1 - 100% CONFIDENCE` / `❌ BLOCK v1.0.1 - FAILURES DETECTED (75.0% confidence)` */
  readonly line: string;
  /** `[report.verdict]`: which parts the terminal shows. */
  readonly show?: SuiteReportSection['verdict'];
}

/** What the verdict reads for one scenario of the suite. */
export interface ScenarioInput {
  /** Absolute path of the scenario file. */
  readonly file: string;
  /** The tests the file produced (one per matrix combination; an `error` result when it did not load). */
  readonly results: readonly TestResult[];
  /** The file declares `[expect.determinism]`: the scenario `determinism_hash_match` judges. */
  readonly declaresDeterminism: boolean;
}

/** A scenario passes when every test of its file passed (and there was one). */
export function scenarioVerdict(results: readonly TestResult[]): Verdict {
  if (results.length === 0) return 'skipped';
  if (results.some((r) => r.verdict === 'error')) return 'error';
  if (results.some((r) => r.verdict === 'failed')) return 'failed';
  return results.every((r) => r.verdict === 'passed') ? 'passed' : 'skipped';
}

/** "100%" at full confidence, else one decimal ("75.0%", "87.5%"). */
export function percent(confidence: number): string {
  return confidence === 1 ? '100%' : `${(confidence * 100).toFixed(1)}%`;
}

export function verdictLine(suite: Pick<SuiteFile, 'version' | 'name'>, ship: boolean, confidence: number): string {
  const label = suite.version === undefined ? suite.name : /^\d/.test(suite.version) ? `v${suite.version}` : suite.version;
  return ship ? `✅ SHIP ${label} - ${percent(confidence).toUpperCase()} CONFIDENCE` : `❌ BLOCK ${label} - FAILURES DETECTED (${percent(confidence)} confidence)`;
}

export function suiteVerdict(suite: SuiteFile, file: string, inputs: readonly ScenarioInput[]): SuiteVerdict {
  const scenarios = suite.scenarios.map((s, i): SuiteScenarioOutcome => {
    const results = inputs[i]?.results ?? [];
    return {
      position: s.position,
      name: s.name,
      file: inputs[i]?.file ?? s.file,
      required: s.required,
      weight: s.weight,
      verdict: scenarioVerdict(results),
      tests: results.length,
      durationMs: results.reduce((sum, r) => sum + r.durationMs, 0),
    };
  });
  const totalWeight = scenarios.reduce((sum, s) => sum + s.weight, 0);
  const passedWeight = scenarios.filter((s) => s.verdict === 'passed').reduce((sum, s) => sum + s.weight, 0);
  const confidence = totalWeight > 0 ? passedWeight / totalWeight : 0;
  const context = { scenarios, inputs };
  const judge = (name: string, expected: CriterionValue, shown = name): CriterionOutcome => ({ name: shown, expected, ...criterionCheck(name, expected, context) });
  const expectations = Object.entries(suite.expectSuite).map(([name, value]) => judge(name, value, `expect.suite.${name}`));
  const criteria = suite.criteria.map(([name, value]) => judge(name, value));
  const reasons = [
    ...scenarios.filter((s) => s.required && s.verdict !== 'passed').map((s) => `required scenario ${s.name} ${s.verdict}`),
    ...[...expectations, ...criteria].filter((c) => c.status === 'failed').map((c) => `${c.name}: ${c.detail}`),
  ];
  const ship = reasons.length === 0;
  return {
    suite: suite.name,
    file,
    ...(suite.version !== undefined ? { version: suite.version } : {}),
    verdict: ship ? 'ship' : 'block',
    confidence,
    passedWeight,
    totalWeight,
    scenarios,
    expectations,
    criteria,
    reasons,
    line: verdictLine(suite, ship, confidence),
    ...(suite.report?.verdict ? { show: suite.report.verdict } : {}),
  };
}
