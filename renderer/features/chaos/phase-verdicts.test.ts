import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../shared/ipc/contract';
import type { RunEvent } from '../../../shared/run/events';
import { phaseVerdicts } from './phase-verdicts';

const ids = { runId: 'r0123456789a', test: 't' } as const;
const ours = 'e0123456789a';
const started = (executionId: string, scenario: string, iteration = 1): RunEvent => ({ type: 'execution-started', at: 1, ...ids, executionId, scenario, iteration, iterations: iteration });
const decided = (executionId: string, verdicts: [string, boolean][], decidedAtMs = 4200): RunEvent => ({
  type: 'phase-verdict',
  at: 2,
  ...ids,
  executionId,
  experiment: 'db_paused',
  phase: 'steady_state',
  startMs: 0,
  endMs: 3200,
  decidedAtMs,
  verdicts: verdicts.map(([path, passed]) => ({ path, type: 'success_rate', passed, message: passed ? '32 requests: success 100.0 %' : 'success rate 96.9 % < 100.0 %', measured: { requests: 32 }, evidence: [] })),
});
const finished = (verdicts: [string, boolean][]): EventPayload<'runFinished'> => ({
  runId: ids.runId,
  file: 'f',
  passed: verdicts.every(([, p]) => p),
  cancelled: false,
  durationMs: 1,
  traceIds: [],
  executionIds: [],
  verdicts: verdicts.map(([name, passed]) => ({ name, kind: 'expectation', passed, message: `steady_state: ${passed ? 'held' : 'did not hold'}`, evidence: [] })),
});
const steady0 = 'chaos.experiment.steady_state.assertion[0]';
const steady1 = 'chaos.experiment.steady_state.assertion[1]';

describe('phase verdicts of a Chaos run', () => {
  it('while it runs: each decided phase of the experiment’s execution, provisional', () => {
    const events = [started(ours, 'warm'), decided(ours, [[steady0, true]]), decided('e999999999999', [[steady1, false]])];
    expect(phaseVerdicts(events, null, ours)).toEqual([{ phase: 'steady_state', name: steady0, passed: true, message: '32 requests: success 100.0 %', state: 'provisional', decidedAtMs: 4200 }]);
  });

  it('once finished: the end’s verdicts, marked where they differ from those decided while running', () => {
    const events = [started(ours, 'warm'), decided(ours, [[steady0, true], [steady1, true]])];
    const end = finished([[`warm › ${steady0}`, true], [`warm › ${steady1}`, false]]);
    expect(phaseVerdicts(events, end, ours)).toEqual([
      { phase: 'steady_state', name: steady0, passed: true, message: 'held', state: 'final' },
      { phase: 'steady_state', name: steady1, passed: false, message: 'did not hold', state: 'final', changed: { passed: true, decidedAtMs: 4200 } },
    ]);
  });

  it('matches the execution’s own verdicts by its scenario and iteration', () => {
    const events = [started(ours, 'warm', 2), decided(ours, [[steady0, true]])];
    const end = finished([[`warm › ${steady0}`, true], [`warm #2 › ${steady0}`, false]]);
    expect(phaseVerdicts(events, end, ours).map((v) => v.changed)).toEqual([undefined, { passed: true, decidedAtMs: 4200 }]);
  });

  it('keeps a phase decided while running that the end never judged (a stopped run), unconfirmed', () => {
    const events = [started(ours, 'warm'), decided(ours, [[steady0, true]])];
    expect(phaseVerdicts(events, finished([]), ours)).toEqual([{ phase: 'steady_state', name: steady0, passed: true, message: '32 requests: success 100.0 %', state: 'unconfirmed', decidedAtMs: 4200 }]);
  });

  it('lists the [[scenario.phase]] form’s verdicts too, and nothing else of the run', () => {
    const end = finished([
      ['read › scenario[0].phase[0].expect[0].success_rate', true],
      ['read › expect.span[0]', true],
    ]);
    expect(phaseVerdicts([], end, undefined).map((v) => [v.phase, v.name])).toEqual([['steady_state', 'scenario[0].phase[0].expect[0].success_rate']]);
  });
});
