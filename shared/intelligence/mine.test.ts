// Every invariant kind, mined from small hand-made runs, and checked with the real engine: what is
// suggested passes on the runs it came from and fails on the run that breaks it.
import { describe, expect, it } from 'vitest';
import { configOf, failuresOn } from './verify';
import { mineInvariants, suggestAssertions } from './suggest';
import { compose } from './compose';
import { closedWorld, observedRange, structural } from './confidence';
import { runsOf } from './test-runs';
import type { Invariant, MiningRun, Suggestion } from './types';
import type { SpanSpec } from '../expect/testing';

const find = (invs: readonly Invariant[], kind: Invariant['kind'], subject: string) => invs.filter((i) => i.kind === kind && i.subject === subject);
const one = (invs: readonly Invariant[], kind: Invariant['kind'], subject: string) => {
  const found = find(invs, kind, subject);
  expect(found, `${kind} ${subject}`).toHaveLength(1);
  return found[0]!;
};
/** The entries of an `[[…]]` edit, for reading nested values. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const entriesOf = (edit: Invariant['edit']): any => {
  if (edit.type !== 'entry') throw new Error(`not an entry: ${JSON.stringify(edit)}`);
  return edit.entries;
};
/** Run ids the suggestions fail on. */
const failing = (suggestions: readonly Suggestion[], runs: readonly MiningRun[]) => new Set([...failuresOn(configOf(suggestions), runs).values()].flat());

function request(k: number, options: { slow?: number; method?: string; noEvent?: boolean } = {}): SpanSpec[] {
  const d = (10 + k) * (options.slow ?? 1);
  return [
    {
      id: 'r',
      name: 'GET /a',
      kind: 'server',
      startMs: 0,
      endMs: 40 + d,
      status: 'ok',
      attrs: { 'http.method': options.method ?? 'GET', code: 200, size: 100 + 10 * k, path: `/a/${k}`, mode: k % 2 ? 'x' : 'y', flag: k % 2 === 0 },
    },
    { id: 'q', name: 'db', kind: 'client', parent: 'r', startMs: 1, endMs: 1 + d, status: 'ok', events: options.noEvent ? [] : ['connected'] },
    { id: 'w', name: 'write', parent: 'r', startMs: 2 + d, endMs: 3 + d, status: 'ok' },
  ];
}

describe('mining a span that every run has once', () => {
  const runs = runsOf(10, (k) => request(k));
  const { invariants } = mineInvariants(runs);

  it('presence with kind and parent', () => {
    expect(one(invariants, 'span', 'db').edit).toEqual({ type: 'entry', table: 'expect.span', entries: { name: 'db', kind: 'client', parent: 'GET /a' } });
    expect(one(invariants, 'span', 'db')).toMatchObject({ support: 10, confidence: structural(10), conditional: false });
    expect(one(invariants, 'span', 'GET /a').edit).toMatchObject({ entries: { name: 'GET /a', kind: 'server' } });
  });
  it('exact counts', () => {
    expect(one(invariants, 'count', 'db').edit).toEqual({ type: 'key', table: 'expect.counts.by_name', key: 'db', value: { eq: 1 } });
    expect(one(invariants, 'count', 'spans_total').edit).toMatchObject({ key: 'spans_total', value: { eq: 3 } });
  });
  it('attribute constants, enumerations, ranges, formats; not {false, true}', () => {
    const attr = (key: string) => one(invariants, 'attribute', `GET /a ${key}`).edit;
    expect(attr('http.method')).toMatchObject({ entries: { attrs: { all: { 'http.method': 'GET' } } } });
    expect(attr('code')).toMatchObject({ entries: { attrs: { all: { code: '200' } } } });
    expect(attr('mode')).toMatchObject({ entries: { attrs: { all: { mode: ['x', 'y'] } } } });
    expect(attr('path')).toMatchObject({ entries: { attrs: { all: { path: { contains: '/a/' } } } } });
    const size = entriesOf(attr('size')).attrs.all.size as { gte: number; lte: number };
    expect(size.gte).toBeLessThanOrEqual(100);
    expect(size.lte).toBeGreaterThanOrEqual(190);
    expect(entriesOf(attr('flag')).attrs.all.flag).toEqual({ exists: true });
  });
  it('events, statuses, windows', () => {
    expect(one(invariants, 'event', 'db connected').edit).toMatchObject({ entries: { name: 'db', events: { all: ['connected'] } } });
    expect(one(invariants, 'status', 'db').edit).toEqual({ type: 'key', table: 'expect.status.by_name', key: 'db', value: 'OK' });
    expect(one(invariants, 'status', 'all').edit).toMatchObject({ key: 'all', value: 'OK' });
    expect(one(invariants, 'count', 'errors_total').edit).toMatchObject({ value: { eq: 0 } });
    expect(one(invariants, 'window', 'GET /a ⊃ db').edit).toMatchObject({ entries: { outer: 'GET /a', contains: ['db'] } });
  });
  it('duration bounds with the buffer both ways, around every value seen; the lower one distribution-free', () => {
    const upper = one(invariants, 'duration', 'db');
    const lower = one(invariants, 'duration', 'db min');
    const { max } = entriesOf(upper.edit).duration_ms as { max: number };
    const { min } = entriesOf(lower.edit).duration_ms as { min: number };
    expect(min).toBeLessThanOrEqual(10 / 1.5);
    expect(max).toBeGreaterThanOrEqual(19 * Math.sqrt(1.5));
    expect(max).toBeLessThan(3 * 10);
    expect(lower.confidence).toBeCloseTo(10 / 11, 12);
    expect(upper.confidence).toBeGreaterThan(0.99);
    const [merged] = compose([upper, lower]);
    expect(entriesOf(merged!.edit)).toEqual({ name: 'db', duration_ms: { max, min } });
  });
  it('what is mined passes on its runs and catches each kind of fault', () => {
    const suggestions = compose(invariants.filter((i) => i.confidence >= 0.99));
    expect(failing(suggestions, runs).size).toBe(0);
    const broken = (name: string, specs: SpanSpec[]) => runsOf(1, () => specs).map((r) => ({ ...r, id: name }));
    const mutants = [
      ...broken('slow', request(0, { slow: 3 })),
      ...broken('method', request(0, { method: 'POST' })),
      ...broken('event', request(0, { noEvent: true })),
      ...broken('dropped', request(0).filter((s) => s.name !== 'write')),
      ...broken('error', request(0).map((s) => (s.name === 'db' ? { ...s, status: 'error' as const } : s))),
      ...broken('swapped', request(0).map((s) => (s.name === 'write' ? { ...s, startMs: 0.2, endMs: 0.8 } : s))),
    ];
    expect([...failing(suggestions, mutants)].sort()).toEqual(['dropped', 'error', 'event', 'method', 'slow', 'swapped']);
  });
});

describe('counts that vary, repeated spans', () => {
  const runs = runsOf(9, (k) => [
    { id: 'r', name: 'root', startMs: 0, endMs: 100 },
    ...Array.from({ length: 1 + (k % 3) }, (_, j) => ({ id: `p${j}`, name: 'render', parent: 'r', startMs: 10 * j + 1, endMs: 10 * j + 5 + (k % 2), attrs: { tpl: 'a.html' } })),
  ]);
  const { invariants } = mineInvariants(runs);
  it('bounds a varying count, with the confidence of an observed range', () => {
    expect(one(invariants, 'count', 'render')).toMatchObject({ edit: { value: { gte: 1, lte: 3 } }, confidence: observedRange(9) });
  });
  it('judges every repeated span with "none differs" rules (count = 0)', () => {
    expect(one(invariants, 'attribute', 'render tpl').edit).toEqual({
      type: 'entry',
      table: 'expect.span',
      entries: { name: 'render', attrs: { all: { tpl: { ne: 'a.html' } } }, count: { eq: 0 } },
    });
    expect(entriesOf(one(invariants, 'duration', 'render').edit).count).toEqual({ eq: 0 });
    const suggestions = compose(invariants.filter((i) => i.kind === 'attribute' || i.kind === 'duration'));
    expect(failing(suggestions, runs).size).toBe(0);
    const second = runsOf(1, () => [
      { id: 'r', name: 'root', startMs: 0, endMs: 100 },
      { id: 'p0', name: 'render', parent: 'r', startMs: 1, endMs: 5, attrs: { tpl: 'a.html' } },
      { id: 'p1', name: 'render', parent: 'r', startMs: 11, endMs: 15, attrs: { tpl: 'b.html' } },
    ]);
    expect(failing(suggestions, second).size).toBe(1);
  });
});

describe('conditional invariants', () => {
  // A read-through cache: db.query only on a miss (odd runs), always after cache.get.
  const make = (k: number, swap = false): SpanSpec[] => [
    { id: 'r', name: 'GET /item', kind: 'server', startMs: 0, endMs: 30 },
    { id: 'c', name: 'cache.get', kind: 'client', parent: 'r', startMs: swap ? 20 : 1, endMs: swap ? 22 : 3, status: 'ok' },
    ...(k % 2 ? [{ id: 'q', name: 'db.query', kind: 'client' as const, parent: 'r', startMs: swap ? 1 : 5, endMs: swap ? 15 : 19, attrs: { 'db.system': 'postgresql' } }] : []),
  ];
  const runs = runsOf(16, (k) => make(k));
  const report = suggestAssertions(runs, { minConfidence: 0.99 });
  const suggestion = (kind: Suggestion['kind'], subject: string) => report.suggestions.find((s) => s.kind === kind && s.subject === subject);

  it('"when db.query happens, it follows cache.get" is suggested with its support', () => {
    const order = suggestion('order', 'cache.get < db.query');
    expect(order).toMatchObject({ conditional: true, support: 8, edit: { key: 'must_precede_when_present', pair: ['cache.get', 'db.query'] } });
    expect(order!.snippet).toBe('[expect.order]\nmust_precede_when_present = [["cache.get", "db.query"]]');
    expect(suggestion('span', 'db.query')!.edit).toMatchObject({ entries: { name: 'db.query', when_present: true, parent: 'GET /item' } });
    expect(suggestion('attribute', 'attribute db.query') ?? suggestion('attribute', 'db.query db.system')).toMatchObject({ conditional: true });
  });
  it('passes on fresh runs with and without db.query, fails when the order breaks', () => {
    const fresh = runsOf(4, (k) => make(k + 100));
    expect(failing(report.suggestions, fresh).size).toBe(0);
    const swapped = runsOf(1, () => make(1, true));
    const failed = failuresOn(configOf(report.suggestions), swapped);
    expect([...failed.keys()]).toContain(suggestion('order', 'cache.get < db.query')!.id);
  });
});

describe('order: transitive links are left out', () => {
  const runs = runsOf(8, () => [
    { id: 'r', name: 'root', startMs: 0, endMs: 100 },
    { id: 'a', name: 'a', parent: 'r', startMs: 1, endMs: 2 },
    { id: 'b', name: 'b', parent: 'r', startMs: 3, endMs: 4 },
    { id: 'c', name: 'c', parent: 'r', startMs: 5, endMs: 6 },
  ]);
  it('keeps a<b and b<c, not a<c, and never root<child (containment says it)', () => {
    const orders = mineInvariants(runs).invariants.filter((i) => i.kind === 'order').map((i) => i.subject);
    expect(orders.sort()).toEqual(['a < b', 'b < c']);
  });
});

describe('service topology', () => {
  const runs = runsOf(10, () => [
    { id: 'f', name: 'GET /', service: 'frontend', startMs: 0, endMs: 10 },
    { id: 'a', name: 'api', service: 'api', parent: 'f', startMs: 1, endMs: 9 },
    { id: 'd', name: 'db', service: 'db', parent: 'a', startMs: 2, endMs: 8 },
  ]);
  const { invariants } = mineInvariants(runs);
  it('edges seen in every run are expected; edges never seen are forbidden, from the caller\'s or the callee\'s side', () => {
    expect(one(invariants, 'topology', 'frontend → api')).toMatchObject({ confidence: structural(10) });
    // frontend is never called: only the caller's closed world (10 api spans, none calling it) speaks.
    expect(one(invariants, 'topology', 'api ↛ frontend').confidence).toBeCloseTo(closedWorld(10), 12);
    // db was called by api alone in each of 10 runs: a constant set of callers, stronger here.
    const forbidden = one(invariants, 'topology', 'frontend ↛ db');
    expect(forbidden.confidence).toBe(structural(10));
    expect(forbidden.summary).toContain('"db" was called only by "api", in each of 10 runs');
    expect(forbidden.edit).toMatchObject({ entries: { type: 'service_topology', forbidden_edges: [['frontend', 'db']] } });
    const composed = compose(invariants.filter((i) => i.kind === 'topology'));
    expect(composed).toHaveLength(2);
    expect(composed.find((s) => s.subject === 'topology forbidden')!.confidence).toBeCloseTo(closedWorld(10), 12);
    const bypass = runsOf(1, () => [
      { id: 'f', name: 'GET /', service: 'frontend', startMs: 0, endMs: 10 },
      { id: 'a', name: 'api', service: 'api', parent: 'f', startMs: 1, endMs: 9 },
      { id: 'd', name: 'db', service: 'db', parent: 'a', startMs: 2, endMs: 8 },
      { id: 'x', name: 'db', service: 'db', parent: 'f', startMs: 2, endMs: 3 },
    ]);
    expect(failing(composed, runs).size).toBe(0);
    expect(failing(composed, bypass).size).toBe(1);
  });
});
