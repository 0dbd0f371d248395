// The invariants that make suggestions catch the faults plain bounds miss (README "Suggested
// assertions"): self time for a span whose duration is bimodal, an order about an optional first span,
// a forbidden edge known from the callee's side; and the benchmark's measurable slowdown.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { againstFile } from './filter';
import { configOf, failuresOn } from './verify';
import { mineInvariants, suggestAssertions } from './suggest';
import { knowledgeOf, measurableSlowdowns, mutateRun } from './mutate';
import { structural } from './confidence';
import { runsOf } from './test-runs';
import type { Invariant, MiningRun, Suggestion } from './types';
import type { SpanSpec } from '../expect/testing';

const failing = (suggestions: readonly Suggestion[], runs: readonly MiningRun[]) => new Set([...failuresOn(configOf(suggestions), runs).values()].flat());
const of = (invs: readonly Invariant[], kind: Invariant['kind'], subject: string) => invs.filter((i) => i.kind === kind && i.subject === subject);

/** A read-through: cache.get, on a miss (odd k) db.query, then two renders; `apiExtraMs` slows the api's own work. */
function readThrough(k: number, o: { apiExtraMs?: number; swap?: boolean } = {}): SpanSpec[] {
  const miss = k % 2 === 1;
  const j = (k % 5) * 0.05;
  const db = miss ? 8 : 0;
  const extra = o.apiExtraMs ?? 0;
  const render = (id: string, at: number): SpanSpec => ({ id, name: 'render', parent: 'api', startMs: at, endMs: at + 1 + j });
  const renders = o.swap ? [render('t1', 3.2), render('t2', 3.2 + db + 1.4)] : [render('t1', 3.2 + db), render('t2', 4.6 + db)];
  return [
    { id: 'api', name: 'api', startMs: 0, endMs: 6.2 + db + j + extra },
    { id: 'c', name: 'cache.get', parent: 'api', startMs: 1, endMs: 3 },
    ...(miss ? [{ id: 'q', name: 'db.query', parent: 'api', startMs: o.swap ? 4.4 : 3.1, endMs: (o.swap ? 4.4 : 3.1) + 7.9 }] : []),
    ...renders,
  ];
}

describe('self time', () => {
  const runs = runsOf(16, (k) => readThrough(k));
  const { invariants } = mineInvariants(runs);
  const report = suggestAssertions(runs);
  const selfRule = () => report.suggestions.find((s) => s.edit.type === 'entry' && s.edit.entries.name === 'api' && 'self_ms' in s.edit.entries)!;
  it('bounds a span with children on its own time, merged with its duration rule', () => {
    const [self] = of(invariants, 'duration', 'api self');
    expect(self).toMatchObject({ merge: 'duration api', edit: { entries: { name: 'api', self_ms: { max: expect.any(Number) } } } });
    expect(self!.summary).toContain('children excluded');
    // The whole duration is bimodal (hit or miss): its bound is unsure; the self time's is not.
    const [duration] = of(invariants, 'duration', 'api');
    expect(duration!.confidence).toBeLessThan(0.99);
    expect(self!.confidence).toBeGreaterThanOrEqual(0.99);
    expect(selfRule().snippet).toMatch(/^\[\[expect\.span\]\]\nname = "api"\nself_ms = \{ max = [\d.]+ \}$/);
  });
  it('is left out for leaves (self time is the duration) and where it is not tighter than the duration', () => {
    expect(of(invariants, 'duration', 'cache.get self')).toEqual([]);
    const thinChild = runsOf(16, (k) => [
      { id: 'p', name: 'p', startMs: 0, endMs: 10 + (k % 4) },
      { id: 'c', name: 'c', parent: 'p', startMs: 1, endMs: 1.01 },
    ]);
    expect(of(mineInvariants(thinChild).invariants, 'duration', 'p')).toHaveLength(1);
    expect(of(mineInvariants(thinChild).invariants, 'duration', 'p self')).toEqual([]);
  });
  it('catches a hit whose own work got 3× slower, though a miss lasts longer', () => {
    const slowHit = runsOf(1, () => readThrough(0, { apiExtraMs: 12.4 }));
    const longestMiss = Math.max(...runs.map((r) => r.spans[0]!.durationUs));
    expect(slowHit[0]!.spans[0]!.durationUs).toBeLessThan(longestMiss * 1.5);
    expect([...failuresOn(configOf(report.suggestions), slowHit).keys()]).toContain(selfRule().id);
    expect(failing(report.suggestions, runsOf(6, (k) => readThrough(k + 40))).size).toBe(0);
  });
});

describe('order when both are present', () => {
  const runs = runsOf(16, (k) => readThrough(k));
  it('says an optional first span precedes every later one, with the runs that had both as support', () => {
    const [order] = of(mineInvariants(runs).invariants, 'order', 'db.query < render');
    expect(order).toMatchObject({ conditional: true, support: 8, confidence: structural(8), edit: { key: 'must_precede_when_both_present', pair: ['db.query', 'render'] } });
    const report = suggestAssertions(runs);
    const swapped = runsOf(1, () => readThrough(1, { swap: true }));
    expect([...failuresOn(configOf(report.suggestions), swapped).keys()]).toContain(report.suggestions.find((s) => s.subject === 'db.query < render')!.id);
    expect(failing(report.suggestions, runsOf(6, (k) => readThrough(k + 40))).size).toBe(0);
  });
  it('leaves out what a containing span already orders', () => {
    const withChild = runsOf(16, (k) => [...readThrough(k), ...(k % 2 ? [{ id: 'pg', name: 'pg', parent: 'q', startMs: 3.5, endMs: 10.5 }] : [])]);
    const orders = mineInvariants(withChild).invariants.filter((i) => i.kind === 'order').map((i) => i.subject);
    expect(orders).toContain('db.query < render');
    expect(orders).not.toContain('pg < render');
  });
  it('is already asserted by the plain and the "when present" forms of the same pair', () => {
    const edit = { type: 'pair', table: 'expect.order', key: 'must_precede_when_both_present', pair: ['a', 'b'] } as const;
    expect(againstFile(edit, { expect: { order: { must_precede: [['a', 'b']] } } })).toEqual({ state: 'asserted' });
    expect(againstFile(edit, { expect: { order: { must_precede_when_present: [['a', 'b']] } } })).toEqual({ state: 'asserted' });
    expect(againstFile(edit, { expect: { order: { must_precede: [['b', 'a']] } } })).toEqual({ state: 'new' });
  });
});

describe('order among siblings', () => {
  /** A read (one select) then an order (select, then insert), or with the order's two calls swapped. */
  const readThenOrder = (k: number, swap = false): SpanSpec[] => {
    const j = (k % 3) * 0.1;
    const [sel, ins] = swap ? [23, 21] : [21, 23];
    return [
      { id: 'r', name: 'read', startMs: 0, endMs: 10 },
      { id: 's1', name: 'select', parent: 'r', startMs: 1, endMs: 2 + j },
      { id: 'o', name: 'order', startMs: 20, endMs: 30 },
      { id: 's2', name: 'select', parent: 'o', startMs: sel, endMs: sel + 1 + j },
      { id: 'i', name: 'insert', parent: 'o', startMs: ins, endMs: ins + 1 },
    ];
  };
  const runs = runsOf(16, (k) => readThenOrder(k));
  it('is mined when the first name also happens elsewhere, and catches a swap the plain order misses', () => {
    const [sibling] = of(mineInvariants(runs).invariants, 'order', 'select < insert (siblings)');
    expect(sibling).toMatchObject({ support: 16, confidence: structural(16), edit: { key: 'must_precede_sibling', pair: ['select', 'insert'] } });
    expect(sibling!.evidence).toHaveLength(4);
    const report = suggestAssertions(runs);
    const swapped = runsOf(1, () => readThenOrder(0, true));
    const caughtBy = [...failuresOn(configOf(report.suggestions), swapped).keys()];
    expect(caughtBy).toEqual([report.suggestions.find((s) => s.subject === 'select < insert (siblings)')!.id]);
    expect(failing(report.suggestions, runsOf(6, (k) => readThenOrder(k + 40))).size).toBe(0);
  });
  it('is left out where the plain order says the same (a first name once per run, under one parent)', () => {
    const single = runsOf(16, (k) => readThenOrder(k).filter((s) => s.id !== 's1'));
    expect(of(mineInvariants(single).invariants, 'order', 'select < insert (siblings)')).toEqual([]);
  });
});

describe('orders by time on one side of a call', () => {
  it('the server side of a call from another service is never the first of a time order: it closes on its own time', () => {
    // cache's server span ends after api's cache.get has (it answered first), but before api goes on.
    const runs = runsOf(16, (k) => [
      { id: 'r', name: 'GET /items', service: 'api', startMs: 0, endMs: 20 },
      { id: 'c', name: 'cache.get', service: 'api', parent: 'r', startMs: 1, endMs: 5 },
      { id: 's', name: 'GET /cache', service: 'cache', parent: 'c', startMs: 2, endMs: 5.5 + (k % 3) * 0.1 },
      { id: 'q', name: 'db.query', service: 'api', parent: 'r', startMs: 6, endMs: 10 },
    ]);
    const orders = mineInvariants(runs).invariants.filter((i) => i.kind === 'order').map((i) => i.subject);
    expect(orders).toContain('cache.get < db.query');
    expect(orders.filter((o) => o.startsWith('GET /cache <'))).toEqual([]);
  });
});

describe('forbidden edges from the callee\'s side', () => {
  const call = (k: number, extraCaller: boolean): SpanSpec[] => [
    { id: 'f', name: 'GET /', service: 'frontend', startMs: 0, endMs: 10 },
    { id: 'a', name: 'api', service: 'api', parent: 'f', startMs: 1, endMs: 9 },
    ...(k % 3 === 0 ? [{ id: 'd', name: 'db', service: 'db', parent: 'a', startMs: 2, endMs: 8 }] : []),
    ...(extraCaller && k % 6 === 0 ? [{ id: 'x', name: 'db', service: 'db', parent: 'f', startMs: 9, endMs: 9.5 }] : []),
  ];
  it('a constant set of callers, in the runs that called the service, is the evidence', () => {
    const forbidden = of(mineInvariants(runsOf(24, (k) => call(k, false))).invariants, 'topology', 'frontend ↛ db')[0]!;
    expect(forbidden.confidence).toBe(structural(8));
  });
  it('callers that vary between runs are no constant: only the closed world speaks', () => {
    const { invariants } = mineInvariants(runsOf(24, (k) => call(k, true)));
    expect(of(invariants, 'topology', 'frontend ↛ db')).toEqual([]);
    expect(of(invariants, 'topology', 'api ↛ frontend')[0]!.summary).toContain('closed world');
  });
});

describe('stalls', () => {
  /** A db service: a quick insert (0.1 ms), a select that stalled once for 4 ms, and their request. */
  const db = (k: number, insertMs = 0.1 + (k % 4) * 0.01): SpanSpec[] => [
    { id: 'r', name: 'POST /orders', service: 'db', startMs: 0, endMs: 10 },
    { id: 's', name: 'select', service: 'db', parent: 'r', startMs: 1, endMs: 1.2 + (k === 3 ? 4 : (k % 3) * 0.01) },
    { id: 'i', name: 'insert', service: 'db', parent: 'r', startMs: 5.5, endMs: 5.5 + insertMs },
  ];
  const maxMs = (inv: Invariant | undefined) => (inv?.edit.type === 'entry' ? (inv.edit.entries.duration_ms as { max: number }).max : NaN);
  const runs = runsOf(40, (k) => db(k));
  const [insert] = of(mineInvariants(runs).invariants, 'duration', 'insert');
  const max = maxMs(insert);
  it('an upper bound keeps room for the longest stall seen on another leaf of the same service', () => {
    // The longest insert (0.13 ms) + the select's stall (4.2 ms over its median of 0.21 ms).
    expect(max).toBeGreaterThanOrEqual(0.13 + 3.99);
    expect(insert!.summary).toContain('+ a stall of 3.99 ms seen on another span of its service');
    // A correct insert that stalled as the select did passes.
    expect(failing(suggestAssertions(runs).suggestions, runsOf(1, (k) => db(k, 4.1))).size).toBe(0);
  });
  it('a name\'s own stall is in its values already: the select\'s bound is its buffer alone', () => {
    const [select] = of(mineInvariants(runs).invariants, 'duration', 'select');
    expect(select!.summary).not.toContain('stall');
    expect(maxMs(select)).toBeLessThan(5.2 * 1.3);
  });
  it('a parent counts by its own time (children excluded): a request that stalled on its own gives room too', () => {
    const parentStall = runsOf(40, (k) => db(k).map((s) => (s.name === 'select' ? { ...s, endMs: 1.2 } : s.name === 'POST /orders' && k === 5 ? { ...s, endMs: 16 } : s)));
    const [room] = of(mineInvariants(parentStall).invariants, 'duration', 'insert');
    expect(maxMs(room)).toBeGreaterThanOrEqual(0.13 + 6);
    expect(room!.summary).toMatch(/\+ a stall of 6(\.\d+)? ms seen on another span of its service/);
  });
  it('another service\'s stalls leave a bound alone', () => {
    const apart = runsOf(40, (k) => db(k).map((s) => (s.name === 'select' ? { ...s, service: 'other' } : s)));
    const [alone] = of(mineInvariants(apart).invariants, 'duration', 'insert');
    expect(maxMs(alone)).toBeLessThan(0.2);
  });
});

describe('a measurable slowdown', () => {
  it('slows only a span that, tripled, outlasts every correct run; else the run has no place for it', () => {
    const runs = runsOf(10, (k) => [
      { id: 'r', name: 'root', startMs: 0, endMs: 40, service: 'front' },
      // k = 9 lasts 30 ms: a 3× slower k = 0..8 (3–11 ms) would look like it.
      { id: 'a', name: 'a', parent: 'r', startMs: 1, endMs: 2 + (k === 9 ? 29 : k), service: 'svc-a' },
      { id: 'b', name: 'b', parent: 'r', startMs: 32, endMs: 34, service: 'svc-b' },
    ]);
    const known = knowledgeOf(runs);
    expect(known.longestUs.get('a')).toBe(30_000);
    expect(known.stallUs.get('b')).toBe(0);
    const aOrB = { ...known, required: ['a', 'b'] };
    const mutant = mutateRun(runs[0]!, 'slower-3x', aOrB, mulberry32(1))!;
    expect(mutant.spans.find((s) => s.name === 'b')!.durationUs).toBe(6000);
    const onlyA = { ...known, required: ['a'] };
    expect(mutateRun(runs[0]!, 'slower-3x', onlyA, mulberry32(1))).toBeUndefined();
  });
  it('is measured against every correct run at hand: a slowdown a fresh correct run also reaches is none', () => {
    const runs = runsOf(10, (k) => [
      { id: 'r', name: 'root', startMs: 0, endMs: 40 },
      { id: 'a', name: 'a', parent: 'r', startMs: 1, endMs: 3 + (k % 2) },
    ]);
    const slowFresh = runsOf(1, () => [
      { id: 'r', name: 'root', startMs: 0, endMs: 40 },
      { id: 'a', name: 'a', parent: 'r', startMs: 1, endMs: 13 },
    ]);
    expect(measurableSlowdowns(runs[0]!.spans, knowledgeOf(runs))).toContain('a');
    expect(knowledgeOf(runs, slowFresh).longestUs.get('a')).toBe(12_000);
    expect(measurableSlowdowns(runs[0]!.spans, knowledgeOf(runs, slowFresh))).not.toContain('a');
  });
  it('leaves room for the longest stall seen on another span of its service: a slowdown within it is none', () => {
    // b lasts 2 ms, tripled 6 ms; in one run a sibling of its service spent 10 ms over its median on its own.
    const runsWith = (aService: string) =>
      runsOf(10, (k) => [
        { id: 'r', name: 'root', startMs: 0, endMs: 40, service: 'front' },
        { id: 'a', name: 'a', parent: 'r', startMs: 1, endMs: 2 + (k === 9 ? 10 : 0), service: aService },
        { id: 'b', name: 'b', parent: 'r', startMs: 32, endMs: 34, service: 'db' },
      ]);
    const known = knowledgeOf(runsWith('db'));
    expect(known.stallUs.get('b')).toBe(10_000);
    expect(measurableSlowdowns(runsWith('db')[0]!.spans, known)).not.toContain('b');
    // The stall was on another service's span: b's own service never stalled.
    const apart = knowledgeOf(runsWith('cache'));
    expect(apart.stallUs.get('b')).toBe(0);
    expect(measurableSlowdowns(runsWith('cache')[0]!.spans, apart)).toContain('b');
  });
});
