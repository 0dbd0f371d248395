import { describe, expect, it } from 'vitest';
import { FaultCatalog } from './catalog';
import { HALT_GRACE_MS } from './experiment-halt';
import { judgeExperiment, type Request } from './experiment-judge';
import { decidePhases, finalPhases, readyPhases, type ExperimentNow } from './experiment-live';
import { planExperiment } from './experiment-plan';
import { asRun, type InjectionOutcome } from './experiment-results';

/** Steady 0–3 s (success 100 %), db paused 3–9 s (success ≥ 90 %), recovery 9–14 s (back to steady). */
const plan = planExperiment({
  experiment: {
    name: 'e',
    steady_state: { duration_s: 3, assertion: [{ type: 'success_rate' }] },
    injection: [{ fault: 'container_pause', target: 'db', duration_s: 6 }],
    during_chaos: { assertion: [{ type: 'success_rate', min_success_rate: 0.9 }] },
    recovery: { duration_s: 5, assertion: [{ type: 'return_to_steady_state', max_recovery_time_ms: 2000 }] },
  },
  services: ['db'],
  portsOf: () => [],
  catalog: new FaultCatalog(),
}).plan!;

const pause = { path: 'chaos.experiment.injection[0]', fault: 'container_pause', service: 'db' };
const planned: InjectionOutcome = pause;
const paused: InjectionOutcome = { ...pause, startedMs: 3200 };
const resumed: InjectionOutcome = { ...pause, startedMs: 3200, endedMs: 9100 };

const at = (elapsedMs: number, outcome: InjectionOutcome, more: Partial<ExperimentNow> = {}): ExperimentNow => ({ elapsedMs, outcomes: [outcome], completeBeforeMs: elapsedMs, ...more });
const names = (phases: readonly { name: string }[]): string[] => phases.map((p) => p.name);

/** One root request every 100 ms until `untilMs`, failing between `failFrom` and `failTo`. */
function traffic(untilMs: number, failFrom = Infinity, failTo = Infinity): Request[] {
  const out: Request[] = [];
  for (let t = 0; t < untilMs; t += 100) out.push({ spanId: `s${t}`, name: 'GET /', root: true, startMs: t, durationMs: 5, ok: t < failFrom || t >= failTo, attrs: {} });
  return out;
}

describe('which phase windows are final while the experiment runs', () => {
  it('the steady state ends when its fault is really in, not when it was planned', () => {
    expect(finalPhases(plan, at(3100, planned))).toEqual([]);
    const steady = finalPhases(plan, at(3300, paused));
    expect(steady.map((p) => [p.name, p.startMs, p.endMs])).toEqual([['steady_state', 0, 3200]]);
  });

  it('during chaos and recovery become final once the fault is out', () => {
    expect(names(finalPhases(plan, at(8000, paused)))).toEqual(['steady_state']);
    const all = finalPhases(plan, at(9200, resumed));
    expect(all.map((p) => [p.name, p.startMs, p.endMs])).toEqual([
      ['steady_state', 0, 3200],
      ['during_chaos', 3200, 9100],
      ['recovery', 9100, 14_000],
    ]);
  });

  it('a fault that failed to go in leaves the windows as planned', () => {
    const failed = { ...pause, error: 'service db has no running container' };
    expect(finalPhases(plan, at(3100, failed)).map((p) => [p.name, p.startMs, p.endMs])).toEqual(plan.phases.map((p) => [p.name, p.startMs, p.endMs]));
  });

  it('a phase a stop cut short is not final (the end judges it up to the stop)', () => {
    expect(names(finalPhases(plan, at(5200, { ...paused, endedMs: 5100 }, { stoppingAtMs: 5000 })))).toEqual(['steady_state']);
    // The planned end stops it too, after recovery's end: nothing is cut.
    expect(names(finalPhases(plan, at(14_100, resumed, { stoppingAtMs: 14_000 })))).toEqual(['steady_state', 'during_chaos', 'recovery']);
  });
});

describe('when a phase is ready to be decided', () => {
  it('once the newest second past its end is settled and no load request from inside it is still out', () => {
    expect(readyPhases(plan, at(3200 + HALT_GRACE_MS - 1, paused), new Set())).toEqual([]);
    expect(names(readyPhases(plan, at(3200 + HALT_GRACE_MS, paused), new Set()))).toEqual(['steady_state']);
    // A slow request sent at 3.1 s is still out: its span belongs to the steady state.
    expect(readyPhases(plan, at(5000, paused, { completeBeforeMs: 3100 }), new Set())).toEqual([]);
    expect(names(readyPhases(plan, at(5000, paused, { completeBeforeMs: 3200 }), new Set()))).toEqual(['steady_state']);
  });

  it('once only, and never a phase without assertions', () => {
    expect(names(readyPhases(plan, at(10_200, resumed), new Set(['steady_state'])))).toEqual(['during_chaos']);
    const bare = { ...plan, phases: plan.phases.map((p) => ({ ...p, assertions: [] })) };
    expect(readyPhases(bare, at(20_000, resumed), new Set())).toEqual([]);
  });
});

describe('a phase decided at its boundary', () => {
  it('gets the verdicts the end gives it over the same spans', () => {
    const requests = traffic(14_000, 3200, 4000);
    const end = judgeExperiment(asRun(plan, [resumed]), requests);
    const ready = readyPhases(plan, at(15_100, resumed), new Set());
    const decided = decidePhases(ready, requests, 15_100);
    expect(decided.map((d) => ({ name: d.phase, startMs: d.startMs, endMs: d.endMs, verdicts: d.verdicts }))).toEqual(end.phases);
    expect(decided.map((d) => d.decidedAtMs)).toEqual([15_100, 15_100, 15_100]);
    // 8 of 59 requests failed during chaos: below 90 %, with the failed ones as evidence.
    expect(decided[1]!.verdicts[0]).toMatchObject({ passed: false, measured: { requests: 59 } });
    expect(decided[1]!.verdicts[0]!.evidence).toContain('s3200');
  });

  it('counts only the requests that started inside its window', () => {
    // The steady state decided at 4.2 s: requests up to 4.2 s are in, those after 3.2 s belong to during chaos.
    const [steady] = decidePhases(readyPhases(plan, at(4200, paused), new Set()), traffic(4200, 3200), 4200);
    expect(steady!.verdicts[0]).toMatchObject({ path: 'chaos.experiment.steady_state.assertion[0]', passed: true, measured: { requests: 32, successRate: 1 } });
  });
});
