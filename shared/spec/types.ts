// The normalised, typed test file every consumer (runner, UI, reports) works from: `service` and
// `services` merged, top-level `[[steps]]` turned into a default scenario, commands as argv arrays,
// legacy `[test.metadata]` mapped onto meta.
import type { ExpectConfig } from './schema/expect';
import type { SuiteFile } from './suite';
import type { RawTestFile } from './schema/root';
import type { CleanupSection, DeterminismSection, LimitsSection, ReportSection } from './schema/run-config';
import type { CrossServiceExpectation } from './schema/scenario';
import type { PhaseSection } from './schema/scenario-phase';
import type { CleanupPolicy } from './schema/services';
import type { OtelSection } from './schema/otel';
import type {
  ChaosSection,
  IntelligenceSection,
  LayersSection,
  OrchestrationSection,
  PerformanceSection,
  PluginsSection,
  SelfHealingSection,
} from './schema/v2';
import type { Problem } from '../errors';

export interface TestMeta {
  name: string;
  version?: string;
  description?: string;
  author?: string;
  tags: string[];
  /** From legacy `[test.metadata] timeout` ("60s"), in milliseconds. */
  timeoutMs?: number;
  /** Which table the name came from. */
  source: 'meta' | 'test.metadata';
}

export interface VolumeSpec {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

export interface HealthCheckSpec {
  cmd: string[];
  intervalSecs?: number;
  timeoutSecs?: number;
  retries?: number;
}

export interface ServiceSpec {
  id: string;
  /** The table it was declared in: `[service.<id>]`, `[services.<id>]` or a scenario's `services` (`scenario[2].services`). */
  table: string;
  /** `plugin`, else clnrm's older `type`, else "generic_container". */
  plugin: string;
  image?: string;
  args: string[];
  env: Record<string, string>;
  ports: number[];
  volumes: VolumeSpec[];
  healthCheck?: HealthCheckSpec;
  username?: string;
  password?: string;
  strict?: boolean;
  waitForSpan?: string;
  waitForSpanTimeoutSecs?: number;
  dependsOn: string[];
  /** Per-service `limits`: each field overrides the file's `[limits]` for this container. */
  limits?: { memoryMb?: number; cpuMillicores?: number };
  cleanupPolicy?: CleanupPolicy;
}

/** One entry of a `run = [{ service, command }, …]` list. */
export interface ServiceCommandSpec {
  service: string;
  command: string[];
}

export interface StepSpec {
  name: string;
  /** argv; a string command is split like a shell would (quotes, backslashes), without a shell. */
  command: string[];
  expectedExitCode: number;
  expectedOutputRegex?: string;
  workdir?: string;
  env: Record<string, string>;
  continueOnFailure: boolean;
  service?: string;
}

export interface ScenarioSpec {
  name: string;
  /** True for the scenario made from top-level `[[steps]]`. */
  implicit: boolean;
  /** `run` as written: a command string (clnrm's form) or an argv array. */
  run?: string | string[];
  /** `run` as argv (a string is split like a shell would, without a shell). */
  runArgv?: string[];
  /** `run = [{ service, command }, …]`: these commands run at the same time, each in its service. */
  parallelRun: ServiceCommandSpec[];
  /** `parallel_services` as written (checked against the run list). */
  parallelServices?: string[];
  /** Passes only when its run or a step fails. */
  expectFailure: boolean;
  /** Services declared in the scenario (`[scenario.services]`), started for it beside the file's. */
  services: ServiceSpec[];
  crossService: CrossServiceExpectation[];
  /** clnrm's `chaos_injection`: one fault during this scenario's steps (shared/chaos/scenario-injection.ts). */
  chaosInjection?: Record<string, unknown>;
  /** `[[scenario.phase]]`: baseline → chaos → recovery, planned by shared/chaos/scenario-phases.ts. */
  phases?: PhaseSection[];
  service?: string;
  steps: StepSpec[];
  concurrent: boolean;
  timeoutMs?: number;
  policy?: NonNullable<RawTestFile['scenario']>[number]['policy'];
  artifacts: string[];
}

export interface TestFile {
  file?: string;
  /** Test name; with a matrix it ends with the combination, e.g. `api_smoke [db=pg16, os=alpine]`. */
  name: string;
  meta: TestMeta;
  /** The matrix combination this concrete test runs (empty without `[matrix]`). */
  matrix: Record<string, string | number | boolean>;
  vars: Record<string, unknown>;
  otel?: OtelSection;
  services: Record<string, ServiceSpec>;
  scenarios: ScenarioSpec[];
  expect?: ExpectConfig;
  determinism?: DeterminismSection;
  limits?: LimitsSection;
  report?: ReportSection;
  cleanup?: CleanupSection;
  orchestration?: OrchestrationSection;
  chaos?: ChaosSection;
  performance?: PerformanceSection;
  intelligence?: IntelligenceSection;
  selfHealing?: SelfHealingSection;
  plugins?: PluginsSection;
  layers?: LayersSection;
  /** The validated document as written (after templates), for tools that need the rest. */
  raw: RawTestFile;
  /** The TOML text the test was built from (rendered, when the file is a template). */
  source: string;
}

export interface ParseResult {
  /** One per matrix combination; [] when the file is invalid. */
  tests: TestFile[];
  errors: Problem[];
  warnings: Problem[];
  /** Set (and `tests` empty) when the file is a valid suite file (`[suite]`, see suite.ts). */
  suite?: SuiteFile;
}

export interface ParseOptions {
  file?: string;
  /** Environment for templates (`env()`, default variables); shared code never reads process.env. */
  env?: Record<string, string | undefined>;
  /** Largest number of matrix combinations accepted (default 256). */
  maxCombinations?: number;
}
