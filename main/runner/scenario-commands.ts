// What a scenario runs and in which order: `run` (one command, a step named after the scenario) or a
// `run` list of `{ service, command }` (started at the same time, each a step named after its
// service), then `[[scenario.steps]]` in order (or all at once with `concurrent = true`). A failed
// step skips the steps after it; a parallel group always runs whole. `expect_failure` is judged here
// too: the scenario needs one of its commands to fail.
import type { ExpectationResult } from '../../shared/expect';
import type { ScenarioSpec, StepSpec } from '../../shared/spec';
import { runStep, type StepContext } from './steps';
import type { StepResult } from './types';

/** The scenario's commands as steps: the parallel group (maybe empty) and the ordered rest. */
export function scenarioCommands(scenario: ScenarioSpec): { parallel: StepSpec[]; ordered: StepSpec[] } {
  const seen = new Map<string, number>();
  const parallel = scenario.parallelRun.map((entry) => {
    const n = (seen.get(entry.service) ?? 0) + 1;
    seen.set(entry.service, n);
    const name = n === 1 ? entry.service : `${entry.service}#${n}`;
    return { name, command: entry.command, expectedExitCode: 0, env: {}, continueOnFailure: false, service: entry.service };
  });
  const single: StepSpec[] = scenario.runArgv
    ? [{ name: scenario.name, command: scenario.runArgv, expectedExitCode: 0, env: {}, continueOnFailure: false, service: scenario.service }]
    : [];
  return { parallel, ordered: [...single, ...scenario.steps] };
}

function skipped(step: StepSpec, scenarioService: string | undefined, after: string): StepResult {
  return {
    name: step.name,
    target: step.service ?? scenarioService ?? 'fresh',
    command: step.command,
    verdict: 'skipped',
    exitCode: null,
    expectedExitCode: step.expectedExitCode,
    timedOut: false,
    durationMs: 0,
    message: `not run: step "${after}" failed`,
    stdoutTail: '',
    stderrTail: '',
  };
}

const failedOrError = (r: StepResult) => r.verdict === 'failed' || r.verdict === 'error';

/**
 * Runs the scenario's commands; `record` sees each result as it ends (outputs feed span artifacts).
 * Stops starting steps once `aborted()` says so.
 */
export async function runScenarioCommands(
  scenario: ScenarioSpec,
  ctx: StepContext,
  record: (r: { result: StepResult; stdout: string }) => void,
  aborted: () => boolean,
): Promise<StepResult[]> {
  const { parallel, ordered } = scenarioCommands(scenario);
  const results: StepResult[] = [];
  const keep = (r: { result: StepResult; stdout: string }) => {
    results.push(r.result);
    record(r);
  };
  if (parallel.length > 0) for (const r of await Promise.all(parallel.map((s) => runStep(s, ctx)))) keep(r);
  const groupFailed = results.find(failedOrError);
  if (groupFailed) {
    for (const step of ordered) results.push(skipped(step, scenario.service, groupFailed.name));
    return results;
  }
  if (scenario.concurrent) {
    for (const r of await Promise.all(ordered.map((s) => runStep(s, ctx)))) keep(r);
    return results;
  }
  for (const [i, step] of ordered.entries()) {
    if (aborted()) break;
    const r = await runStep(step, ctx);
    keep(r);
    if (failedOrError(r.result)) {
      for (const rest of ordered.slice(i + 1)) results.push(skipped(rest, scenario.service, r.result.name));
      break;
    }
  }
  return results;
}

/**
 * `expect_failure = true`: the scenario's own failure is the expected outcome. A step that failed
 * (exit code, output, timeout) or could not run because its container died counts; the result is
 * one expectation (`scenario.expect_failure`) so reports show what was expected and what happened.
 */
export function expectFailureResult(scenario: ScenarioSpec, steps: readonly StepResult[]): ExpectationResult | undefined {
  if (!scenario.expectFailure) return undefined;
  const failed = steps.filter(failedOrError);
  return {
    expectation: `scenario.${scenario.name}.expect_failure`,
    kind: 'scenario',
    passed: failed.length > 0,
    message:
      failed.length > 0
        ? `failed as expected: ${failed.map((s) => `step "${s.name}" ${s.message ?? s.verdict}`).join('; ')}`
        : `expect_failure = true, but all ${steps.length} steps passed`,
    spans: [],
  };
}

/** Steps of an expect_failure scenario no longer fail it: their failure is judged by expectFailureResult. */
export function stepsForVerdict(scenario: ScenarioSpec, steps: StepResult[]): StepResult[] {
  return scenario.expectFailure ? steps.filter((s) => !failedOrError(s)) : steps;
}
