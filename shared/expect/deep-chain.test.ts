// A 50,000-deep chain must evaluate without recursion (Jaeger UI crashed near depth 5,000).
import { describe, expect, it } from 'vitest';
import { evaluateExpectations } from './evaluate';
import { buildSpan } from '../model';
import type { Span } from '../model';
import { nanoAt, resourceFor } from './testing';

function chain(depth: number): Span[] {
  const out: Span[] = [];
  const id = (i: number) => (i + 1).toString(16).padStart(16, '0');
  for (let i = 0; i < depth; i++) {
    out.push(
      buildSpan({
        traceId: 'f'.repeat(32),
        spanId: id(i),
        parentSpanId: i === 0 ? undefined : id(i - 1),
        name: i === depth - 1 ? 'leaf' : i === 0 ? 'root' : `level.${i % 7}`,
        kind: 'internal',
        startTimeUnixNano: nanoAt(i * 0.001),
        endTimeUnixNano: nanoAt(depth * 0.002 - i * 0.001),
        status: { code: 'ok' },
        resource: resourceFor(i % 2 ? 'api' : 'db'),
        scope: { name: 'deep' },
      }),
    );
  }
  return out;
}

describe('deep traces', () => {
  it('evaluates every family over a 50,000-deep chain', () => {
    const s = chain(50_000);
    const r = evaluateExpectations(s, {
      expect: {
        span: [{ name: 'leaf', parent: 'level.*' }],
        graph: { must_include: [['level.*', 'leaf']], acyclic: true },
        order: { must_precede: [['root', 'leaf']] },
        window: [{ outer: 'root', contains: ['leaf'] }],
        status: { all: 'OK' },
      },
      temporal: {
        constraint: [
          { type: 'causal_ordering', spans: ['root', 'level.3', 'leaf'] },
          { type: 'happens_before', first: 'leaf', second: 'root' },
        ],
      },
      distributed: {
        assertion: [
          { type: 'context_propagation', parent_child_relationship: 'valid' },
          { type: 'distributed_transaction', root_span: 'root', child_spans: ['level.1', 'leaf'] },
          { type: 'service_topology', expected_edges: [['db', 'api']] },
        ],
      },
    });
    expect(r.map((x) => [x.expectation, x.passed])).toEqual([
      ['expect.span[0]', true],
      ['expect.graph.must_include[0]', true],
      ['expect.graph.acyclic', true],
      ['expect.window[0].contains[0]', true],
      ['expect.order.must_precede[0]', true],
      ['expect.status.all', true],
      ['orchestration.temporal.constraint[0]', true],
      ['orchestration.temporal.constraint[1]', false],
      ['orchestration.distributed_tracing.assertion[0].parent_child_relationship', true],
      ['orchestration.distributed_tracing.assertion[1]', true],
      ['orchestration.distributed_tracing.assertion[2].expected_edges[0]', true],
    ]);
    expect(r[6]!.spans).toHaveLength(3);
  });
});
