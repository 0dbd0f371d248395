import { describe, expect, it } from 'vitest';
import { FaultCatalog } from './catalog';
import type { ExperimentVerdict } from './experiment-judge';
import { planExperiment } from './experiment-plan';
import { asRun, experimentResults } from './experiment-results';

const plan = planExperiment({
  experiment: { name: 'e', steady_state: { duration_s: 3 }, injection: [{ fault: 'container_pause', target: 'db', duration_s: 3 }, { fault: 'container_kill', target: 'api', timing: 'at_4s', duration_s: 1 }], recovery: { duration_s: 4 } },
  services: ['api', 'db'],
  portsOf: () => [],
  catalog: new FaultCatalog(),
}).plan!;

describe('the experiment as it ran', () => {
  it('moves the phase windows to the faults\' real start and end, and keeps the planned length', () => {
    const ran = asRun(plan, [
      { path: 'a', fault: 'container_pause', service: 'db', startedMs: 3250, endedMs: 6400 },
      { path: 'b', fault: 'container_kill', service: 'api', startedMs: 4100, endedMs: 4120, irreversible: true },
    ]);
    expect(ran.phases.map((p) => [p.name, p.startMs, p.endMs])).toEqual([
      ['steady_state', 0, 3250],
      ['during_chaos', 3250, 6400],
      ['recovery', 6400, 10_000],
    ]);
  });

  it('keeps the plan when no fault was injected', () => {
    expect(asRun(plan, [{ path: 'a', fault: 'container_pause', service: 'db', error: 'no such container' }])).toBe(plan);
  });
});

describe('results', () => {
  const verdict: ExperimentVerdict = {
    passed: false,
    score: 66.7,
    phases: [
      { name: 'steady_state', startMs: 0, endMs: 3000, verdicts: [{ path: 'p0', type: 'success_rate', passed: true, message: 'ok', measured: {}, evidence: [], abortOnFail: false }] },
      { name: 'during_chaos', startMs: 3000, endMs: 6000, verdicts: [{ path: 'p1', type: 'max_downtime', passed: false, message: 'too long', measured: {}, evidence: ['s1'], abortOnFail: false }] },
      { name: 'recovery', startMs: 6000, endMs: 10_000, verdicts: [] },
    ],
  };

  it('gives a summary with the score, one result per fault and one per assertion with its evidence', () => {
    const results = experimentResults(plan, [
      { path: 'chaos.experiment.injection[0]', fault: 'container_pause', service: 'db', startedMs: 3000, endedMs: 6000 },
      { path: 'chaos.experiment.injection[1]', fault: 'container_kill', service: 'api', startedMs: 4000, endedMs: 4000, irreversible: true },
    ], verdict);
    expect(results.map((r) => [r.expectation, r.kind, r.passed, r.message, r.spans])).toEqual([
      ['chaos.experiment', 'chaos', false, 'experiment "e": resilience score 66.7; 1 of 2 assertions held, 2 of 2 faults injected and undone; phases steady_state 0.0–3.0 s, during_chaos 3.0–6.0 s, recovery 6.0–10.0 s', []],
      ['chaos.experiment.injection[0]', 'chaos', true, 'container_pause on db from 3.0 s to 6.0 s, undone', []],
      ['chaos.experiment.injection[1]', 'chaos', true, 'container_kill on api from 4.0 s to 4.0 s (cannot be undone: a kill)', []],
      ['p0', 'chaos', true, 'steady_state: ok', []],
      ['p1', 'chaos', false, 'during_chaos: too long', ['s1']],
    ]);
  });

  it('fails a fault that could not be injected or undone, and the summary with it', () => {
    const ok: ExperimentVerdict = { ...verdict, passed: true, phases: [] };
    const results = experimentResults(plan, [
      { path: 'a', fault: 'container_pause', service: 'db', error: 'service db has no running container' },
      { path: 'b', fault: 'container_kill', service: 'api', startedMs: 1, revertError: 'engine gone' },
    ], ok);
    expect(results.map((r) => [r.passed, r.message])).toEqual([
      [false, 'experiment "e": resilience score 66.7; 0 of 0 assertions held, 0 of 2 faults injected and undone; no phase judged'],
      [false, 'container_pause on db could not be injected: service db has no running container'],
      [false, 'container_kill on api was injected but not undone: engine gone'],
    ]);
  });

  it('fails a halted experiment and says when, by which assertion and why', () => {
    const ok: ExperimentVerdict = { ...verdict, passed: true, phases: [] };
    const halt = { atMs: 5200, phase: 'during_chaos' as const, verdict: { path: 'p1', type: 'success_rate' as const, passed: false, message: 'success rate 40.0 % < 90.0 %', measured: { requests: 20 }, evidence: [], abortOnFail: true } };
    const [summary] = experimentResults(plan, [], ok, halt);
    expect(summary).toMatchObject({ passed: false, message: expect.stringMatching(/^experiment "e": halted at 5\.2 s: p1 failed in during_chaos \(success rate 40\.0 % < 90\.0 %\), every fault undone then; /) });
  });
});
