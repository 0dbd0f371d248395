import { describe, expect, it } from 'vitest';
import { evaluateExpectations } from './evaluate';
import { sid, spans } from './testing';
import type { DistributedTracingConfig } from '../spec/schema/expect';

const evalD = (s: ReturnType<typeof spans>, assertion: DistributedTracingConfig['assertion']) =>
  evaluateExpectations(s, { distributed: { assertion } });

describe('orchestration.distributed_tracing', () => {
  it('context_propagation: cross-trace parents, orphans, extra roots, baggage', () => {
    const s = spans([
      { id: 'r1', name: 'GET /', trace: 'a', service: 'frontend', kind: 'server', attrs: { user_id: 'u1' } },
      { id: 'c1', name: 'call api', trace: 'a', parent: 'r1', service: 'frontend', kind: 'client' },
      { id: 's1', name: 'api', trace: 'a', parent: 'c1', service: 'api', kind: 'server', attrs: { 'baggage.user_id': 'u1' } },
      { id: 's2', name: 'api', trace: 'b', parent: 'c1', service: 'api', kind: 'server' },
    ]);
    const r = evalD(s, [
      { type: 'context_propagation', trace_id_consistent: true, parent_child_relationship: 'valid', baggage_preserved: ['user_id', 'tenant'] },
    ]);
    expect(r.map((x) => [x.expectation.replace('orchestration.distributed_tracing.assertion[0].', ''), x.passed])).toEqual([
      ['trace_id_consistent', false],
      ['parent_child_relationship', false],
      ['baggage_preserved."user_id"', true],
      ['baggage_preserved."tenant"', false],
    ]);
    expect(r[0]!.spans).toEqual([sid('s2'), sid('c1')]);
    expect(r[1]!.spans).toEqual([sid('s2')]);
  });

  it('baggage lost at an entry span fails with that span as evidence', () => {
    const s = spans([
      { id: 'r', name: 'root', service: 'fe', kind: 'server', attrs: { user_id: 'u1' } },
      { id: 'x', name: 'api', parent: 'r', service: 'api', kind: 'server', attrs: { user_id: 'u2' } },
    ]);
    const [r] = evalD(s, [{ type: 'context_propagation', baggage_preserved: ['user_id'] }]);
    expect(r).toMatchObject({ passed: false, spans: [sid('x')] });
  });

  it('distributed_transaction: ordered children, or a rollback when something failed', () => {
    const s = spans([
      { id: 't1', name: 'api.transaction', trace: '1' },
      { id: 'b1', name: 'db.begin', trace: '1', parent: 't1', startMs: 1 },
      { id: 'q1', name: 'db.query', trace: '1', parent: 'b1', startMs: 2 },
      { id: 'm1', name: 'db.commit', trace: '1', parent: 't1', startMs: 3 },
      { id: 't2', name: 'api.transaction', trace: '2' },
      { id: 'b2', name: 'db.begin', trace: '2', parent: 't2', startMs: 1 },
      { id: 'q2', name: 'db.query', trace: '2', parent: 't2', startMs: 2, status: 'error' },
      { id: 'r2', name: 'db.rollback', trace: '2', parent: 't2', startMs: 3 },
      { id: 't3', name: 'api.transaction', trace: '3' },
      { id: 'm3', name: 'db.commit', trace: '3', parent: 't3', startMs: 1 },
      { id: 'b3', name: 'db.begin', trace: '3', parent: 't3', startMs: 2 },
      { id: 'q3', name: 'db.query', trace: '3', parent: 't3', startMs: 3 },
    ]);
    const tx = { type: 'distributed_transaction' as const, root_span: 'api.transaction', child_spans: ['db.begin', 'db.query', 'db.commit'], rollback_on_error: true };
    const [r] = evalD(s, [tx]);
    expect(r!.passed).toBe(false);
    expect(r!.spans).toEqual([sid('t3')]);
    expect(r!.message).toContain('1 of 3');
    expect(r!.message).toContain('lacks "db.commit"');
    const [ok] = evalD(s.slice(0, 8), [tx]);
    expect(ok!.passed).toBe(true);
    const [noRollback] = evalD(s.slice(0, 8), [{ ...tx, rollback_on_error: false }]);
    expect(noRollback!.passed).toBe(false);
  });

  it('service_topology: expected and forbidden service edges', () => {
    const s = spans([
      { id: 'f', name: 'GET /', service: 'frontend' },
      { id: 'a', name: 'api', parent: 'f', service: 'api' },
      { id: 'd', name: 'query', parent: 'a', service: 'db' },
      { id: 'd2', name: 'query', parent: 'f', service: 'db' },
    ]);
    const r = evalD(s, [
      { type: 'service_topology', expected_edges: [['frontend', 'api'], ['api', 'cache']], forbidden_edges: [['frontend', 'db'], ['db', 'api']] },
    ]);
    expect(r.map((x) => x.passed)).toEqual([true, false, false, true]);
    expect(r[1]!.message).toContain('seen: frontend → api, api → db, frontend → db');
    expect(r[2]!.spans).toEqual([sid('f'), sid('d2')]);
  });
});
