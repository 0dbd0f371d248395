// Benchmark of the expectation engine: 1,000,000 spans (10,000 checkout traces across five services,
// with attributes, events, baggage and ~1% failed transactions), 30 expectations over every family.
// Prints figures; asserts nothing. Target: index + evaluation under 1 s. Run: npm run bench:expect
import { buildSpan } from '../shared/model';
import type { KeyValue, Resource, Span, SpanKind, StatusCode } from '../shared/model';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildTraceIndex, evaluateWithIndex } from '../shared/expect';
import type { EvaluationConfig, TraceIndex } from '../shared/expect';
import { normalizedTraceHash, normalizedTraceHashOfIndex } from '../shared/expect/determinism';
import { distributedTracingSchema, expectSchema, temporalSchema } from '../shared/spec/schema/expect';
import { mulberry32 } from '../shared/random';

const TRACES = Number(process.env.TRACES ?? 10_000);
const QUERIES = 86; // db.query spans per trace → 100 spans per trace

const resources = new Map<string, Resource>();
function resource(service: string): Resource {
  let r = resources.get(service);
  if (!r) {
    r = {
      attributes: [
        { key: 'service.name', value: { stringValue: service } },
        { key: 'env', value: { stringValue: 'ci' } },
        { key: 'host.name', value: { stringValue: `${service}-container` } },
      ],
    };
    resources.set(service, r);
  }
  return r;
}
const scope = { name: 'bench', version: '1.0.0' };
const str = (key: string, v: string): KeyValue => ({ key, value: { stringValue: v } });
const int = (key: string, v: number): KeyValue => ({ key, value: { intValue: String(v) } });

function generate(): Span[] {
  const rnd = mulberry32(42);
  const out: Span[] = [];
  const base = 1_700_000_000_000_000_000n;
  for (let t = 0; t < TRACES; t++) {
    const traceId = (t + 1).toString(16).padStart(32, '0');
    const failed = t % 100 === 37;
    const user = `u${t % 997}`;
    const traceStart = base + BigInt(t) * 1_000_000_000n;
    let n = 0;
    const add = (
      name: string,
      service: string,
      kind: SpanKind,
      parent: string | undefined,
      startUs: number,
      durUs: number,
      attributes: KeyValue[] = [],
      status: StatusCode = 'ok',
      events: string[] = [],
    ): string => {
      const spanId = ((t + 1) * 128 + n++).toString(16).padStart(16, '0');
      const start = traceStart + BigInt(Math.round(startUs * 1000));
      out.push(
        buildSpan({
          traceId,
          spanId,
          parentSpanId: parent,
          name,
          kind,
          startTimeUnixNano: start.toString(),
          endTimeUnixNano: (start + BigInt(Math.round(durUs * 1000))).toString(),
          attributes,
          events: events.map((e, k) => ({ name: e, timeUnixNano: (start + BigInt(k * 1000)).toString(), attributes: [] })),
          status: { code: status },
          resource: resource(service),
          scope,
        }),
      );
      return spanId;
    };
    const jitter = () => rnd() * 400;
    const root = add('GET /checkout', 'frontend', 'server', undefined, 0, 60_000, [str('http.method', 'GET'), int('http.status_code', failed ? 500 : 200), str('user_id', user)], failed ? 'error' : 'ok');
    const call = add('api.call', 'frontend', 'client', root, 100, 59_000, [str('http.url', 'http://api:8080/checkout'), str('net.peer.name', 'api')]);
    const req = add('api.request', 'api', 'server', call, 200 + jitter(), 5_000 + rnd() * 40_000, [str('http.method', 'POST'), int('http.status_code', failed ? 500 : 200), str('baggage.user_id', user)], failed ? 'error' : 'ok', ['request.received']);
    add('auth.verify', 'api', 'internal', req, 1_000, 800 + jitter());
    const lookup = add('cache.lookup', 'api', 'client', req, 2_000, 900, [str('net.peer.name', 'cache')]);
    add('redis.GET', 'cache', 'server', lookup, 2_100, 500, [str('db.system', 'redis'), str('baggage.user_id', user)]);
    const tx = add('db.transaction', 'api', 'internal', req, 3_000, 40_000);
    add('db.begin', 'db', 'client', tx, 3_100, 100, [str('db.system', 'postgresql')]);
    for (let q = 0; q < QUERIES; q++) {
      const err = failed && q === QUERIES - 1;
      add('db.query', 'db', 'client', tx, 3_300 + q * 400, 50 + rnd() * 300, [str('db.system', 'postgresql'), str('db.statement', q % 2 ? 'SELECT 1' : 'UPDATE stock'), str('net.peer.name', 'db')], err ? 'error' : 'ok');
    }
    add(failed ? 'db.rollback' : 'db.commit', 'db', 'client', tx, 38_000, 200, [str('db.system', 'postgresql')]);
    add('notify.publish', 'api', 'producer', req, 41_000, 300, [str('messaging.system', 'kafka')]);
    const consume = add('worker.consume', 'worker', 'consumer', req, 42_000, 15_000, [str('baggage.user_id', user)], 'ok', ['message.received']);
    add('worker.task_1', 'worker', 'internal', consume, 42_500, 8_000, [], 'ok', ['task.start', 'task.end']);
    const task2 = add('worker.task_2', 'worker', 'internal', consume, 43_000, 9_000, [], 'ok', ['task.start', 'task.end']);
    add('email.send', 'worker', 'client', task2, 52_100, 2_000, [str('server.address', 'smtp')]);
  }
  return out;
}

const config: EvaluationConfig = {
  knownHosts: ['smtp'],
  expect: expectSchema.parse({
    span: [
      { name: 'api.request', kind: 'server', parent: 'api.call', attrs: { all: { 'http.method': 'POST' } } },
      { name: 'db.query', attrs: { all: { 'db.system': 'postgresql' } }, duration_ms: { max: 50 } },
      { name: 'worker.task_*', events: { all: ['task.start', 'task.end'] } },
      { name: 'redis.GET', kind: 'server', parent: 'cache.lookup' },
      { name: 'email.send', count: { gte: TRACES } },
      { name: 'api.request', events: { any: ['request.received'] }, attrs: { any: { 'http.status_code': ['200', '201'] } } },
    ],
    graph: {
      must_include: [['GET /checkout', 'api.call'], ['db.transaction', 'db.query']],
      must_not_cross: [['GET /checkout', 'db.query']],
      acyclic: true,
    },
    counts: {
      spans_total: { eq: TRACES * 100 },
      errors_total: { lte: TRACES / 10 },
      events_total: { gte: 1 },
      by_name: { 'db.query': { eq: TRACES * QUERIES } },
    },
    window: [{ outer: 'db.transaction', contains: ['db.query', 'db.commit'] }],
    order: { must_precede: [['db.begin', 'db.query'], ['auth.verify', 'cache.lookup']], must_follow: [['email.send', 'worker.consume']] },
    status: { all: 'OK', by_name: { 'redis.*': 'OK' } },
    hermeticity: {
      no_external_services: true,
      resource_attrs: { must_match: { env: 'ci' } },
      span_attrs: { forbid_keys: ['db.connection_string'] },
    },
  }),
  temporal: temporalSchema.parse({
    constraint: [
      { type: 'happens_before', first: 'auth.verify', second: 'db.transaction', max_gap_ms: 50 },
      { type: 'causal_ordering', spans: ['GET /checkout', 'api.request', 'db.query'] },
      { type: 'concurrent_overlap', spans: ['worker.task_1', 'worker.task_2'], min_overlap_ms: 5 },
      { type: 'latency_percentiles', span: 'api.request', p50: { max_ms: 30 }, p95: { max_ms: 45 }, p99: { max_ms: 50 } },
    ],
  }),
  distributed: distributedTracingSchema.parse({
    assertion: [
      { type: 'context_propagation', trace_id_consistent: true, parent_child_relationship: 'valid', baggage_preserved: ['user_id'] },
      { type: 'distributed_transaction', root_span: 'db.transaction', child_spans: ['db.begin', 'db.query', 'db.commit'], rollback_on_error: true },
      { type: 'service_topology', expected_edges: [['frontend', 'api'], ['api', 'db']], forbidden_edges: [['frontend', 'db']] },
    ],
  }),
};

function countExpectations(c: EvaluationConfig): number {
  const e = c.expect!;
  const spans = Array.isArray(e.span) ? e.span.length : e.span ? 1 : 0;
  const windows = Array.isArray(e.window) ? e.window.length : e.window ? 1 : 0;
  return (
    spans +
    (e.graph?.must_include?.length ?? 0) + (e.graph?.must_not_cross?.length ?? 0) + (e.graph?.acyclic ? 1 : 0) +
    Object.keys(e.counts ?? {}).length - 1 + Object.keys(e.counts?.by_name ?? {}).length +
    windows +
    (e.order?.must_precede?.length ?? 0) + (e.order?.must_follow?.length ?? 0) +
    (e.status?.all ? 1 : 0) + Object.keys(e.status?.by_name ?? {}).length +
    3 +
    (c.temporal?.constraint?.length ?? 0) +
    (c.distributed?.assertion?.length ?? 0)
  );
}

const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
/** Wall and CPU time of fn; CPU time shows the work itself when other processes share the cores. */
function timed<T>(fn: () => T): { value: T; wall: number; cpu: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wall = performance.now() - t0;
  const d = process.cpuUsage(cpu0);
  return { value, wall, cpu: (d.user + d.system) / 1000 };
}

// A full collection before each measured step, so a step does not pay for the garbage of the one
// before it (generation leaves gigabytes of it). `gc` is exposed at runtime: the script has no flags.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const gen = timed(generate);
const spans = gen.value;
collect();
const index: { value: TraceIndex | undefined; wall: number; cpu: number } = timed(() => buildTraceIndex(spans));
const evaluation = timed(() => evaluateWithIndex(index.value!, config));
index.value = undefined;
collect();
// A second, warm run shows the steady state (the JIT has seen every family once).
const warmIndex: { value: TraceIndex | undefined; wall: number; cpu: number } = timed(() => buildTraceIndex(spans));
const warmEval = timed(() => evaluateWithIndex(warmIndex.value!, config));
// The runner can hash with the index it evaluated with (the index build is then not paid twice).
const hashOfIndex = timed(() => normalizedTraceHashOfIndex(warmIndex.value!, {}));
warmIndex.value = undefined;
collect();
const hash = timed(() => normalizedTraceHash(spans));

const results = evaluation.value;
const passed = results.filter((r) => r.passed).length;
const pair = (a: { wall: number; cpu: number }, b: { wall: number; cpu: number }) =>
  `${fmt(a.wall)} / ${fmt(b.wall)}   cpu ${fmt(a.cpu)} / ${fmt(b.cpu)}`;
console.log(`spans                ${spans.length.toLocaleString('en')} in ${TRACES.toLocaleString('en')} traces`);
console.log(`expectations         ${countExpectations(config)} (→ ${results.length} results: ${passed} passed, ${results.length - passed} failed)`);
console.log(`heap used            ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
console.log(`generation           ${fmt(gen.wall)}`);
console.log(`                     wall cold / warm          cpu cold / warm`);
console.log(`index                ${pair(index, warmIndex)}`);
console.log(`evaluation           ${pair(evaluation, warmEval)}`);
const sum = (a: { wall: number; cpu: number }, b: { wall: number; cpu: number }) => ({ wall: a.wall + b.wall, cpu: a.cpu + b.cpu });
console.log(`index + evaluation   ${pair(sum(index, evaluation), sum(warmIndex, warmEval))}   (target < 1000 ms)`);
console.log(`normalizedTraceHash  ${fmt(hash.wall)}   cpu ${fmt(hash.cpu)}   ${hash.value}`);
console.log(`  over that index    ${fmt(hashOfIndex.wall)}   cpu ${fmt(hashOfIndex.cpu)}   ${hashOfIndex.value} (normalizedTraceHashOfIndex)`);
console.log(`load average         ${loadavg().map((l) => l.toFixed(2)).join(' ')} (2 cores here; CPU includes V8's GC helper threads)`);
if (process.env.VERBOSE) for (const r of results) console.log(`${r.passed ? '✓' : '✗'} ${r.expectation}: ${r.message}`);
