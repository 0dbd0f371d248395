import { describe, expect, it } from 'vitest';
import { errorsOf, HEAD, warningsOf } from '../spec/test-helpers';
import type { ExperimentTable } from '../spec/schema/chaos-experiment';
import { FaultCatalog } from './catalog';
import { DEFAULT_FAULT_MS, DEFAULT_RECOVERY_MS, parseTiming, planExperiment, proxiedServices } from './experiment-plan';

const catalog = new FaultCatalog();
const plan = (experiment: ExperimentTable, resilience?: Parameters<typeof planExperiment>[0]['resilience']) =>
  planExperiment({ experiment, resilience, services: ['api', 'db'], portsOf: (id) => (id === 'api' ? [8080] : []), catalog });

describe('timings', () => {
  it('reads after_steady_state with and without an offset, at_N and immediately, in ms, s and m', () => {
    expect(parseTiming(undefined)).toEqual({ anchor: 'steady', offsetMs: 0 });
    expect(parseTiming('after_steady_state_30s')).toEqual({ anchor: 'steady', offsetMs: 30_000 });
    expect(parseTiming('at_1.5s')).toEqual({ anchor: 'start', offsetMs: 1500 });
    expect(parseTiming('AT_250ms')).toEqual({ anchor: 'start', offsetMs: 250 });
    expect(parseTiming('after_steady_state_2m')).toEqual({ anchor: 'steady', offsetMs: 120_000 });
    expect(parseTiming('immediately')).toEqual({ anchor: 'start', offsetMs: 0 });
    expect(parseTiming('soon')).toMatch(/timing "soon" is not one of/);
  });
});

describe('planning the full form', () => {
  it('puts steady state, the faults and recovery on one axis, with the assertions of each phase', () => {
    const r = plan({
      name: 'db_failover',
      steady_state: { duration_s: 30, assertion: [{ type: 'success_rate', span_name: 'api.request', min_success_rate: 0.99 }] },
      injection: [
        { fault: 'container_pause', target: 'service:db', timing: 'after_steady_state', duration_s: 10 },
        { fault: 'cpu_pressure', target: 'api', timing: 'after_steady_state_5s', duration_s: 20 },
      ],
      during_chaos: { assertion: [{ type: 'degraded_performance', span_name: 'api.request', min_success_rate: 0.95, p95_max_ms: 500 }] },
      recovery: { duration_s: 15, assertion: [{ type: 'return_to_steady_state', max_recovery_time_ms: 10_000, abort_on_fail: true }] },
    });
    expect(r.problems).toEqual([]);
    const p = r.plan!;
    expect(p.injections.map((i) => [i.fault, i.service, i.startMs, i.durationMs, i.revertible])).toEqual([
      ['container_pause', 'db', 30_000, 10_000, true],
      ['cpu_pressure', 'api', 35_000, 20_000, true],
    ]);
    expect(p.phases.map((ph) => [ph.name, ph.startMs, ph.endMs, ph.assertions.length])).toEqual([
      ['steady_state', 0, 30_000, 1],
      ['during_chaos', 30_000, 55_000, 1],
      ['recovery', 55_000, 70_000, 1],
    ]);
    expect(p.totalMs).toBe(70_000);
    expect(p.phases[2]!.assertions[0]).toMatchObject({ type: 'return_to_steady_state', maxRecoveryMs: 10_000, abortOnFail: true, path: 'chaos.experiment.recovery.assertion[0]' });
    expect(p.injections[1]!.params).toMatchObject({});
  });

  it('fills a fault\'s parameters from the catalog and says a kill cannot be undone', () => {
    const p = plan({ injection: [{ fault: 'container_kill', target: 'db', timing: 'at_5s' }] }).plan!;
    expect(p.injections[0]).toMatchObject({ params: { signal: 'SIGKILL' }, startMs: 5000, durationMs: DEFAULT_FAULT_MS, revertible: false });
    expect(p.phases.at(-1)).toMatchObject({ startMs: 5000 + DEFAULT_FAULT_MS, endMs: 5000 + DEFAULT_FAULT_MS + DEFAULT_RECOVERY_MS });
  });

  it('refuses an unknown target, a bad timing, an unknown fault and a bad parameter, each at its key', () => {
    const r = plan({
      injection: [
        { fault: 'container_pause', target: 'service:cache', timing: 'later' },
        { fault: 'container_paws', target: 'db' },
        { fault: 'container_kill', target: 'db', signal: 'SIGNOPE' },
        { fault: 'latency', target: 'db' },
      ],
    });
    expect(r.plan).toBeUndefined();
    expect(r.problems.map((p) => [p.code, p.path])).toEqual([
      ['chaos.experiment', 'chaos.experiment.injection[0].target'],
      ['chaos.experiment', 'chaos.experiment.injection[0].timing'],
      ['chaos.unknown-fault', 'chaos.experiment.injection[1]'],
      ['chaos.param', 'chaos.experiment.injection[2].signal'],
      ['chaos.experiment', 'chaos.experiment.injection[3].target'],
    ]);
    expect(r.problems[4]!.message).toBe('latency goes through the fault proxy, which forwards a service\'s declared ports: add ports = [...] to service db');
    expect(r.problems[0]!.message).toBe('target "service:cache" is not a service of this file (its services: api, db)');
    expect(r.problems[2]!.message).toMatch(/did you mean "container_pause"/);
  });

  it('needs a fault', () => {
    expect(plan({ name: 'x' }).problems.map((p) => p.message)).toEqual([expect.stringMatching(/an experiment needs a fault/)]);
    expect(plan({ fault: 'container_kill' }).problems.map((p) => p.message)).toEqual([expect.stringMatching(/short form needs both fault and target/)]);
  });
});

describe('proxy faults', () => {
  it('are planned as the proxy family, and name the services the proxy must stand in front of', () => {
    const p = plan({ injection: [{ fault: 'latency', target: 'api', latency: 300, duration_s: 2 }, { fault: 'down', target: 'api', timing: 'at_5s' }, { fault: 'container_pause', target: 'db' }] }).plan!;
    expect(p.injections.map((i) => [i.fault, i.family, i.params])).toEqual([
      ['latency', 'proxy', { latency: 300, jitter: 0, stream: 'downstream', toxicity: 1 }],
      ['down', 'proxy', {}],
      ['container_pause', 'container', {}],
    ]);
    expect(proxiedServices(p)).toEqual(['api']);
  });
});

describe('the built-in load generator', () => {
  const fault = { injection: [{ fault: 'container_pause', target: 'db' }] };
  it('aims at a service\'s published port, with defaults for method, rate and timeout', () => {
    expect(plan({ ...fault, load: { url: 'http://api:8080/items/1?x=2' } }).plan!.load).toEqual({
      url: 'http://api:8080/items/1?x=2', service: 'api', port: 8080, path: '/items/1?x=2', method: 'GET', ratePerS: 10, timeoutMs: 2000,
    });
    expect(plan({ ...fault, load: { url: 'http://api:8080', method: 'post', rate_per_s: 50, timeout_ms: 500 } }).plan!.load).toMatchObject({ path: '/', method: 'POST', ratePerS: 50, timeoutMs: 500 });
  });

  it('refuses a URL it cannot reach: not a URL, https, another host, a port the service does not publish', () => {
    const messages = (url: string) => plan({ ...fault, load: { url } }).problems.map((p) => `${p.path} ${p.message}`);
    expect(messages('api/items')).toEqual([expect.stringMatching(/^chaos.experiment.load.url "api\/items" is not a URL/)]);
    expect(messages('https://api:8080/')).toEqual(['chaos.experiment.load.url the load generator speaks plain http, not https']);
    expect(messages('http://example.com/')).toEqual([expect.stringMatching(/"example.com" in the load URL is not a service of this file/)]);
    expect(messages('http://db:7002/')).toEqual(['chaos.experiment.load.url service db does not publish port 7002: add ports = [7002] to it so the load generator can reach it']);
  });
});

describe('planning the short form with [expect.resilience]', () => {
  it('injects at the timing and turns resilience keys into during-chaos and recovery assertions', () => {
    const p = plan(
      { fault: 'container_pause', target: 'service:db', timing: 'after_steady_state_30s', duration_s: 5 },
      { span_name: 'api.request', max_failover_time_ms: 5000, min_success_rate_during: 0.95, full_recovery_time_ms: 10_000, max_downtime_ms: 2000 },
    ).plan!;
    expect(p.injections.map((i) => [i.path, i.startMs, i.durationMs])).toEqual([['chaos.experiment.fault', 30_000, 5000]]);
    const [steady, during, recovery] = p.phases;
    expect(steady).toMatchObject({ startMs: 0, endMs: 30_000, assertions: [] });
    expect(during!.assertions.map((a) => [a.type, a.path])).toEqual([
      ['success_rate', 'expect.resilience.min_success_rate_during'],
      ['failover_detected', 'expect.resilience.max_failover_time_ms'],
      ['max_downtime', 'expect.resilience.max_downtime_ms'],
    ]);
    expect(recovery!.assertions).toEqual([expect.objectContaining({ type: 'return_to_steady_state', spanName: 'api.request', maxRecoveryMs: 10_000 })]);
  });
});

describe('validate reports experiments at their line', () => {
  const SERVICES = `[service.db]\nimage = "cleanroom/busybox"\n\n`;
  it('accepts a plannable experiment without a word, and says abort_on_fail cannot halt a recovery assertion', () => {
    const src = `${HEAD}\n${SERVICES}[chaos.experiment]\nname = "e"\n[[chaos.experiment.injection]]\nfault = "container_pause"\ntarget = "service:db"\nduration_s = 5\n[chaos.experiment.recovery]\nduration_s = 10\n[[chaos.experiment.recovery.assertion]]\ntype = "return_to_steady_state"\nmax_recovery_time_ms = 3000\n`;
    expect(errorsOf(src)).toEqual([]);
    expect(warningsOf(src)).toEqual([]);
    expect(warningsOf(`${src}abort_on_fail = true\n`)).toEqual([expect.stringMatching(/^23:1 chaos.cannot-halt abort_on_fail cannot halt a return_to_steady_state assertion/)]);
    const halting = src.replace('type = "return_to_steady_state"\nmax_recovery_time_ms = 3000\n', 'type = "success_rate"\nmin_success_rate = 0.9\nabort_on_fail = true\n');
    expect(halting).toContain('type = "success_rate"\nmin_success_rate = 0.9\nabort_on_fail = true');
    expect(errorsOf(halting)).toEqual([]);
    expect(warningsOf(halting)).toEqual([]);
  });

  it('takes the load method in either case, as written in HTTP or in lower case', () => {
    const src = (method: string) => `${HEAD}\n${SERVICES.replace('\n\n', '\nports = [7002]\n\n')}[chaos.experiment]\nfault = "container_pause"\ntarget = "db"\n[chaos.experiment.load]\nurl = "http://db:7002/x"\nmethod = "${method}"\n`;
    expect(errorsOf(src('POST'))).toEqual([]);
    expect(errorsOf(src('head'))).toEqual([]);
    expect(errorsOf(src("PATCH"))).toEqual([expect.stringMatching(/^18:10 toml.shape `chaos.experiment.load.method` must be one of "GET", "HEAD", "POST", "PUT", "DELETE"/)]);
  });

  it('points at the target that is not a service and at an unknown assertion type', () => {
    const src = `${HEAD}\n${SERVICES}[chaos.experiment]\nfault = "container_pause"\ntarget = "service:dB"\n`;
    expect(errorsOf(src)).toEqual([expect.stringMatching(/^14:1 chaos.experiment target "service:dB" is not a service of this file — did you mean "db"\? \(its services: db\)/)]);
    const bad = `${HEAD}\n${SERVICES}[chaos.experiment]\nfault = "container_pause"\ntarget = "db"\n[[chaos.experiment.during_chaos.assertion]]\ntype = "vibes"\n`;
    expect(errorsOf(bad)).toEqual([expect.stringMatching(/^16:8 toml.shape .*must be one of "success_rate"/)]);
  });

  it('says [expect.resilience] needs an experiment', () => {
    expect(errorsOf(`${HEAD}\n[expect.resilience]\nmax_downtime_ms = 5000\n`)).toEqual([expect.stringMatching(/chaos.experiment \[expect.resilience\] judges a chaos experiment/)]);
  });
});
