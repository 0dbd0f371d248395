// Self time (our extension `self_ms` on [[expect.span]]): a span's duration minus what its children
// cover, so a bound on it holds whichever optional children a run has and catches a span that got slower.
import { describe, expect, it } from 'vitest';
import { evaluateExpectations } from './evaluate';
import { selfTimeUs } from './self-time';
import { parseTestFile } from '../spec';
import { sid, spans } from './testing';

describe('selfTimeUs', () => {
  it('subtracts the union of children, clipped to the span', () => {
    expect(selfTimeUs(0, 100, [])).toBe(100);
    expect(selfTimeUs(0, 100, [[10, 30], [20, 40], [60, 70]])).toBe(60);
    // A child reported outside its parent (clock skew between services) counts only inside it.
    expect(selfTimeUs(0, 100, [[-20, 10], [90, 150]])).toBe(80);
    expect(selfTimeUs(0, 100, [[0, 100], [10, 20]])).toBe(0);
  });
});

const api = (endMs: number, withDb: boolean) =>
  spans([
    { id: 'api', name: 'api.get_item', startMs: 0, endMs },
    { id: 'c', name: 'cache.get', parent: 'api', startMs: 1, endMs: 2 },
    ...(withDb ? [{ id: 'q', name: 'db.query', parent: 'api', startMs: 2, endMs: 10 }] : []),
  ]);

describe('[[expect.span]] self_ms', () => {
  const rule = { name: 'api.get_item', self_ms: { max: 3 } };
  it('holds for a hit and for a miss, whose durations differ', () => {
    expect(evaluateExpectations(api(4, false), { expect: { span: [rule] } })[0]!.passed).toBe(true);
    expect(evaluateExpectations(api(11, true), { expect: { span: [rule] } })[0]!.passed).toBe(true);
  });
  it('fails a hit that got slower by its own work, naming the self time', () => {
    const [r] = evaluateExpectations(api(12, false), { expect: { span: [rule] } });
    expect(r!.passed).toBe(false);
    expect(r!.message).toContain('self time <= 3 ms (self time is 11');
    expect(r!.spans).toContain(sid('api'));
  });
  it('honours min, and the "none differs" form with count', () => {
    expect(evaluateExpectations(api(4, false), { expect: { span: [{ name: 'api.get_item', self_ms: { min: 4 } }] } })[0]!.passed).toBe(false);
    const none = { name: 'api.get_item', self_ms: { min: 3 }, count: { eq: 0 } };
    expect(evaluateExpectations(api(11, true), { expect: { span: [none] } })[0]!.passed).toBe(true);
    expect(evaluateExpectations(api(12, false), { expect: { span: [none] } })[0]!.passed).toBe(false);
  });
  it('is read from a file, and a malformed bound is a clear error', () => {
    const file = (body: string) => `[meta]\nname = "t"\n\n[[scenario]]\nname = "s"\nrun = "true"\n\n${body}`;
    const ok = parseTestFile(file('[[expect.span]]\nname = "api.get_item"\nself_ms = { max = 3 }\n'));
    expect(ok.errors).toEqual([]);
    expect(JSON.stringify(ok.tests[0]!.expect?.span)).toContain('"self_ms":{"max":3}');
    expect(parseTestFile(file('[[expect.span]]\nname = "x"\nself_ms = 3\n')).errors[0]!.message).toContain('self_ms must be a table');
  });
});
