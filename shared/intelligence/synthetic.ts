// A seeded synthetic system for tests and the quality benchmark: a read-through service
// (frontend → api → cache, and on a cache miss → db) with jittered timings, an optional span, a
// repeated span and optional extra steps (to reach a given size). Faults are injected by mutate.ts.
import { buildSpan, fromPlain, type Resource, type Span, type StatusCode } from '../model';
import { mulberry32 } from '../random';
import type { MiningRun } from './types';

export interface SyntheticOptions {
  /** Extra sequential steps under the api span (each one span), to reach a given run size. */
  readonly extraSteps?: number;
  /** Share of runs that miss the cache and query the db (default 0.3). */
  readonly missRate?: number;
}

interface Node {
  name: string;
  service: string;
  kind: Span['kind'];
  parent: number;
  start: number;
  end: number;
  attrs: Record<string, string | number | boolean>;
  events: string[];
  status: StatusCode;
}

const resources = new Map<string, Resource>();
function resource(service: string): Resource {
  let r = resources.get(service);
  if (!r) resources.set(service, (r = { attributes: [{ key: 'service.name', value: { stringValue: service } }] }));
  return r;
}

const EPOCH_MS = 1_750_000_000_000;
const nano = (ms: number) => (BigInt(EPOCH_MS) * 1_000_000n + BigInt(Math.round(ms * 1e6))).toString();
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function toSpans(nodes: readonly Node[], run: number, offsetMs: number): Span[] {
  const traceId = hex(run + 1, 32);
  const id = (i: number) => hex(run * 4096 + i + 1, 16);
  return nodes.map((n, i) =>
    buildSpan({
      traceId,
      spanId: id(i),
      parentSpanId: n.parent < 0 ? undefined : id(n.parent),
      name: n.name,
      kind: n.kind,
      startTimeUnixNano: nano(offsetMs + n.start),
      endTimeUnixNano: nano(offsetMs + n.end),
      attributes: Object.entries(n.attrs).map(([key, v]) => ({ key, value: fromPlain(v) })),
      events: n.events.map((name) => ({ name, timeUnixNano: nano(offsetMs + n.start), attributes: [] })),
      status: { code: n.status },
      resource: resource(n.service),
      scope: { name: 'synthetic' },
    }),
  );
}

/** The nodes of one correct run; times in ms from the run's start. */
function correctNodes(random: () => number, options: SyntheticOptions): Node[] {
  const jitter = (ms: number) => ms * (0.85 + 0.3 * random());
  const nodes: Node[] = [];
  const add = (n: Omit<Node, 'events' | 'status' | 'attrs'> & Partial<Pick<Node, 'events' | 'attrs'>>) =>
    nodes.push({ attrs: {}, events: [], status: 'ok', ...n }) - 1;
  const item = 1 + Math.floor(random() * 9000);
  const root = add({ name: 'GET /item', service: 'frontend', kind: 'server', parent: -1, start: 0, end: 0, attrs: { 'http.method': 'GET', 'http.route': '/item/{id}', 'url.path': `/item/${item}`, 'http.status_code': 200 } });
  const api = add({ name: 'api.get_item', service: 'api', kind: 'server', parent: root, start: jitter(1), end: 0, attrs: { 'rpc.system': 'grpc' } });
  let t = nodes[api]!.start + jitter(0.5);
  const step = (name: string, service: string, kind: Node['kind'], ms: number, extra: Partial<Node> = {}) => {
    const i = add({ name, service, kind, parent: api, start: t, end: t + jitter(ms), ...extra });
    t = nodes[i]!.end + jitter(0.2);
    return i;
  };
  step('auth.check', 'api', 'internal', 2, { events: ['token.verified'] });
  const hit = random() >= (options.missRate ?? 0.3);
  const cache = step('cache.get', 'api', 'client', 1, { attrs: { 'cache.system': 'redis', 'cache.hit': hit } });
  add({ name: 'redis GET', service: 'cache', kind: 'server', parent: cache, start: nodes[cache]!.start + 0.1, end: nodes[cache]!.end - 0.1 });
  if (!hit) {
    const db = step('db.query', 'api', 'client', 8, { attrs: { 'db.system': 'postgresql', 'db.statement': `SELECT * FROM items WHERE id = ${item}` } });
    add({ name: 'postgres SELECT', service: 'db', kind: 'server', parent: db, start: nodes[db]!.start + 0.2, end: nodes[db]!.end - 0.2 });
  }
  for (let k = 0; k < 2; k++) step('template.render', 'api', 'internal', 1.5, { attrs: { 'template.name': 'item.html' } });
  for (let k = 0; k < (options.extraSteps ?? 0); k++) step(`step.${k}`, 'api', 'internal', 0.5, { attrs: { 'step.index': k } });
  nodes[api]!.end = t + jitter(0.3);
  const audit = nodes[api]!.end + jitter(0.2);
  add({ name: 'audit.log', service: 'frontend', kind: 'internal', parent: root, start: audit, end: audit + jitter(1), attrs: { 'audit.level': 'info' } });
  nodes[root]!.end = nodes[nodes.length - 1]!.end + jitter(0.3);
  nodes[root]!.attrs['http.response_content_length'] = 900 + Math.floor(random() * 200);
  return nodes;
}

/** `count` correct runs from `seed`; run ids `run-<seed>-<k>`. */
export function syntheticRuns(count: number, seed: number, options: SyntheticOptions = {}): MiningRun[] {
  return Array.from({ length: count }, (_, k) => syntheticRun(seed, k, options));
}

export function syntheticRun(seed: number, k: number, options: SyntheticOptions = {}): MiningRun {
  const random = mulberry32(seed * 100_003 + k);
  return { id: `run-${seed}-${k}`, spans: toSpans(correctNodes(random, options), seed * 100_003 + k, k * 1000) };
}
