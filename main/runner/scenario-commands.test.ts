// Scenario commands and cleanup decisions without an engine: what runs in parallel, how
// expect_failure is judged, which cleanup policy keeps an execution's resources.
import { describe, expect, it } from 'vitest';
import { parseTestFile } from '../../shared/spec';
import { cleanupDecision, cleanupDeferred } from './cleanup-check';
import { expectFailureResult, scenarioCommands, stepsForVerdict } from './scenario-commands';
import type { StepResult } from './types';

const testOf = (source: string) => {
  const r = parseTestFile(source);
  if (r.errors.length > 0) throw new Error(r.errors[0]!.message);
  return r.tests[0]!;
};

const FILE = `[meta]
name = "t"
[service.a]
image = "x"
cleanup_policy = "on_success"
[service.b]
image = "x"
[[scenario]]
name = "s"
run = [{ service = "a", command = "true" }, { service = "b", command = "false" }, { service = "a", command = "echo" }]
expect_failure = true
[[scenario.steps]]
name = "after"
command = "echo done"
`;

const step = (name: string, verdict: StepResult['verdict']): StepResult => ({ name, target: 'a', command: [], verdict, exitCode: verdict === 'passed' ? 0 : 1, expectedExitCode: 0, timedOut: false, durationMs: 1, stdoutTail: '', stderrTail: '' });

describe('scenario commands', () => {
  it('puts a run list in one parallel group (steps named after their service), then the ordered steps', () => {
    const { parallel, ordered } = scenarioCommands(testOf(FILE).scenarios[0]!);
    expect(parallel.map((s) => [s.name, s.service, s.command])).toEqual([
      ['a', 'a', ['true']],
      ['b', 'b', ['false']],
      ['a#2', 'a', ['echo']],
    ]);
    expect(ordered.map((s) => s.name)).toEqual(['after']);
  });

  it('judges expect_failure: a failed or errored step is the expected outcome, all passing is not', () => {
    const scenario = testOf(FILE).scenarios[0]!;
    const failing = [step('a', 'passed'), step('b', 'failed'), step('after', 'skipped')];
    expect(expectFailureResult(scenario, failing)).toMatchObject({ kind: 'scenario', passed: true });
    expect(stepsForVerdict(scenario, failing).map((s) => s.name)).toEqual(['a', 'after']);
    expect(expectFailureResult(scenario, [step('a', 'passed')])).toMatchObject({ passed: false, message: 'expect_failure = true, but all 1 steps passed' });
    expect(expectFailureResult({ ...scenario, expectFailure: false }, failing)).toBeUndefined();
  });
});

describe('cleanup policies', () => {
  it('keeps resources when any policy keeps them for the outcome, naming it', () => {
    const test = testOf(FILE);
    const scenario = test.scenarios[0]!;
    expect(cleanupDeferred(test, scenario)).toBe(true);
    expect(cleanupDecision(test, scenario, true)).toEqual({ remove: true });
    expect(cleanupDecision(test, scenario, false)).toEqual({ remove: false, keptBy: 'service.a.cleanup_policy = "on_success"' });
    const never = testOf(`${FILE}[cleanup]\ncontainers = "never"\n`);
    expect(cleanupDecision(never, never.scenarios[0]!, true)).toEqual({ remove: false, keptBy: '[cleanup] containers = "never"' });
    const always = testOf(FILE.replace('cleanup_policy = "on_success"', 'cleanup_policy = "always"'));
    expect(cleanupDeferred(always, always.scenarios[0]!)).toBe(false);
  });
});
