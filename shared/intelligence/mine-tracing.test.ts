// Context propagation and latency percentiles mined from hand-made runs, judged by the real engine:
// what is suggested holds on the runs it came from and fails on a run that breaks it.
import { describe, expect, it } from 'vitest';
import { spans, type SpanSpec } from '../expect/testing';
import { structural } from './confidence';
import { MIN_PERCENTILE_SAMPLES } from './mine-tracing';
import { mineInvariants, suggestAssertions } from './suggest';
import { runsOf } from './test-runs';
import { configOf, failuresOn } from './verify';
import type { MiningRun, Suggestion } from './types';

const failing = (suggestions: readonly Suggestion[], runs: readonly MiningRun[]) => new Set([...failuresOn(configOf(suggestions), runs).values()].flat());

/** A request whose server span is entered from the client through propagated context (one trace), with baggage. */
function call(k: number, tenant = 'acme'): SpanSpec[] {
  return [
    { id: 'r', name: 'GET /a', kind: 'server', startMs: 0, endMs: 30, service: 'front', attrs: { 'baggage.tenant': tenant } },
    { id: 'c', name: 'call api', kind: 'client', parent: 'r', startMs: 1, endMs: 20 + (k % 3), service: 'front' },
    { id: 's', name: 'POST /b', kind: 'server', parent: 'c', startMs: 2, endMs: 19, service: 'api', attrs: { 'baggage.tenant': tenant } },
  ];
}

describe('context propagation', () => {
  const runs = runsOf(10, (k) => call(k));

  it('suggests one context_propagation entry: trace ids, parents and the baggage the roots carry', () => {
    const prop = suggestAssertions(runs).suggestions.filter((s) => s.kind === 'propagation');
    expect(prop).toHaveLength(1);
    expect(prop[0]!.edit).toEqual({
      type: 'entry',
      table: 'orchestration.distributed_tracing.assertion',
      entries: { type: 'context_propagation', trace_id_consistent: true, parent_child_relationship: 'valid', baggage_preserved: ['tenant'] },
    });
    expect(prop[0]).toMatchObject({ support: 10, confidence: structural(10) });
    expect(prop[0]!.evidence.length).toBeGreaterThan(0);
    expect(prop[0]!.snippet).toContain('[[orchestration.distributed_tracing.assertion]]');
  });

  it('fails a run whose server span got another trace id, lost its parent, or changed the baggage', () => {
    const prop = suggestAssertions(runs).suggestions.filter((s) => s.kind === 'propagation');
    const server = (id: string, patch: Partial<SpanSpec>): MiningRun => ({ id, spans: spans(call(0).map((s) => (s.id === 's' ? { ...s, ...patch } : { ...s, trace: 'main' }))) });
    const judged = [server('other trace', { trace: 'other' }), server('orphan', { trace: 'main', parent: 'gone' }), server('changed', { trace: 'main', attrs: { 'baggage.tenant': 'evil' } })];
    expect(failing(prop, [...runs, ...judged])).toEqual(new Set(['other trace', 'orphan', 'changed']));
  });

  it('suggests nothing a learned run breaks: an orphan span in one run', () => {
    const broken = runsOf(10, (k) => (k === 3 ? call(k).map((s) => (s.id === 's' ? { ...s, parent: 'gone' } : s)) : call(k)));
    const { invariants } = mineInvariants(broken);
    const subjects = invariants.filter((i) => i.kind === 'propagation').map((i) => i.subject);
    expect(subjects).not.toContain('parents');
    expect(subjects).toContain('trace ids');
  });

  it('no baggage suggestion when a run has no root carrying it', () => {
    const runs2 = runsOf(10, (k) => call(k).map((s) => (s.id === 'r' && k === 5 ? { ...s, attrs: {} } : s)));
    expect(mineInvariants(runs2).invariants.filter((i) => i.subject.startsWith('baggage'))).toEqual([]);
  });
});

/** Run k: `count` db queries under one request, the i-th lasting (1 + i % 10) × `scale` ms. */
function many(k: number, count: number, scale = 1): SpanSpec[] {
  const out: SpanSpec[] = [{ id: 'r', name: 'batch', startMs: 0, endMs: 1000 }];
  for (let i = 0; i < count; i++) out.push({ id: `q${i}`, name: 'db.query', parent: 'r', startMs: i, endMs: i + (1 + ((i + k) % 10)) * scale });
  return out;
}

describe('latency percentiles', () => {
  it('needs enough spans of a name in every run', () => {
    const few = runsOf(10, (k) => many(k, MIN_PERCENTILE_SAMPLES - 1));
    expect(mineInvariants(few).invariants.filter((i) => i.subject.endsWith('percentiles'))).toEqual([]);
    const runs = runsOf(10, (k) => many(k, k === 4 ? MIN_PERCENTILE_SAMPLES - 1 : 40));
    expect(mineInvariants(runs).invariants.filter((i) => i.subject.endsWith('percentiles'))).toEqual([]);
  });

  it('suggests p50 and p95 bounds (p99 from 100 spans a run) as a latency_percentiles constraint, with the spans at p95 as evidence', () => {
    const runs = runsOf(30, (k) => many(k, 40));
    const found = mineInvariants(runs).invariants.filter((i) => i.subject === 'db.query percentiles');
    expect(found).toHaveLength(1);
    const edit = found[0]!.edit;
    expect(edit).toMatchObject({ type: 'entry', table: 'orchestration.temporal.constraint', entries: { type: 'latency_percentiles', span: 'db.query' } });
    const entries = (edit as { entries: Record<string, { max_ms: number }> }).entries;
    // Every run's p95 is 10 ms (nearest rank 38 of 40): the bound keeps the buffer above it.
    expect(entries['p95']!.max_ms).toBeGreaterThanOrEqual(10);
    expect(entries['p99']).toBeUndefined();
    expect(found[0]!.evidence).toHaveLength(10);
    const big = runsOf(5, (k) => many(k, 120));
    expect(mineInvariants(big).invariants.find((i) => i.subject === 'db.query percentiles')?.edit).toMatchObject({ entries: { p99: { max_ms: expect.any(Number) } } });
  });

  it('is judged by the engine: a run whose queries all got 3× slower fails it, the learned runs pass', () => {
    const runs = runsOf(30, (k) => many(k, 40));
    const suggestions = suggestAssertions(runs).suggestions.filter((s) => s.summary.includes('p95'));
    expect(suggestions).toHaveLength(1);
    const slower: MiningRun = { id: 'slower', spans: spans(many(0, 40, 3).map((s) => ({ ...s, trace: 'x' }))) };
    expect(failing(suggestions, [...runs, slower])).toEqual(new Set(['slower']));
  });
});
