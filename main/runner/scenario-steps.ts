// The `steps` phase of an execution: `run` (a step named after the scenario) — or a `run` list of
// `{ service, command }`, started all at once — then `[[scenario.steps]]`, in order (or all at once with
// `concurrent = true`), within the scenario's time bound (and `[limits] max_duration_seconds`); a failed
// step or parallel group skips the rest. Each step is announced to the plugins and as events before and after it runs.
// Container stats are sampled meanwhile, at `[performance] sample_stats_ms` (or the seed's `metrics.resources.sample_interval_ms`), for tests with `[performance]` or a
// `resource_limits` bound (or when the run asks).
import type { ExecutionInfo, StepInfo } from '../../shared/plugins';
import type { ScenarioSpec, StepSpec, TestFile } from '../../shared/spec';
import { startStatsSampler, type ContainerStatsSample, type StatsSampler } from '../docker';
import { wantsResourceSamples } from '../perf/run-checks';
import { statsIntervalMs } from '../../shared/spec/schema/v2';
import type { ExecutionTrace } from './execution-trace';
import type { RunnerEnvironment } from './scenario';
import { fileOtelEnv, otelEnvironment } from './scenario-services';
import type { ServiceSetPort } from './service-port';
import { scenarioCommands } from './scenario-commands';
import { runStep, stepTarget } from './steps';
import type { StepResult } from './types';

const DEFAULT_SCENARIO_TIMEOUT_MS = 120_000;

export interface StepsRequest {
  readonly test: TestFile;
  readonly scenario: ScenarioSpec;
  readonly info: ExecutionInfo;
  readonly set: ServiceSetPort;
  readonly tags: Readonly<Record<string, string>>;
  readonly trace: ExecutionTrace;
  /** Results are appended here as steps finish (kept even when the phase is interrupted). */
  readonly into: StepResult[];
  readonly stats: ContainerStatsSample[];
  /** When the execution began (epoch ms): `[limits] max_duration_seconds` counts from here. */
  readonly startedMs?: number;
}


/** Every service's stats at the file's interval until stopped (main/docker/stats-sampler.ts). */
function sampleWhileRunning(env: RunnerEnvironment, set: ServiceSetPort, test: TestFile, into: ContainerStatsSample[]): StatsSampler {
  const targets = set.services().map((s) => ({ service: s.id, containerId: s.containerId }));
  return startStatsSampler(env.docker, targets, statsIntervalMs(test.performance), (sample) => into.push(sample));
}

function skipped(step: StepSpec, scenario: ScenarioSpec, after: string): StepResult {
  return { name: step.name, target: stepTarget(step, scenario.service), command: [...step.command], verdict: 'skipped', exitCode: null, expectedExitCode: step.expectedExitCode, timedOut: false, durationMs: 0, message: `not run: step "${after}" failed`, stdoutTail: '', stderrTail: '' };
}

/** Runs the steps; returns each step's full stdout (span artifacts are read from it). */
export async function runSteps(env: RunnerEnvironment, req: StepsRequest): Promise<string[]> {
  const { test, scenario, info, set } = req;
  const policyMs = scenario.policy?.max_execution_time ? scenario.policy.max_execution_time * 1000 : undefined;
  const maxSeconds = test.limits?.max_duration_seconds;
  const limitDeadline = maxSeconds !== undefined ? (req.startedMs ?? Date.now()) + maxSeconds * 1000 : Infinity;
  const deadline = Math.min(limitDeadline, Date.now() + (scenario.timeoutMs ?? policyMs ?? test.meta.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS));
  const ctx = { set, scenarioService: scenario.service, env: otelEnvironment(env, req.tags, fileOtelEnv(req.test)), remainingMs: () => deadline - Date.now(), trace: req.trace };
  const sampler = env.sampleStats || test.performance || wantsResourceSamples(test) ? sampleWhileRunning(env, set, test, req.stats) : undefined;
  const outputs: string[] = [];
  const one = async (step: StepSpec, index: number): Promise<{ result: StepResult; stdout: string }> => {
    const stepInfo: StepInfo = { execution: info, name: step.name, index, target: stepTarget(step, scenario.service), command: step.command };
    env.emit({ type: 'step-started', test: test.name, executionId: info.executionId, step: step.name, index, target: stepInfo.target });
    await env.hooks.call('onStepStart', stepInfo);
    const ran = await runStep(step, index, ctx);
    const { result } = ran;
    env.emit({ type: 'step-finished', test: test.name, executionId: info.executionId, index, result });
    await env.hooks.call('onStepEnd', stepInfo, result);
    return ran;
  };
  const record = ({ result, stdout }: { result: StepResult; stdout: string }): StepResult => {
    req.into.push(result);
    outputs.push(stdout);
    return result;
  };
  try {
    const { parallel, ordered } = scenarioCommands(scenario);
    if (parallel.length > 0) {
      for (const ran of await Promise.all(parallel.map((step, i) => one(step, i)))) record(ran);
      const failed = req.into.find((r) => r.verdict === 'failed' || r.verdict === 'error');
      if (failed) {
        for (const rest of ordered) req.into.push(skipped(rest, scenario, failed.name));
        return outputs;
      }
    }
    const all = ordered;
    const at = parallel.length;
    if (scenario.concurrent) {
      // Results in declaration order, whatever order they finished in.
      for (const ran of await Promise.all(all.map((step, i) => one(step, at + i)))) record(ran);
      return outputs;
    }
    for (const [i, step] of all.entries()) {
      if (env.signal.aborted) break;
      const result = record(await one(step, at + i));
      if (result.verdict === 'failed' || result.verdict === 'error') {
        for (const rest of all.slice(i + 1)) req.into.push(skipped(rest, scenario, result.name));
        break;
      }
    }
    return outputs;
  } finally {
    await sampler?.stop();
  }
}
