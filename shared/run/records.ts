// What a run leaves for history, in one vocabulary shared by the runner, the store, the IPC contract,
// the CLI and the studio.
//
// - A **run** is one `clnrm run` (or one Run in the studio): its `runId` tags every span produced while it
//   lasts (`clnrm.run_id`), the runner's own and the system's, so one id finds all of its traces.
// - An **execution** is one scenario of one test, once (a `[determinism]` iteration is another execution):
//   its `executionId` tags its containers and its spans (`clnrm.execution_id`). Executions are the unit of
//   verdicts, evidence and container stats; `runId` groups them.
import { z } from 'zod';
import { FaultWindowRecordSchema } from '../chaos/fault-windows';
import { ClassificationSchema, HealingRecordSchema } from '../healing/schema';

/** A run or execution id (ours are 12 lowercase hex characters): safe in container and network names. */
export const RunIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'expected an id of 1-63 characters a-z, 0-9, _ . -');

export const VerdictValueSchema = z.enum(['passed', 'failed', 'error', 'skipped']);
export type VerdictValue = z.infer<typeof VerdictValueSchema>;

const ProblemRecordSchema = z.object({
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
  path: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const StepRecordSchema = z.object({
  name: z.string(),
  /** Where it ran: a service id, or `fresh:<image>` for a one-off container. */
  target: z.string(),
  command: z.array(z.string()),
  verdict: VerdictValueSchema,
  exitCode: z.number().int().nullable(),
  expectedExitCode: z.number().int(),
  timedOut: z.boolean(),
  durationMs: z.number().nonnegative(),
  /** Why it failed (exit code, output pattern, timeout), when it did. */
  message: z.string().optional(),
  /** A failure that `continue_on_failure` let pass. */
  continued: z.boolean().optional(),
  stdoutTail: z.string(),
  stderrTail: z.string(),
});
export type StepRecord = z.infer<typeof StepRecordSchema>;

export const ContainerRecordSchema = z.object({
  service: z.string(),
  containerId: z.string(),
  image: z.string(),
  /** Docker's state: created | running | paused | restarting | removing | exited | dead | missing. */
  status: z.string(),
  running: z.boolean(),
  exitCode: z.number().int().nullable(),
  oomKilled: z.boolean(),
  /** The engine's own error for the container (e.g. a failed start), if any. */
  error: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  restartCount: z.number().int(),
  logTail: z.array(z.string()).readonly(),
  collectedAt: z.string(),
});
export type ContainerRecord = z.infer<typeof ContainerRecordSchema>;

export const ExpectationRecordSchema = z.object({
  expectation: z.string(),
  kind: z.string(),
  passed: z.boolean(),
  message: z.string(),
  spans: z.array(z.string()),
});

/** Everything an execution's verdict rests on; self-healing classifies failures from this. */
export const ExecutionEvidenceSchema = z.object({
  steps: z.array(StepRecordSchema),
  containers: z.array(ContainerRecordSchema),
  expectations: z.array(ExpectationRecordSchema),
  problems: z.array(ProblemRecordSchema),
  traceHash: z.string(),
  spanCount: z.number().int().nonnegative(),
  /** The self-healing classifier's verdict on a failed execution. */
  classification: ClassificationSchema.optional(),
  /** The failed attempts self-healing retried before this one. */
  healing: HealingRecordSchema.optional(),
  /** The engine's address, when the run spread its tests over a pool of several (`clnrm run --engine`). */
  engine: z.string().optional(),
  /** When each injected fault was active (shared/chaos/fault-windows.ts), for executions with chaos. */
  faultWindows: z.array(FaultWindowRecordSchema).max(1000).optional(),
});
export type ExecutionEvidence = z.infer<typeof ExecutionEvidenceSchema>;

/** One sample of one container's resources while an execution ran. Stored as rows, not inside evidence. */
export const ContainerStatsRowSchema = z.object({
  executionId: RunIdSchema,
  service: z.string(),
  /** Epoch ms when the engine read the counters. */
  at: z.number(),
  /** Percent of one core (200 = two cores busy). */
  cpuPercent: z.number(),
  memoryBytes: z.number(),
  memoryLimitBytes: z.number(),
  networkRxBytes: z.number(),
  networkTxBytes: z.number(),
  /** Storage bytes of the container's processes so far; absent when the engine's processes could not be read (a remote engine). */
  diskReadBytes: z.number().nonnegative().optional(),
  diskWriteBytes: z.number().nonnegative().optional(),
});
export type ContainerStatsRow = z.infer<typeof ContainerStatsRowSchema>;

/** Where a run happened: what later comparisons (baselines, flakiness) must hold equal. */
export const RunEnvironmentSchema = z.object({
  host: z.string(),
  platform: z.string(),
  /** The engine's address (`unix:///var/run/docker.sock`, `tcp://…`) and version. */
  engine: z.string(),
  engineVersion: z.string().optional(),
  clnrmVersion: z.string(),
  ci: z.boolean(),
});
export type RunEnvironment = z.infer<typeof RunEnvironmentSchema>;

export const RunRecordSchema = z.object({
  id: RunIdSchema,
  /** `cli` for `clnrm run`, `studio` for the studio's Run. */
  origin: z.enum(['cli', 'studio']),
  /** Epoch ms. */
  startedAt: z.number(),
  endedAt: z.number().optional(),
  /** git HEAD of the working folder, when it is a repository. */
  commit: z.string().optional(),
  environment: RunEnvironmentSchema,
  /** Test files as given (absolute paths). */
  files: z.array(z.string()),
  verdict: VerdictValueSchema.optional(),
  passed: z.number().int().nonnegative().default(0),
  failed: z.number().int().nonnegative().default(0),
  errors: z.number().int().nonnegative().default(0),
  skipped: z.number().int().nonnegative().default(0),
});
export type RunRecord = z.output<typeof RunRecordSchema>;

export const ExecutionRecordSchema = z.object({
  id: RunIdSchema,
  runId: RunIdSchema,
  /** The test file's absolute path and the SHA-256 of its text as read (before templates). */
  testFile: z.string(),
  testFileHash: z.string(),
  testName: z.string(),
  scenario: z.string(),
  /** 1-based; 1 without `[determinism]`. */
  iteration: z.number().int().positive(),
  startedAt: z.number(),
  endedAt: z.number().optional(),
  verdict: VerdictValueSchema.optional(),
  failedExpectations: z.number().int().nonnegative().default(0),
  failedSteps: z.number().int().nonnegative().default(0),
  evidence: ExecutionEvidenceSchema.optional(),
});
export type ExecutionRecord = z.output<typeof ExecutionRecordSchema>;

/** History queries (`listRuns`, `clnrm runs`): every field narrows. */
export const RunQuerySchema = z.object({
  /** Runs that executed this test file (absolute path) or test name. */
  testFile: z.string().min(1).optional(),
  testName: z.string().min(1).optional(),
  verdict: VerdictValueSchema.optional(),
  commit: z.string().min(4).optional(),
  /** Epoch ms bounds on the run's start. */
  since: z.number().optional(),
  until: z.number().optional(),
  limit: z.number().int().positive().max(10_000).default(50),
});
export type RunQuery = z.input<typeof RunQuerySchema>;
