import { describe, expect, it } from 'vitest';
import { checkRequest } from '../ipc/validate';
import type { TraceQuery } from '../ipc/contract';
import { filterSummaries, summarizeTraces, traceMatchesSpans } from './summary';
import { serviceGraph } from './service-graph';
import { span } from './test-spans';

const query = (q: object): TraceQuery => {
  const r = checkRequest('listTraces', q);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('summaries and service graph', () => {
  const spans = [
    span(1, undefined, 0, 100, { name: 'GET /', service: 'web' }),
    span(2, 1, 10, 40, { name: 'query', service: 'db', error: true }),
    span(3, 1, 50, 90, { name: 'query', service: 'db' }),
    span(4, 3, 55, 60, { name: 'inner', service: 'db' }),
  ];

  it('summarizes a trace from its root', () => {
    const [s] = summarizeTraces(spans);
    expect(s).toMatchObject({ rootName: 'GET /', rootService: 'web', durationUs: 100, spanCount: 4, errorCount: 1, services: ['db', 'web'] });
  });

  it('filters, sorts and pages summaries', () => {
    const a = summarizeTraces(spans)[0]!;
    const b = { ...a, traceId: 'b'.repeat(32), durationUs: 5, errorCount: 0, startUs: a.startUs + 1 };
    expect(filterSummaries([a, b], query({ status: 'error' })).traces.map((t) => t.traceId)).toEqual([a.traceId]);
    expect(filterSummaries([a, b], query({ minDurationMs: 0.05 })).total).toBe(1);
    expect(filterSummaries([a, b], query({ sort: 'newest' })).traces[0]!.traceId).toBe(b.traceId);
    expect(filterSummaries([a, b], query({ sort: 'longest', limit: 1, offset: 1 })).traces[0]!.traceId).toBe(b.traceId);
    expect(traceMatchesSpans(spans, query({ service: 'db', spanName: 'QUER' }))).toBe(true);
    expect(traceMatchesSpans(spans, query({ service: 'cache' }))).toBe(false);
    expect(traceMatchesSpans(spans, query({ attributes: [{ key: 'service.name', value: 'web' }] }))).toBe(true);
  });

  it('derives cross-service edges with call counts, errors and percentiles', () => {
    const g = serviceGraph(spans);
    expect(g.services).toEqual(['db', 'web']);
    expect(g.edges).toEqual([{ from: 'web', to: 'db', calls: 2, errors: 1, p50Ms: 0.03, p99Ms: 0.04 }]);
  });
});
