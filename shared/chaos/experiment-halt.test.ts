import { describe, expect, it } from 'vitest';
import { FaultCatalog } from './catalog';
import { canHalt, haltCheck, HALT_GRACE_MS, truncateAt } from './experiment-halt';
import type { Request } from './experiment-judge';
import { planExperiment } from './experiment-plan';

/** Steady 0–3 s, db paused 3–9 s, recovery 9–14 s; during chaos: success ≥ 90 % halts. */
function plan(abortOnFail: boolean, type = 'success_rate') {
  return planExperiment({
    experiment: {
      name: 'e',
      steady_state: { duration_s: 3 },
      injection: [{ fault: 'container_pause', target: 'db', duration_s: 6 }],
      during_chaos: { assertion: [{ type, min_success_rate: 0.9, max_downtime_ms: 2000, abort_on_fail: abortOnFail }] },
      recovery: { duration_s: 5 },
    },
    services: ['db'],
    portsOf: () => [],
    catalog: new FaultCatalog(),
  }).plan!;
}

/** One root request every 100 ms from 0 to `untilMs`, failing from `failFromMs` on. */
function traffic(untilMs: number, failFromMs = Infinity): Request[] {
  const out: Request[] = [];
  for (let t = 0; t < untilMs; t += 100) out.push({ spanId: `s${t}`, name: 'GET /', root: true, startMs: t, durationMs: 5, ok: t < failFromMs, attrs: {} });
  return out;
}

describe('halting on abort_on_fail', () => {
  it('only watches plans with an assertion a prefix can decide', () => {
    expect(canHalt(plan(true))).toBe(true);
    expect(canHalt(plan(false))).toBe(false);
    expect(canHalt(plan(true, 'return_to_steady_state'))).toBe(false);
  });

  it('halts once a settled second of the phase fails, naming the assertion and its evidence', () => {
    const p = plan(true);
    // Failing from 3.0 s: at 4.0 s nothing of during_chaos is settled yet (grace), at 4.5 s not a whole second.
    expect(haltCheck(p, traffic(4000, 3000), 4000)).toBeUndefined();
    expect(haltCheck(p, traffic(4500, 3000), 3000 + HALT_GRACE_MS + 500)).toBeUndefined();
    const halt = haltCheck(p, traffic(5000, 3000), 3000 + HALT_GRACE_MS + 1000);
    expect(halt).toMatchObject({ atMs: 5000, phase: 'during_chaos', verdict: { path: 'chaos.experiment.during_chaos.assertion[0]', passed: false } });
    expect(halt!.verdict.message).toMatch(/^success rate 0\.0 % < 90\.0 %/);
    expect(halt!.verdict.evidence).toContain('s3000');
  });

  it('does not halt while the phase holds, nor without abort_on_fail, nor on a phase with no requests yet', () => {
    expect(haltCheck(plan(true), traffic(8000), 8000)).toBeUndefined();
    expect(haltCheck(plan(false), traffic(8000, 3000), 8000)).toBeUndefined();
    expect(haltCheck(plan(true), traffic(3000), 8000)).toBeUndefined();
  });

  it('halts on downtime the moment it is longer than allowed', () => {
    const p = plan(true, 'max_downtime');
    expect(haltCheck(p, traffic(6000, 3000), 3000 + HALT_GRACE_MS + 1900)).toBeUndefined();
    expect(haltCheck(p, traffic(6500, 3000), 3000 + HALT_GRACE_MS + 2100)?.verdict.message).toMatch(/longest time without a successful request: 2100 ms \(limit 2000 ms\)/);
  });

  it('cuts the plan at the halt and leaves out the phases not reached', () => {
    const cut = truncateAt(plan(true), 5000);
    expect(cut.phases.map((p) => [p.name, p.startMs, p.endMs])).toEqual([
      ['steady_state', 0, 3000],
      ['during_chaos', 3000, 5000],
    ]);
    expect(cut.totalMs).toBe(5000);
  });
});
