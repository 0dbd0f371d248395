// What a run produces: per test, per scenario execution (one per determinism iteration), per step —
// with the evidence (exit codes, container states, OOM flags, log tails, expectation results) that
// reports, the store's run records and later self-healing read.
import type { Problem } from '../../shared/errors';
import type { ExpectationResult, TraceDifference } from '../../shared/expect';
import type { ContainerEvidence, ContainerStatsSample } from '../docker';
import type { CleanupRecord } from './cleanup-check';
import type { ContainerIsolation } from './isolation';

export type Verdict = 'passed' | 'failed' | 'error' | 'skipped';

export interface StepResult {
  readonly name: string;
  /** Where it ran: a service id, or `fresh:<image>` for a one-off container. */
  readonly target: string;
  readonly command: readonly string[];
  readonly verdict: Verdict;
  readonly exitCode: number | null;
  readonly expectedExitCode: number;
  readonly timedOut: boolean;
  readonly durationMs: number;
  /** Why it failed (exit code, output pattern, timeout), when it did. */
  readonly message?: string;
  /** A failure that `continue_on_failure` let pass. */
  readonly continued?: boolean;
  readonly stdoutTail: string;
  readonly stderrTail: string;
}

export interface ScenarioExecution {
  /** The execution's own run id: labels of its containers and `clnrm.run_id` of its spans. */
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
}

export interface DeterminismResult {
  readonly iterations: number;
  readonly hashes: string[];
  readonly passed: boolean;
  /** Differences between iteration 1 and the first iteration that differed. */
  readonly differences: TraceDifference[];
  readonly differingIteration?: number;
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
}

export interface RunSummary {
  readonly runId: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly skipped: number;
  readonly tests: TestResult[];
  /** Why the run as a whole could not proceed (Docker unavailable…). */
  readonly environmentProblem?: Problem;
}

/** Live events for progress views. */
export type RunEvent =
  | { readonly type: 'run-start'; readonly runId: string; readonly files: number; readonly tests: number; readonly receiver: string }
  | { readonly type: 'test-start'; readonly test: string; readonly file: string }
  | { readonly type: 'scenario-start'; readonly test: string; readonly scenario: string; readonly iteration: number; readonly iterations: number; readonly runId: string }
  | { readonly type: 'services-ready'; readonly test: string; readonly services: string[]; readonly durationMs: number }
  | { readonly type: 'step-end'; readonly test: string; readonly step: StepResult }
  | { readonly type: 'scenario-end'; readonly test: string; readonly execution: ScenarioExecution }
  | { readonly type: 'test-end'; readonly result: TestResult }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'log'; readonly source: string; readonly message: string };
