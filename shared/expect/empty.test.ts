// No spans at all (a service that never exported): every family answers with a clear verdict.
import { describe, expect, it } from 'vitest';
import { evaluateExpectations } from './evaluate';

describe('an empty trace', () => {
  it('evaluates every family without throwing and fails what needs spans', () => {
    const r = evaluateExpectations([], {
      expect: {
        span: [{ name: 'clnrm.run' }],
        graph: { must_include: [['a', 'b']], must_not_cross: [['a', 'b']], acyclic: true },
        counts: { spans_total: { gte: 1 }, errors_total: { eq: 0 } },
        window: [{ outer: 'a', contains: ['b'] }],
        order: { must_precede: [['a', 'b']] },
        status: { by_name: { 'a*': 'OK' } },
        hermeticity: { no_external_services: true, resource_attrs: { must_match: { env: 'ci' } }, span_attrs: { forbid_keys: ['x'] } },
      },
      temporal: {
        constraint: [
          { type: 'happens_before', first: 'a', second: 'b' },
          { type: 'causal_ordering', spans: ['a', 'b'] },
          { type: 'concurrent_overlap', spans: ['a', 'b'] },
          { type: 'latency_percentiles', span: 'a', p50: { max_ms: 1 } },
        ],
      },
      distributed: {
        assertion: [
          { type: 'context_propagation', trace_id_consistent: true, parent_child_relationship: 'valid', baggage_preserved: ['k'] },
          { type: 'distributed_transaction', root_span: 'tx', child_spans: ['q'] },
          { type: 'service_topology', expected_edges: [['a', 'b']], forbidden_edges: [['a', 'c']] },
        ],
      },
    });
    const verdict = Object.fromEntries(r.map((x) => [x.expectation, x.passed]));
    expect(verdict).toEqual({
      'expect.span[0]': false,
      'expect.graph.must_include[0]': false,
      'expect.graph.must_not_cross[0]': true,
      'expect.graph.acyclic': true,
      'expect.counts.spans_total': false,
      'expect.counts.errors_total': true,
      'expect.window[0].contains[0]': false,
      'expect.order.must_precede[0]': false,
      'expect.status.by_name."a*"': false,
      'expect.hermeticity.no_external_services': true,
      'expect.hermeticity.resource_attrs.must_match."env"': false,
      'expect.hermeticity.span_attrs.forbid_keys': true,
      'orchestration.temporal.constraint[0]': false,
      'orchestration.temporal.constraint[1]': false,
      'orchestration.temporal.constraint[2]': false,
      'orchestration.temporal.constraint[3].p50': false,
      'orchestration.distributed_tracing.assertion[0].trace_id_consistent': true,
      'orchestration.distributed_tracing.assertion[0].parent_child_relationship': true,
      'orchestration.distributed_tracing.assertion[0].baggage_preserved."k"': false,
      'orchestration.distributed_tracing.assertion[1]': false,
      'orchestration.distributed_tracing.assertion[2].expected_edges[0]': false,
      'orchestration.distributed_tracing.assertion[2].forbidden_edges[0]': true,
    });
    for (const x of r) expect(x.message.length).toBeGreaterThan(10);
  });
});
