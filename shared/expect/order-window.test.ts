import { describe, expect, it } from 'vitest';
import { evaluateExpectations } from './evaluate';
import { clnrmTrace } from './test-trace';
import { sid, spans } from './testing';

describe('expect.order', () => {
  it('a parent precedes its child; siblings compare end ≤ start', () => {
    const r = evaluateExpectations(clnrmTrace(), {
      expect: {
        order: {
          must_precede: [
            ['clnrm.run', 'clnrm.step:hello_world'],
            ['clnrm.plugin.registry', 'clnrm.step:hello_world'],
            ['clnrm.cleanup', 'clnrm.step:hello_world'],
          ],
          must_follow: [['clnrm.cleanup', 'clnrm.step:hello_world']],
        },
      },
    });
    expect(r.map((x) => x.passed)).toEqual([true, true, false, true]);
    expect(r[1]!.spans).toEqual([sid('reg'), sid('step')]);
    expect(r[2]!.message).toContain('start before any "clnrm.cleanup" has ended');
    expect(r[2]!.spans).toEqual([sid('step'), sid('clean')]);
  });

  it('touching spans (end == start, exact ns) count as ordered; 1 ns overlap does not', () => {
    const s = spans([
      { id: 'a', name: 'a', startMs: 0, endMs: 5 },
      { id: 'b', name: 'b', startMs: 5, endMs: 6 },
      { id: 'c', name: 'c', startMs: 4.999999, endMs: 6 },
    ]);
    const r = evaluateExpectations(s, { expect: { order: { must_precede: [['a', 'b'], ['a', 'c']] } } });
    expect(r.map((x) => x.passed)).toEqual([true, false]);
  });

  it('must_precede_sibling: the first name must precede under the second one\'s own parent, wherever else it happens', () => {
    // An earlier request's select precedes the insert in time, but inside the insert's own call it comes after.
    const swapped = spans([
      { id: 'r1', name: 'read', startMs: 0, endMs: 10 },
      { id: 's1', name: 'select', parent: 'r1', startMs: 1, endMs: 2 },
      { id: 'r2', name: 'order', startMs: 20, endMs: 30 },
      { id: 'i', name: 'insert', parent: 'r2', startMs: 21, endMs: 22 },
      { id: 's2', name: 'select', parent: 'r2', startMs: 23, endMs: 24 },
    ]);
    const pair = { expect: { order: { must_precede: [['select', 'insert']] as [string, string][], must_precede_sibling: [['select', 'insert']] as [string, string][] } } };
    const [plain, sibling] = evaluateExpectations(swapped, pair);
    expect(plain!.passed).toBe(true);
    expect(sibling).toMatchObject({ expectation: 'expect.order.must_precede_sibling[0]', passed: false, spans: [sid('i')] });
    expect(sibling!.message).toContain('no "select" under the same parent');
    const inOrder = spans([
      { id: 'r2', name: 'order', startMs: 20, endMs: 30 },
      { id: 's2', name: 'select', parent: 'r2', startMs: 21, endMs: 22 },
      { id: 'i', name: 'insert', parent: 'r2', startMs: 22, endMs: 24 },
    ]);
    expect(evaluateExpectations(inOrder, pair)[1]).toMatchObject({ passed: true, spans: [sid('s2'), sid('i')] });
    const noInsert = spans([{ id: 'r', name: 'order', startMs: 0, endMs: 1 }]);
    expect(evaluateExpectations(noInsert, pair)[1]!.passed).toBe(false);
  });

  it('every second span must be preceded (a late repeat fails)', () => {
    const s = spans([
      { id: 'a', name: 'a', startMs: 10, endMs: 20 },
      { id: 'b1', name: 'b', startMs: 30, endMs: 40 },
      { id: 'b2', name: 'b', startMs: 0, endMs: 5 },
    ]);
    const [r] = evaluateExpectations(s, { expect: { order: { must_precede: [['a', 'b']] } } });
    expect(r!.passed).toBe(false);
    expect(r!.message).toContain('1 of 2');
    expect(r!.spans[0]).toBe(sid('b2'));
  });
});

describe('expect.window', () => {
  it('every contained span must lie within an outer span', () => {
    const s = [
      ...clnrmTrace(),
      ...spans([{ id: 'late', name: 'container.exec', trace: 'u', startMs: 90, endMs: 120 }]),
    ];
    const r = evaluateExpectations(s, {
      expect: { window: [{ outer: 'clnrm.run', contains: ['clnrm.step:hello_world', 'container.exec', 'nope'] }] },
    });
    expect(r.map((x) => [x.expectation, x.passed])).toEqual([
      ['expect.window[0].contains[0]', true],
      ['expect.window[0].contains[1]', false],
      ['expect.window[0].contains[2]', false],
    ]);
    expect(r[0]!.spans).toEqual([sid('run'), sid('step')]);
    expect(r[1]!.spans).toEqual([sid('late')]);
    expect(r[1]!.message).toContain('1 of 2');
  });

  it('accepts a single window table and picks the right one of several outers', () => {
    const s = spans([
      { id: 'o1', name: 'outer', startMs: 0, endMs: 10 },
      { id: 'o2', name: 'outer', startMs: 20, endMs: 100 },
      { id: 'o3', name: 'outer', startMs: 30, endMs: 40 },
      { id: 'i', name: 'inner', startMs: 35, endMs: 90 },
    ]);
    const [r] = evaluateExpectations(s, { expect: { window: { outer: 'outer', contains: ['inner'] } } });
    expect(r!.passed).toBe(true);
    expect(r!.spans).toEqual([sid('o2'), sid('i')]);
  });
});
