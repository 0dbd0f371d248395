import { describe, expect, it } from 'vitest';
import type { Classification } from '../../shared/healing';
import type { RunSummary, ScenarioExecution, TestResult } from '../runner/types';
import { abortableSleep, classifyRun } from './run-healing';

const assertion: Classification = { class: 'assertion_failure', confidence: 0.8, evidence: [{ kind: 'step', detail: 'exit code 1, expected 0', ref: 'call' }] };
function execution(classification?: Classification): ScenarioExecution {
  return { runId: 'e1', scenario: 's', iteration: 1, verdict: classification ? 'failed' : 'passed', startedAt: '', durationMs: 1, steps: [], expectations: [], problems: [], containers: [], spanCount: 0, traceHash: '', spanNames: {}, ...(classification ? { classification } : {}) };
}
function test(name: string, verdict: TestResult['verdict'], executions: ScenarioExecution[], problems: TestResult['problems'] = []): TestResult {
  return { file: `${name}.clnrm.toml`, name, verdict, startedAt: '', durationMs: 1, executions, problems };
}
const summary = (tests: TestResult[]): RunSummary => ({ runId: 'r', startedAt: '', durationMs: 1, passed: 0, failed: 0, errors: 0, skipped: 0, tests });

describe('classifyRun', () => {
  it('classifies a file that never ran from its problems, not a cancelled or skipped one', () => {
    const run = classifyRun(
      summary([
        test('broken', 'error', [], [{ code: 'toml.syntax', message: 'add the closing quote' }]),
        test('cancelled', 'error', [], [{ code: 'runner.cancelled', message: 'cancelled' }]),
        test('skipped', 'skipped', [], [{ code: 'runner.skipped', message: 'not run' }]),
      ]),
    );
    expect(run.tests.map((t) => t.classification?.class)).toEqual(['invalid_test_definition', undefined, undefined]);
  });

  it('relabels failures as infrastructure when over 80 % of at least 5 tests failed', () => {
    const failing = Array.from({ length: 5 }, (_, i) => test(`t${i}`, 'failed', [execution(assertion)]));
    expect(classifyRun(summary(failing)).tests.every((t) => t.executions[0]!.classification!.class === 'infrastructure_failure')).toBe(true);
    const mostlyPassing = [...failing.slice(0, 4), test('ok', 'passed', [execution()])];
    expect(classifyRun(summary(mostlyPassing)).tests[0]!.executions[0]!.classification!.class).toBe('assertion_failure');
  });
});

describe('abortableSleep', () => {
  it('ends early when the run is cancelled', async () => {
    const controller = new AbortController();
    const slept = abortableSleep(60_000, controller.signal);
    controller.abort();
    await expect(slept).resolves.toBeUndefined();
  });
});
