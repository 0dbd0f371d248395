import { describe, expect, it } from 'vitest';
import { evaluateExpectations } from './evaluate';
import { nearestRank } from './temporal';
import { sid, spans } from './testing';
import type { TemporalConfig } from '../spec/schema/expect';

const evalT = (s: ReturnType<typeof spans>, constraint: TemporalConfig['constraint']) =>
  evaluateExpectations(s, { temporal: { constraint } });

describe('orchestration.temporal', () => {
  const s = spans([
    { id: 'ready', name: 'db.ready', startMs: 0, endMs: 10 },
    { id: 'api', name: 'api.start', startMs: 30, endMs: 40 },
    { id: 'req', name: 'api.request', startMs: 50, endMs: 90 },
    { id: 'cache', name: 'cache.lookup', parent: 'req', startMs: 51, endMs: 60 },
    { id: 'db', name: 'db.query', parent: 'cache', startMs: 52, endMs: 58 },
    { id: 'w1', name: 'worker.1', startMs: 0, endMs: 300 },
    { id: 'w2', name: 'worker.2', startMs: 100, endMs: 250 },
    { id: 'w2b', name: 'worker.2', startMs: 0, endMs: 20 },
    { id: 'w3', name: 'worker.3', startMs: 120, endMs: 400 },
  ]);

  it('happens_before honours max_gap_ms', () => {
    const r = evalT(s, [
      { type: 'happens_before', first: 'span:db.ready', second: 'span:api.start', max_gap_ms: 5000 },
      { type: 'happens_before', first: 'db.ready', second: 'api.start', max_gap_ms: 10 },
      { type: 'happens_before', first: 'api.start', second: 'db.ready' },
    ]);
    expect(r.map((x) => x.passed)).toEqual([true, false, false]);
    expect(r[0]!.spans).toEqual([sid('ready'), sid('api')]);
    expect(r[1]!.message).toContain('starts 20 ms after the nearest "db.ready" ended (max 10 ms)');
  });

  it('causal_ordering needs a descendant chain and rejects inversion', () => {
    const r = evalT(s, [
      { type: 'causal_ordering', spans: ['api.request', 'cache.lookup', 'db.query'] },
      { type: 'causal_ordering', spans: ['db.query', 'cache.lookup'] },
      { type: 'causal_ordering', spans: ['api.request', 'api.start'] },
    ]);
    expect(r.map((x) => x.passed)).toEqual([true, false, false]);
    expect(r[0]!.spans).toEqual([sid('req'), sid('cache'), sid('db')]);
    expect(r[1]!.message).toContain('causality inverted');
    expect(r[2]!.message).toContain('no chain');
  });

  it('concurrent_overlap finds the best common overlap exactly', () => {
    const r = evalT(s, [
      { type: 'concurrent_overlap', spans: ['worker.1', 'worker.2', 'worker.3'], min_overlap_ms: 100 },
      { type: 'concurrent', spans: ['worker.1', 'worker.2', 'worker.3'], min_overlap_ms: 131 },
      { type: 'concurrent_overlap', spans: ['db.ready', 'api.start'] },
    ]);
    expect(r.map((x) => x.passed)).toEqual([true, false, false]);
    expect(r[0]!.message).toContain('overlap by at most 130 ms');
    expect(r[0]!.spans).toEqual([sid('w1'), sid('w2'), sid('w3')]);
    expect(r[2]!.message).toContain('never all run at the same time');
  });

  it('latency_percentiles uses nearest rank', () => {
    expect(nearestRank(100, 95)).toBe(94);
    expect(nearestRank(1, 50)).toBe(0);
    expect(nearestRank(10, 99)).toBe(9);
    const lat = spans(Array.from({ length: 20 }, (_, i) => ({ id: `l${i}`, name: 'api.request', startMs: 0, endMs: (i + 1) * 10 })));
    const r = evalT(lat, [{ type: 'latency_percentiles', span: 'api.request', p50: { max_ms: 100 }, p95: { max_ms: 180 }, p99: { max_ms: 500 } }]);
    expect(r.map((x) => [x.expectation, x.passed])).toEqual([
      ['orchestration.temporal.constraint[0].p50', true],
      ['orchestration.temporal.constraint[0].p95', false],
      ['orchestration.temporal.constraint[0].p99', true],
    ]);
    expect(r[0]!.spans).toEqual([sid('l9')]);
    expect(r[1]!.message).toContain('p95 of 20 "api.request" spans is 190 ms');
  });
});
