// Expectation forms from clnrm's own files (issue 18 §3): window duration bounds, errors_allowed,
// and the v2 design's cross_service relations.
import { describe, expect, it } from 'vitest';
import { evaluateExpectations } from './evaluate';
import { sid, spans } from './testing';

describe('expect.window duration bounds', () => {
  const trace = spans([
    { id: 'run', name: 'clnrm.run', startMs: 0, endMs: 400 },
    { id: 's1', name: 'step', parent: 'run', startMs: 10, endMs: 50 },
    { id: 's2', name: 'step', parent: 'run', startMs: 60, endMs: 500 },
  ]);

  it('bounds every outer span, and reports the one outside', () => {
    const [inside, long] = [
      evaluateExpectations(trace, { expect: { window: { outer: 'step', max_duration_ms: 500 } } }),
      evaluateExpectations(trace, { expect: { window: [{ outer: 'step', max_duration_ms: 100, min_duration_ms: 10 }] } }),
    ];
    expect(inside.map((r) => [r.expectation, r.passed])).toEqual([['expect.window[0].duration', true]]);
    expect(long[0]!.passed).toBe(false);
    expect(long[0]!.message).toBe(`1 of 2 "step" spans last outside ≥ 10 ms and ≤ 100 ms (first: ${sid('s2')}, 440 ms)`);
    expect(long[0]!.spans).toEqual([sid('s2')]);
  });

  it('without outer, bounds the whole trace: first start to last end', () => {
    const r = evaluateExpectations(trace, { expect: { window: { max_duration_ms: 499 } } });
    expect(r[0]).toMatchObject({ passed: false, message: 'the trace spans 500 ms (first start to last end), expected ≤ 499 ms', spans: [sid('run'), sid('s2')] });
    expect(evaluateExpectations(trace, { expect: { window: { max_duration_ms: 500 } } })[0]!.passed).toBe(true);
  });

  it('keeps containment and duration as two results of one window', () => {
    const r = evaluateExpectations(trace, { expect: { window: [{ outer: 'clnrm.run', contains: ['step'], max_duration_ms: 1000 }] } });
    expect(r.map((x) => [x.expectation, x.passed])).toEqual([
      ['expect.window[0].contains[0]', false],
      ['expect.window[0].duration', true],
    ]);
  });
});

describe('expect.status errors_allowed', () => {
  const trace = spans([
    { id: 'a', name: 'ok', status: 'ok' },
    { id: 'b', name: 'boom', status: 'error' },
  ]);

  it('false fails on any ERROR span', () => {
    const r = evaluateExpectations(trace, { expect: { status: { errors_allowed: false } } });
    expect(r).toEqual([
      { expectation: 'expect.status.errors_allowed', kind: 'status', passed: false, message: 'errors_allowed = false, but 1 span has status ERROR; first: "boom"', spans: [sid('b')] },
    ]);
  });

  it('true exempts ERROR spans from `all` and says how many there were', () => {
    const strict = evaluateExpectations(trace, { expect: { status: { all: 'OK' } } });
    expect(strict[0]!.passed).toBe(false);
    const relaxed = evaluateExpectations(trace, { expect: { status: { all: 'OK', errors_allowed: true } } });
    expect(relaxed.map((x) => [x.expectation, x.passed, x.message])).toEqual([
      ['expect.status.errors_allowed', true, 'errors allowed: 1 span with status ERROR (exempt from `all`)'],
      ['expect.status.all', true, 'all 1 span have status OK'],
    ]);
    // An UNSET span is still not OK.
    const unset = spans([{ id: 'u', name: 'u', status: 'unset' }]);
    expect(evaluateExpectations(unset, { expect: { status: { all: 'OK', errors_allowed: true } } })[1]!.passed).toBe(false);
  });
});

describe('cross_service', () => {
  const api = (id: string, start: number) => ({ id, name: 'api.user.get', startMs: start, endMs: start + 10, service: 'api' });
  const db = (id: string, parent: string, start: number, attrs: Record<string, string | number | boolean>) => ({ id, name: 'db.query', parent, startMs: start + 1, endMs: start + 2, service: 'db', attrs });
  const trace = spans([
    api('a1', 0),
    db('d1', 'a1', 0, { 'db.statement': 'SELECT name FROM users WHERE id = $1', 'network.local.port': 40001 }),
    api('a2', 20),
    db('d2', 'a2', 20, { 'db.query.text': 'SELECT * FROM users WHERE id = $1', 'network.local.port': 40001 }),
    { id: 'c1', name: 'cache.lookup', parent: 'a1', startMs: 1, endMs: 2, attrs: { 'cache.hit': true } },
    { id: 'c2', name: 'cache.lookup', parent: 'a2', startMs: 21, endMs: 22, attrs: { 'cache.result': 'miss' } },
    { id: 'c3', name: 'cache.lookup', startMs: 40, endMs: 41, attrs: { 'cache.hit': true } },
  ]);

  it('api_to_db_query: a db span below every api span, statements matching, one connection reused', () => {
    const r = evaluateExpectations(trace, {
      scenarioCrossService: { path: 'scenario[0].expect.cross_service', rules: [{ type: 'api_to_db_query', api_span: 'api.user.get', db_span: 'db.query', query_matches: 'SELECT .* FROM users WHERE id = ', connection_reused: true }] },
    });
    expect(r.map((x) => [x.expectation, x.passed])).toEqual([
      ['scenario[0].expect.cross_service[0].db_span', true],
      ['scenario[0].expect.cross_service[0].query_matches', true],
      ['scenario[0].expect.cross_service[0].connection_reused', true],
    ]);
    expect(r[2]!.message).toBe('2 "db.query" calls used 1 connection: connections were reused');
  });

  it('api_to_db_query fails on a missing db span, a statement that does not match, and new connections', () => {
    const other = spans([
      api('a1', 0),
      db('d1', 'a1', 0, { 'db.statement': 'DELETE FROM users', 'db.client.connection.id': 'c-1' }),
      db('d2', 'a1', 3, { 'db.statement': 'SELECT 1 FROM users', 'db.client.connection.id': 'c-2' }),
      api('a2', 20),
    ]);
    const r = evaluateExpectations(other, { expect: { cross_service: [{ type: 'api_to_db_query', api_span: 'api.user.get', db_span: 'db.query', query_matches: '^SELECT', connection_reused: true }] } });
    expect(r.map((x) => [x.passed, x.message])).toEqual([
      [false, '1 of 2 "api.user.get" spans have no "db.query" span below them'],
      [false, '1 of 2 "db.query" spans have no db.query.text / db.statement matching /^SELECT/ (first: "DELETE FROM users")'],
      [false, '2 "db.query" calls used 2 connections: each call opened its own connection'],
    ]);
    expect(r[0]!.spans).toEqual([sid('a2')]);
  });

  it('cannot judge connection reuse when spans do not name their connection', () => {
    const bare = spans([api('a1', 0), db('d1', 'a1', 0, {}), db('d2', 'a1', 2, {})]);
    const r = evaluateExpectations(bare, { expect: { cross_service: [{ type: 'api_to_db_query', api_span: 'api.user.get', db_span: 'db.query', connection_reused: false }] } });
    expect(r[1]).toMatchObject({ passed: false, message: expect.stringMatching(/^cannot judge connection reuse: only 0 "db.query" spans name their connection/) });
  });

  it('cache_hit_rate counts hits among lookups below the api span', () => {
    const rule = (gte: number) => ({ type: 'cache_hit_rate' as const, api_span: 'api.user.get', cache_span: 'cache.lookup', expected_hit_rate: { gte } });
    const half = evaluateExpectations(trace, { expect: { cross_service: [rule(0.5), rule(0.8)] } });
    expect(half.map((x) => [x.passed, x.message])).toEqual([
      [true, 'hit rate 0.500 (1 of 2 "cache.lookup" lookups), expected ≥ 0.5'],
      [false, 'hit rate 0.500 (1 of 2 "cache.lookup" lookups), expected ≥ 0.8'],
    ]);
    const none = evaluateExpectations(spans([api('a1', 0)]), { expect: { cross_service: [rule(0.8)] } });
    expect(none[0]).toMatchObject({ passed: false, message: 'cannot compute a hit rate: no "cache.lookup" span below "api.user.get"' });
  });
});
