// The plugin contract every v2 layer (chaos, intelligence, performance, self-healing) and every
// external plugin implements. Hooks are optional and called live, as the run happens, in dependency
// order. A hook that throws is reported (a `plugin.failed` warning in the run's events and summary)
// and never changes a verdict or stops the run.
import type { ExpectationResult } from '../expect/types';
import type { Span } from '../model/span';
import type { ExecutionEvidence, StepRecord, VerdictValue } from '../run/records';

export type PluginKind = 'chaos' | 'intelligence' | 'performance' | 'self-healing' | 'reporter' | 'service' | 'custom';

export interface PluginContext {
  /** Plugin settings from the test file's `[[plugins.register]] config` (already validated by the plugin). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Writes a line to the run's log, tagged with the plugin name. */
  log(message: string): void;
}

export interface RunInfo {
  readonly runId: string;
  readonly files: readonly string[];
  /** Epoch ms. */
  readonly startedAt: number;
}

export interface RunOutcome extends RunInfo {
  readonly verdict: VerdictValue;
  readonly durationMs: number;
}

export interface TestInfo {
  readonly runId: string;
  readonly testName: string;
  readonly file: string;
}

export interface TestOutcome extends TestInfo {
  readonly passed: boolean;
  readonly verdict: VerdictValue;
  readonly durationMs: number;
}

/** One scenario of one test, once. */
export interface ExecutionInfo extends TestInfo {
  readonly executionId: string;
  readonly scenario: string;
  /** 1-based. */
  readonly iteration: number;
}

/** A running service as a plugin may act on it (e.g. the chaos layer pausing its container). */
export interface ServiceHandle {
  readonly id: string;
  readonly containerId: string;
  readonly image: string;
  /** DNS names other containers on the run network use to reach it. */
  readonly aliases: readonly string[];
  /** Container port → host port, for published ports. */
  readonly ports: Readonly<Record<number, number>>;
}

export interface ServicesReady {
  readonly execution: ExecutionInfo;
  /** The run network's name (every service and step container is on it). */
  readonly network: string;
  readonly services: readonly ServiceHandle[];
}

export interface StepInfo {
  readonly execution: ExecutionInfo;
  readonly name: string;
  /** 0-based position among the scenario's steps. */
  readonly index: number;
  /** A service id, or `fresh:<image>`. */
  readonly target: string;
  readonly command: readonly string[];
}

export interface Plugin {
  readonly name: string;
  readonly kind: PluginKind;
  /** Names of plugins that must be initialised before this one (and torn down after it). */
  readonly dependsOn?: readonly string[];
  init?(ctx: PluginContext): void | Promise<void>;
  onRunStart?(run: RunInfo): void | Promise<void>;
  onTestStart?(test: TestInfo): void | Promise<void>;
  onExecutionStart?(execution: ExecutionInfo): void | Promise<void>;
  onServicesReady?(ready: ServicesReady): void | Promise<void>;
  onStepStart?(step: StepInfo): void | Promise<void>;
  onStepEnd?(step: StepInfo, result: StepRecord): void | Promise<void>;
  /** Every span of the execution (the system's and the runner's own) as it arrives. Synchronous. */
  onSpan?(span: Span, execution: ExecutionInfo): void;
  onExpectationsEvaluated?(execution: ExecutionInfo, results: readonly ExpectationResult[]): void | Promise<void>;
  /** The execution did not pass: what its verdict rests on. */
  onExecutionFailed?(execution: ExecutionInfo, verdict: VerdictValue, evidence: ExecutionEvidence): void | Promise<void>;
  onExecutionEnd?(execution: ExecutionInfo, verdict: VerdictValue): void | Promise<void>;
  onTestEnd?(outcome: TestOutcome): void | Promise<void>;
  onRunEnd?(outcome: RunOutcome): void | Promise<void>;
  dispose?(): void | Promise<void>;
}

/** The hooks the runner calls during a run (everything but init and dispose). */
export type LiveHook = Exclude<{ [K in keyof Plugin]-?: Plugin[K] extends ((...args: never[]) => unknown) | undefined ? K : never }[keyof Plugin], 'init' | 'dispose'>;
