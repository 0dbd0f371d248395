import { describe, expect, it } from 'vitest';
import { nanoAt, sid, spans } from '../expect/testing';
import { nanoToMicros } from '../model/time';
import { FaultCatalog } from './catalog';
import { judgeExperiment, toRequests, type Request } from './experiment-judge';
import { planExperiment, type ExperimentPlan } from './experiment-plan';
import type { ExperimentTable } from '../spec/schema/chaos-experiment';

const catalog = new FaultCatalog();
const planOf = (experiment: ExperimentTable): ExperimentPlan => planExperiment({ experiment, services: ['api', 'db'], portsOf: () => [], catalog }).plan!;

/** A request every 100 ms from `fromMs` to `toMs`, shaped by `f(t)`. */
function traffic(fromMs: number, toMs: number, f: (t: number) => { ok?: boolean; ms?: number; attrs?: Record<string, string> } = () => ({})): Request[] {
  const out: Request[] = [];
  for (let t = fromMs; t < toMs; t += 100) {
    const r = f(t);
    out.push({ spanId: `s${t}`, name: 'api.request', root: true, startMs: t, durationMs: r.ms ?? 20, ok: r.ok ?? true, attrs: r.attrs ?? {} });
  }
  return out;
}

// steady 0–10 s, db paused 10–15 s, recovery 15–25 s
const EXPERIMENT: ExperimentTable = {
  steady_state: { duration_s: 10, assertion: [{ type: 'success_rate', span_name: 'api.request', min_success_rate: 0.99 }, { type: 'latency', span_name: 'api.request', p95_max_ms: 50 }] },
  injection: [{ fault: 'container_pause', target: 'db', duration_s: 5 }],
  during_chaos: { assertion: [{ type: 'degraded_performance', min_success_rate: 0.5, p95_max_ms: 1000 }, { type: 'max_downtime', max_downtime_ms: 1500 }, { type: 'failover_detected', max_failover_time_ms: 2000 }] },
  recovery: { duration_s: 10, assertion: [{ type: 'return_to_steady_state', min_success_rate: 0.99, p95_max_ms: 50, max_recovery_time_ms: 3000 }] },
};

describe('judging an experiment by its spans', () => {
  it('passes a system that degrades gracefully and recovers in time, with the figures measured', () => {
    const reqs = traffic(0, 25_000, (t) => {
      if (t >= 10_000 && t < 11_000) return { ok: false, ms: 500 }; // the first second of the pause fails
      if (t >= 11_000 && t < 15_000) return { ms: 300 }; // then served degraded (from a cache)
      if (t >= 15_000 && t < 16_500) return { ms: 120 }; // recovery warms up for 1.5 s
      return {};
    });
    const v = judgeExperiment(planOf(EXPERIMENT), reqs);
    expect(v.phases.flatMap((p) => p.verdicts.map((x) => [p.name, x.type, x.passed]))).toEqual([
      ['steady_state', 'success_rate', true],
      ['steady_state', 'latency', true],
      ['during_chaos', 'degraded_performance', true],
      ['during_chaos', 'max_downtime', true],
      ['during_chaos', 'failover_detected', true],
      ['recovery', 'return_to_steady_state', true],
    ]);
    expect(v.passed).toBe(true);
    expect(v.score).toBe(100);
    const [, during, recovery] = v.phases;
    expect(during!.verdicts[0]!.measured).toMatchObject({ requests: 50, successRate: 0.8 });
    expect(during!.verdicts[1]!.measured.downtimeMs).toBe(1000);
    expect(during!.verdicts[2]).toMatchObject({ measured: { failoverMs: 1000 }, evidence: ['s11000'] });
    expect(recovery!.verdicts[0]!.measured.recoveryMs).toBe(2000);
    expect(recovery!.verdicts[0]!.message).toBe('recovered 2000 ms after the fault ended (limit 3000 ms)');
  });

  it('fails each assertion a brittle system breaks, with the failing spans as evidence and a lower score', () => {
    const reqs = traffic(0, 25_000, (t) => (t >= 10_000 && t < 20_000 ? { ok: false, ms: 5000 } : {}));
    const v = judgeExperiment(planOf(EXPERIMENT), reqs);
    const during = v.phases[1]!.verdicts;
    expect(during.map((x) => x.passed)).toEqual([false, false, false]);
    expect(during[0]!.message).toMatch(/^success rate 0.0 % < 50.0 %; p95 5000 ms > 1000 ms/);
    expect(during[0]!.evidence).toHaveLength(20);
    expect(during[1]!.message).toBe('longest time without a successful request: 5000 ms (limit 1500 ms)');
    expect(during[2]!.message).toMatch(/^no failover/);
    const recovery = v.phases[2]!.verdicts[0]!;
    expect(recovery).toMatchObject({ passed: false, measured: { recoveryMs: 5000 } });
    expect(v.passed).toBe(false);
    // steady 2 × 1 of 2 + 3 × 2 + 1 × 2 = 2 / 10
    expect(v.score).toBe(20);
  });

  it('says when there was no traffic in a phase instead of passing it', () => {
    const v = judgeExperiment(planOf(EXPERIMENT), traffic(0, 10_000));
    expect(v.phases[1]!.verdicts[0]).toMatchObject({ passed: false, measured: { requests: 0 } });
    expect(v.phases[1]!.verdicts[0]!.message).toMatch(/no requests \(root spans\) started in during_chaos \(10\.0 s–15\.0 s\): the experiment needs traffic/);
  });

  it('detects failover by the attributes a span shows once traffic has moved', () => {
    const plan = planOf({
      injection: [{ fault: 'container_pause', target: 'db', timing: 'at_1s', duration_s: 4 }],
      during_chaos: { assertion: [{ type: 'failover_detected', span_name: 'api.request', attrs: { must_include: { 'db.host': 'replica' } }, max_failover_time_ms: 1000 }] },
    });
    const moved = traffic(0, 6000, (t) => (t >= 2500 && t < 5000 ? { attrs: { 'db.host': 'replica' } } : { attrs: { 'db.host': 'primary' } }));
    expect(judgeExperiment(plan, moved).phases[1]!.verdicts[0]).toMatchObject({ passed: false, measured: { failoverMs: 1500 }, evidence: ['s2500'] });
    const quick = traffic(0, 6000, (t) => (t >= 1500 && t < 5000 ? { attrs: { 'db.host': 'replica' } } : {}));
    expect(judgeExperiment(plan, quick).phases[1]!.verdicts[0]).toMatchObject({ passed: true, measured: { failoverMs: 500 } });
  });

  it('reads requests from stored spans: root spans, times from the experiment start, error status, attributes as text', () => {
    const [root, child] = spans([
      { id: 'r', name: 'api.request', startMs: 2000, endMs: 2030, status: 'error', attrs: { 'http.status_code': 503 } },
      { id: 'c', name: 'db.query', parent: 'r', startMs: 2001, endMs: 2011 },
    ]);
    expect(toRequests([root!, child!], nanoToMicros(nanoAt(0)))).toEqual([
      { spanId: sid('r'), name: 'api.request', root: true, startMs: 2000, durationMs: 30, ok: false, attrs: { 'http.status_code': '503' } },
      { spanId: sid('c'), name: 'db.query', root: false, startMs: 2001, durationMs: 10, ok: true, attrs: {} },
    ]);
  });
});
