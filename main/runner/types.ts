// What a run produces: per test, per scenario execution (one per determinism iteration), per step —
// with the evidence (exit codes, container states, OOM flags, log tails, expectation results) that
// reports, the store's run records and later self-healing read.
import type { FaultWindowRecord } from '../../shared/chaos/fault-windows';
import type { Problem } from '../../shared/errors';
import type { ExpectationResult, TraceDifference } from '../../shared/expect';
import type { Classification, HealingRecord, QuarantineNote } from '../../shared/healing';
import type { StepRecord } from '../../shared/run';
import type { ContainerEvidence, ContainerStatsSample } from '../docker';
import type { RegressionCheck } from '../perf/run-checks';
import type { CleanupRecord } from './cleanup-check';
import type { ContainerIsolation } from './isolation';
import type { SuiteVerdict } from './suite-verdict';

export type Verdict = 'passed' | 'failed' | 'error' | 'skipped';

/** One step's outcome: the history record's shape (shared/run/records.ts). */
export type StepResult = StepRecord;

export interface ScenarioExecution {
  /** The execution's id: labels of its containers and `clnrm.execution_id` of its spans. */
  readonly runId: string;
  readonly scenario: string;
  /** 1-based; 1 without `[determinism]`. */
  readonly iteration: number;
  readonly verdict: Verdict;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly steps: StepResult[];
  readonly expectations: ExpectationResult[];
  /** Problems that stopped the execution (services that did not start, Docker errors). */
  readonly problems: Problem[];
  readonly containers: ContainerEvidence[];
  /** Spans of the system under test received for this execution. */
  readonly spanCount: number;
  /** Normalized trace hash of those spans (determinism, digest). */
  readonly traceHash: string;
  /** Names of spans by id, to show evidence readably. */
  readonly spanNames: Readonly<Record<string, string>>;
  /** Container resource samples taken while the steps ran (`[performance]` or `sampleStats`). */
  readonly stats?: ContainerStatsSample[];
  /** The engine's view after cleanup (`[report] cleanup_verification`), when the file asks for it. */
  readonly cleanup?: CleanupRecord;
  /** `[expect.isolation]` inputs and results (`[report] isolation_report`), when the file asks for them. */
  readonly isolation?: { readonly containers: ContainerIsolation[]; readonly results: ExpectationResult[] };
  /** `[[expect.regression]]` entries judged against their baselines (`report_path` files). */
  readonly regressions?: RegressionCheck[];
  /** Why it did not pass, by the self-healing classifier (failed and errored executions). */
  readonly classification?: Classification;
  /** The attempts before this one, when self-healing retried the execution. */
  readonly healing?: HealingRecord;
  /** The engine it ran on, when the run had a pool of several (`--engine`, CLNRM_ENGINES). */
  readonly engine?: string;
  /** When each injected fault was active, for executions with chaos (kept in the evidence). */
  readonly faultWindows?: FaultWindowRecord[];
}

export interface DeterminismResult {
  readonly iterations: number;
  readonly hashes: string[];
  readonly passed: boolean;
  /** Differences between iteration 1 and the first iteration that differed. */
  readonly differences: TraceDifference[];
  readonly differingIteration?: number;
  /** The failed comparison's class (determinism_violation, or what its executions failed as). */
  readonly classification?: Classification;
}

export interface TestResult {
  readonly file: string;
  readonly name: string;
  readonly verdict: Verdict;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly executions: ScenarioExecution[];
  readonly determinism?: DeterminismResult[];
  /** File-level problems (parse errors) or the reason the test did not run. */
  readonly problems: Problem[];
  /** The class of a test that never got to run an execution (a broken file…). */
  readonly classification?: Classification;
  /** Self-healing's quarantine: a `quarantined` test's failure does not fail the run. */
  readonly quarantine?: QuarantineNote;
  /** The engine it ran on, when the run had a pool of several. */
  readonly engine?: string;
}

export interface RunSummary {
  readonly runId: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly skipped: number;
  /** Tests that did not pass but are quarantined (not counted in failed or errors). */
  readonly quarantined?: number;
  readonly tests: TestResult[];
  /** The verdict of each suite file in the run (its scenario files' results are among `tests`). */
  readonly suites?: SuiteVerdict[];
  /** Why the run as a whole could not proceed (Docker unavailable…). */
  readonly environmentProblem?: Problem;
}
