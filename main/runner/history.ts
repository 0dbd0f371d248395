// What the runner writes to the store's run history (shared/run/records.ts): the run record when a run
// starts and its verdict when it ends, an execution record per scenario execution, and container stats as
// rows. A failed history write never fails a test: it becomes a warning.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname, platform, release } from 'node:os';
import { toProblem } from '../../shared/errors';
import type { ContainerStatsRow, ExecutionRecord, RunEnvironment, RunRecord } from '../../shared/run/records';
import type { ContainerStatsSample, DockerEndpoint } from '../docker';
import { CLNRM_VERSION } from './self-trace';
import type { RunSummary, ScenarioExecution, StepResult } from './types';
import { runVerdict } from './runner';

export function runEnvironment(endpoint: DockerEndpoint | undefined, env: Readonly<Record<string, string | undefined>>): RunEnvironment {
  return {
    host: hostname(),
    platform: `${platform()} ${release()}`,
    engine: endpoint?.address ?? 'none',
    clnrmVersion: CLNRM_VERSION,
    ci: env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0',
  };
}

/** SHA-256 of a test file's text as read; '' when it is not a file (a built-in test such as `<self-test>`). */
export async function testFileHash(file: string): Promise<string> {
  try {
    return createHash('sha256').update(await readFile(file)).digest('hex');
  } catch {
    return '';
  }
}

/** The verdict and counts of a finished run. */
export function runOutcome(summary: RunSummary): Partial<RunRecord> {
  return { endedAt: Date.now(), verdict: runVerdict(summary), passed: summary.passed, failed: summary.failed, errors: summary.errors, skipped: summary.skipped };
}

export function executionOutcome(execution: ScenarioExecution): Partial<ExecutionRecord> {
  const failedStep = (s: StepResult): boolean => s.verdict === 'failed' || s.verdict === 'error';
  return {
    endedAt: Date.now(),
    verdict: execution.verdict,
    failedExpectations: execution.expectations.filter((e) => !e.passed).length,
    failedSteps: execution.steps.filter(failedStep).length,
    evidence: {
      steps: execution.steps.map((s) => ({ ...s, command: [...s.command] })),
      containers: execution.containers.map((c) => ({ ...c, logTail: [...c.logTail] })),
      expectations: execution.expectations.map((e) => ({ expectation: e.expectation, kind: e.kind, passed: e.passed, message: e.message, spans: [...e.spans] })),
      problems: execution.problems.map((p) => ({ ...p, ...(p.details ? { details: { ...p.details } } : {}) })),
      traceHash: execution.traceHash,
      spanCount: execution.spanCount,
      ...(execution.engine !== undefined ? { engine: execution.engine } : {}),
      ...(execution.faultWindows ? { faultWindows: execution.faultWindows.map((w) => ({ ...w })) } : {}),
    },
  };
}

export function statsRows(executionId: string, samples: readonly ContainerStatsSample[]): ContainerStatsRow[] {
  return samples.map((s) => ({ executionId, ...s }));
}

/** Runs a history write; a failure is reported as a warning, never thrown. */
export async function recordQuietly(what: string, write: () => Promise<unknown>, warn: (message: string) => void): Promise<void> {
  try {
    await write();
  } catch (error) {
    warn(`could not record ${what} in the run history: ${toProblem(error).message}`);
  }
}
