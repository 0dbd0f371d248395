import { describe, expect, it } from 'vitest';
import { sid, spans, type SpanSpec } from '../expect/testing';
import type { ChaosPatternsTable, PatternTestTable, ResiliencePattern } from '../spec/schema/chaos-patterns';
import { FaultCatalog } from './catalog';
import { BACKOFF_TOLERANCE, expectedWaitMs, judgePatternTest, waitFits } from './patterns-judge';
import { planPatterns, type PlannedPatternTest } from './patterns-plan';

const catalog = new FaultCatalog();
const SERVICES = ['api', 'cache', 'db'];

function planned(pattern: ResiliencePattern, test: Omit<PatternTestTable, 'inject_fault'> & { inject_fault?: string }): PlannedPatternTest {
  const patterns: ChaosPatternsTable = { validation: [{ pattern, test: [{ inject_fault: 'network_timeout', target: 'service:cache', ...test }] }] };
  const { tests, problems } = planPatterns({ patterns, services: SERVICES, portsOf: () => [7001], catalog });
  expect(problems).toEqual([]);
  return tests[0]!;
}

const verdicts = (test: PlannedPatternTest, specs: SpanSpec[]) => judgePatternTest(test, spans(specs)).map((r) => [r.expectation.replace('chaos.patterns.validation[0].test[0].', ''), r.passed, r.message]);

/** One request's retries: attempt spans under `parent`, each `attemptMs` long, separated by the given waits. */
function retries(parent: string, startMs: number, waitsMs: number[], attemptMs = 3): SpanSpec[] {
  const out: SpanSpec[] = [{ id: parent, name: 'GET /items/:id', service: 'api', startMs, endMs: startMs + 5000 }];
  let t = startMs + 1;
  for (let n = 1; n <= waitsMs.length + 1; n++) {
    out.push({ id: `${parent}a${n}`, name: `retry.attempt_${n}`, parent, service: 'api', startMs: t, endMs: t + attemptMs, attrs: { 'retry.attempt': n, 'error.type': 'connection_refused' } });
    t += attemptMs + (waitsMs[n - 1] ?? 0);
  }
  return out;
}

describe('retry_backoff: backoff timing from the retry spans', () => {
  const test = planned('retry_backoff', { inject_fault: 'connection_refused', target: 'service:db', expect_spans: ['retry.attempt_1', 'retry.attempt_2', 'retry.attempt_3'], validate_backoff_timing: { strategy: 'exponential', base_ms: 100, max_ms: 3000 } });

  it('passes waits of base·2^(n-1), saying each measured against expected', () => {
    expect(verdicts(test, retries('r', 0, [102, 205]))).toEqual([
      ['expect_spans', true, 'all 3 spans present: retry.attempt_1, retry.attempt_2, retry.attempt_3'],
      ['validate_backoff_timing', true, '2 wait(s) follow the exponential backoff: after attempt 1 waited 102.0 ms, expected 100 ms; after attempt 2 waited 205.0 ms, expected 200 ms'],
    ]);
  });

  it('holds the tolerance at its edges: 5 ms early and max(50 ms, 25 %) late', () => {
    expect(BACKOFF_TOLERANCE).toEqual({ earlyMs: 5, lateMs: 50, lateFraction: 0.25 });
    expect([waitFits(95, 100), waitFits(94.9, 100), waitFits(150, 100), waitFits(150.1, 100)]).toEqual([true, false, true, false]);
    expect([waitFits(1000, 800), waitFits(1000.1, 800)]).toEqual([true, false]);
  });

  it('caps waits at max_ms and knows linear and constant backoff', () => {
    const b = { strategy: 'exponential' as const, baseMs: 100, maxMs: 300 };
    expect([1, 2, 3, 4].map((n) => expectedWaitMs(b, n))).toEqual([100, 200, 300, 300]);
    expect([1, 2, 3].map((n) => expectedWaitMs({ ...b, strategy: 'linear', maxMs: Infinity }, n))).toEqual([100, 200, 300]);
    expect([1, 2].map((n) => expectedWaitMs({ ...b, strategy: 'constant' }, n))).toEqual([100, 100]);
  });

  it('fails waits that do not grow (constant retries judged as exponential), with both spans as evidence', () => {
    const [, timing] = judgePatternTest(test, spans(retries('r', 0, [100, 100])));
    expect(timing).toMatchObject({ passed: false, message: '1 of 2 wait(s) off the exponential backoff: after attempt 2 waited 100.0 ms, expected 200 ms', spans: [sid('ra2'), sid('ra3')] });
  });

  it('fails when there is nothing to time, and names the missing attempts', () => {
    expect(verdicts(test, retries('r', 0, []))).toEqual([
      ['expect_spans', false, 'no span "retry.attempt_2". Did you mean "retry.attempt_1"?; no span "retry.attempt_3". Did you mean "retry.attempt_1"?'],
      ['validate_backoff_timing', false, 'no retries to time: no two retry.attempt_N spans under one parent'],
    ]);
  });

  it('times each request\'s retries apart (sequences are per parent)', () => {
    const [, timing] = judgePatternTest(test, spans([...retries('p', 0, [100, 200]), ...retries('q', 50, [100, 200])]));
    expect(timing).toMatchObject({ passed: true });
    expect(timing!.message).toMatch(/^4 wait\(s\)/);
  });
});

describe('circuit_breaker: the circuit opens and blocks requests', () => {
  const test = planned('circuit_breaker', { expect_span: 'circuit.open', expect_attrs: { 'circuit.state': 'open', 'circuit.reason': 'timeout_threshold' }, validate_requests_blocked: true });
  const open = (reason = 'timeout_threshold'): SpanSpec => ({ id: 'open', name: 'circuit.open', parent: 'req3', service: 'api', startMs: 1000, attrs: { 'circuit.state': 'open', 'circuit.reason': reason, 'circuit.cooldown_ms': 5000 } });
  const before: SpanSpec[] = [
    { id: 'req3', name: 'GET /items/:id', service: 'api', startMs: 700, endMs: 1010 },
    { id: 'get3', name: 'cache.get', parent: 'req3', service: 'api', kind: 'client', startMs: 700, endMs: 900, attrs: { 'error.type': 'timeout' } },
    // A request sent before the circuit opened may reach the cache late (the fault delays it): not a breach.
    { id: 'srv3', name: 'GET /cache/:key', parent: 'get3', service: 'cache', kind: 'server', startMs: 1500, endMs: 1501 },
  ];
  const shortCircuited: SpanSpec = { id: 'sc4', name: 'cache.get', parent: 'req4', service: 'api', startMs: 2000, attrs: { 'circuit.short_circuited': true, 'circuit.state': 'open' } };

  it('passes an open circuit with the attributes and short-circuited calls that never reach the cache', () => {
    expect(verdicts(test, [...before, open(), { id: 'req4', name: 'GET /items/:id', service: 'api', startMs: 2000 }, shortCircuited])).toEqual([
      ['expect_span', true, '"circuit.open" with circuit.state = "open", circuit.reason = "timeout_threshold": 1 of 1 span(s)'],
      ['validate_requests_blocked', true, '1 call(s) short-circuited while the circuit was open (5000 ms), none reached cache'],
    ]);
  });

  it('says after how long the breaker closed again, counted from its first opening since it was last closed', () => {
    const reopen: SpanSpec = { ...open('half_open_failure'), id: 'reopen', startMs: 6000 };
    const close: SpanSpec = { id: 'close', name: 'circuit.close', parent: 'req9', service: 'api', startMs: 11_250, attrs: { 'circuit.state': 'closed', 'circuit.reason': 'half_open_success' } };
    const [, blocked] = judgePatternTest(test, spans([...before, open(), shortCircuited, reopen, close]));
    expect(blocked).toMatchObject({ passed: true, message: '1 call(s) short-circuited while the circuit was open (10000 ms), none reached cache; the breaker closed again after 10250 ms open' });
    expect(blocked!.spans).toContain(sid('close'));
    // A close with no opening before it says nothing.
    const [, early] = judgePatternTest(test, spans([...before, { ...close, startMs: 500 }, open(), shortCircuited]));
    expect(early!.message).toBe('1 call(s) short-circuited while the circuit was open (5000 ms), none reached cache');
  });

  it('fails an attribute mismatch, saying what the span has', () => {
    const [span] = judgePatternTest(test, spans([...before, open('error_threshold'), shortCircuited]));
    expect(span).toMatchObject({ passed: false, message: '1 "circuit.open" span(s), none with circuit.state = "open", circuit.reason = "timeout_threshold" (the first has circuit.reason = "error_threshold")', spans: [sid('open')] });
  });

  it('fails when a call reaches the faulted service while the circuit is open, naming that span', () => {
    const leak: SpanSpec[] = [
      { id: 'req5', name: 'GET /items/:id', service: 'api', startMs: 3000 },
      { id: 'get5', name: 'cache.get', parent: 'req5', service: 'api', kind: 'client', startMs: 3000, endMs: 3004 },
      { id: 'srv5', name: 'GET /cache/:key', parent: 'get5', service: 'cache', kind: 'server', startMs: 3001, endMs: 3002 },
    ];
    const [, blocked] = judgePatternTest(test, spans([...before, open(), shortCircuited, ...leak]));
    expect(blocked).toMatchObject({ passed: false, message: '1 call(s) reached cache while the circuit was open (5000 ms open), expected none', spans: [sid('srv5')] });
  });

  it('fails when the circuit never opened, or opened but blocked nothing', () => {
    expect(verdicts(test, before).map(([k, p, m]) => [k, p, m])).toEqual([
      ['expect_span', false, 'no span "circuit.open".'],
      ['validate_requests_blocked', false, 'the circuit never opened: no "circuit.open" span'],
    ]);
    const [, blocked] = judgePatternTest(test, spans([...before, open()]));
    expect(blocked).toMatchObject({ passed: false, message: 'no call was short-circuited while the circuit was open (5000 ms): nothing shows requests blocked' });
  });
});

describe('timeout: calls time out with the configured deadline', () => {
  const test = planned('timeout', { inject_fault: 'network_latency', target: 'service:db', fault_config: { delay_ms: 3000 }, expect_timeout: true, expect_attrs: { 'error.type': 'timeout', 'timeout.configured_ms': '1000' } });
  const call = (configured: number): SpanSpec => ({ id: 'q', name: 'db.query', service: 'api', kind: 'client', startMs: 0, endMs: configured, status: 'error', attrs: { 'error.type': 'timeout', 'timeout.configured_ms': configured } });

  it('passes a timed-out call whose attributes match (numbers compared as text)', () => {
    expect(verdicts(test, [call(1000)])).toEqual([['expect_timeout', true, '1 call(s) timed out with error.type = "timeout", timeout.configured_ms = "1000"']]);
  });

  it('fails a timeout with another deadline, and no timeout at all', () => {
    expect(verdicts(test, [call(5000)])).toEqual([['expect_timeout', false, '1 call(s) timed out, none with error.type = "timeout", timeout.configured_ms = "1000" (the first has timeout.configured_ms = "5000")']]);
    expect(verdicts(test, [{ id: 'ok', name: 'db.query', service: 'api' }])).toEqual([['expect_timeout', false, 'no call timed out: no span has error.type = "timeout"']]);
  });

  it('expect_timeout = false passes only without timeouts', () => {
    const none = planned('timeout', { inject_fault: 'network_latency', target: 'service:db', fault_config: { delay_ms: 10 }, expect_timeout: false });
    expect(verdicts(none, [{ id: 'ok', name: 'db.query', service: 'api' }])).toEqual([['expect_timeout', true, 'no call timed out']]);
    expect(verdicts(none, [call(1000)])[0]![1]).toBe(false);
  });
});
