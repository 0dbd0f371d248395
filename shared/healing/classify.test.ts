import { describe, expect, it } from 'vitest';
import { span } from '../expect/testing';
import type { ContainerRecord, ExecutionEvidence, StepRecord } from '../run/records';
import { applyRunRule, classify, classifyDefinition, type ClassifyInput } from './classify';

type Evidence = ClassifyInput['evidence'];
const empty: Evidence = { steps: [], containers: [], expectations: [], problems: [] };

function container(over: Partial<ContainerRecord> = {}): ContainerRecord {
  return { service: 'api', containerId: 'c1', image: 'cleanroom/busybox:latest', status: 'exited', running: false, exitCode: 0, oomKilled: false, error: null, startedAt: null, finishedAt: null, restartCount: 0, logTail: [], collectedAt: '', ...over };
}
function step(over: Partial<StepRecord> = {}): StepRecord {
  return { name: 'call', target: 'api', command: ['sh'], verdict: 'failed', exitCode: 1, expectedExitCode: 0, timedOut: false, durationMs: 10, message: 'exit code 1, expected 0', stdoutTail: '', stderrTail: '', ...over };
}
const failed = (evidence: Partial<ExecutionEvidence>, more: Partial<ClassifyInput> = {}) => classify({ verdict: 'failed', evidence: { ...empty, ...evidence }, ...more });

describe('classify: each class from the evidence that decides it', () => {
  it('resource_exhaustion from the OOM flag, with the container as evidence', () => {
    const c = failed({ containers: [container({ oomKilled: true, exitCode: 137 })], steps: [step({ verdict: 'error', exitCode: 137 })] });
    expect(c).toMatchObject({ class: 'resource_exhaustion', confidence: 0.97 });
    expect(c.evidence[0]).toEqual({ kind: 'container', detail: 'OOM killed (exit 137)', ref: 'api' });
  });

  it('resource_exhaustion from a log line alone, with less confidence', () => {
    const c = failed({ steps: [step({ stderrTail: 'fatal: Cannot allocate memory' })] });
    expect(c).toMatchObject({ class: 'resource_exhaustion', confidence: 0.75, evidence: [{ kind: 'step', detail: 'fatal: Cannot allocate memory', ref: 'call' }] });
  });

  it('container_startup_failure from a service that stopped before it was ready', () => {
    const c = failed({
      problems: [{ code: 'docker.failed', message: 'service "api" stopped before it was ready: api exited with code 3' }],
      containers: [container({ exitCode: 3, logTail: ['boot: missing config'] })],
    });
    expect(c.class).toBe('container_startup_failure');
    expect(c.evidence.map((e) => e.kind)).toEqual(['problem', 'container', 'log']);
  });

  it('configuration_error from a missing image and from exit 127', () => {
    expect(failed({ problems: [{ code: 'docker.image-missing', message: 'image "nope:1" is not on this engine' }] }).class).toBe('configuration_error');
    expect(failed({ steps: [step({ exitCode: 127, stderrTail: 'sh: curl: not found' })] })).toMatchObject({ class: 'configuration_error', evidence: [{ detail: 'exit code 127 (command not found): sh: curl: not found' }] });
  });

  it('timing_sensitivity from a wait that timed out, even when its last sight was a refused connection', () => {
    const c = failed({ problems: [{ code: 'docker.wait-timeout', message: 'service "api" was not ready within 2000 ms: waited for port 8080; last seen: connection refused' }] });
    expect(c).toMatchObject({ class: 'timing_sensitivity', confidence: 0.9 });
  });

  it('transient_network_error from output and span errors', () => {
    const spans = [span({ id: 'a', name: 'GET /stock', status: 'error', attrs: { 'error.type': 'ECONNREFUSED' } })];
    const c = failed({ steps: [step({ stderrTail: "wget: can't connect to remote host (172.18.0.2): Connection refused" })] }, { spans });
    expect(c).toMatchObject({ class: 'transient_network_error', confidence: 0.9 });
    expect(c.evidence.map((e) => e.kind)).toEqual(['step', 'span']);
  });

  it('determinism_violation from the diff, when nothing else failed', () => {
    const c = classify({ verdict: 'failed', evidence: empty, determinism: { passed: false, differingIteration: 2, differences: [{ path: 'work', message: 'attribute request.id differs', spanA: 'aaaaaaaaaaaaaaaa', spanB: 'bbbbbbbbbbbbbbbb' }] } });
    // The differing iteration's span is the one referred to: the class is written into that execution.
    expect(c).toMatchObject({ class: 'determinism_violation', evidence: [{ detail: 'iteration 2 differs from iteration 1 (1 differences)' }, { detail: 'work: attribute request.id differs', ref: 'bbbbbbbbbbbbbbbb' }] });
  });

  it('flaky_test from history that went fail → pass → fail, not from a regression', () => {
    const failing = { steps: [step()] };
    expect(failed(failing, { history: ['failed', 'passed'] })).toMatchObject({ class: 'flaky_test', evidence: [{ kind: 'history', detail: '2 of the last 3 executions failed (67 %), 2 changes between pass and fail (flakiness 1.00)' }], confidence: 0.9 });
    expect(failed(failing, { history: ['passed', 'passed', 'failed'] }).class).toBe('assertion_failure');
    expect(failed(failing, { notReproduced: true }).class).toBe('flaky_test');
  });

  it('flaky_test from one expectation that flips while the test as a whole kept failing', () => {
    const result = (passed: boolean) => [{ expectation: 'span.GET', passed }, { expectation: 'graph', passed: false }];
    const expectations = [
      { expectation: 'span.GET', kind: 'span', passed: false, message: 'no span named GET', spans: [] },
      { expectation: 'graph', kind: 'graph', passed: false, message: 'edge missing', spans: [] },
    ];
    const c = failed({ expectations }, { history: ['failed', 'failed'], expectationHistory: [result(false), result(true)] });
    expect(c.class).toBe('flaky_test');
    expect(c.evidence[1]).toEqual({ kind: 'history', ref: 'span.GET', detail: 'expectation: 2 of the last 3 executions failed (67 %), 2 changes between pass and fail (flakiness 1.00)' });
    expect(c.evidence.some((e) => e.ref === 'graph')).toBe(false);
  });

  it('assertion_failure from a failed expectation, surer when it failed every recent time', () => {
    const expectations = [{ expectation: 'span.GET', kind: 'span', passed: false, message: 'no span named GET', spans: [] }];
    expect(failed({ expectations })).toMatchObject({ class: 'assertion_failure', confidence: 0.8 });
    expect(failed({ expectations }, { history: ['failed', 'failed'] })).toMatchObject({ class: 'assertion_failure', confidence: 0.9 });
  });

  it('infrastructure_failure when the engine is gone', () => {
    expect(failed({ problems: [{ code: 'docker.unavailable', message: 'Cannot connect to the Docker daemon' }] }).class).toBe('infrastructure_failure');
  });

  it('invalid_test_definition for a file that does not parse', () => {
    expect(classifyDefinition([{ code: 'toml.syntax', message: 'add the closing quote' }])).toMatchObject({ class: 'invalid_test_definition', evidence: [{ kind: 'problem', ref: 'toml.syntax' }] });
  });

  it('says so when nothing specific is known', () => {
    expect(failed({})).toMatchObject({ class: 'assertion_failure', confidence: 0.3 });
  });
});

describe('applyRunRule (Trunk: over 80 % of a run failing at once)', () => {
  const assertion = failed({ steps: [step()] });
  it('relabels as infrastructure, keeping what it looked like', () => {
    const c = applyRunRule(assertion, 9, 10);
    expect(c.class).toBe('infrastructure_failure');
    expect(c.evidence[0]!.detail).toBe('9 of 10 tests of the run failed at once (over 80 %); on its own this looked like assertion_failure');
  });
  it('leaves small runs, 80 % exactly and definite causes alone', () => {
    expect(applyRunRule(assertion, 3, 3)).toBe(assertion);
    expect(applyRunRule(assertion, 8, 10)).toBe(assertion);
    const config = failed({ problems: [{ code: 'docker.image-missing', message: 'x' }] });
    expect(applyRunRule(config, 10, 10)).toBe(config);
  });
});
