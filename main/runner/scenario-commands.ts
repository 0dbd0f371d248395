// What a scenario runs: `run` (one command, a step named after the scenario) or a `run` list of
// `{ service, command }` (started at the same time, each a step named after its service; see
// scenario-steps.ts), then `[[scenario.steps]]`. `expect_failure` is judged here too: the scenario
// needs one of its commands to fail.
import type { ExpectationResult } from '../../shared/expect';
import type { ScenarioSpec, StepSpec, TestFile } from '../../shared/spec';
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

const failedOrError = (r: StepResult) => r.verdict === 'failed' || r.verdict === 'error';

/** Containers one execution creates: its services and one per command that names no service. */
export function containerCount(test: TestFile, scenario: ScenarioSpec): number {
  const { parallel, ordered } = scenarioCommands(scenario);
  const fresh = [...parallel, ...ordered].filter((s) => (s.service ?? scenario.service) === undefined).length;
  return Object.keys(test.services).length + scenario.services.length + fresh;
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
