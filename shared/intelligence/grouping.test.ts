import { describe, expect, it } from 'vitest';
import { spans } from '../expect/testing';
import { errorPatterns, groupByStructure, structureSignature } from './grouping';

const run = (id: string, order: 'ab' | 'ba', extra = false, error = false) => ({
  id,
  spans: spans([
    { id: `${id}r`, name: 'root', startMs: 0, endMs: 10 },
    ...(order === 'ab'
      ? [
          { id: `${id}a`, name: 'a', parent: `${id}r`, startMs: 1, endMs: 2 },
          { id: `${id}b`, name: 'b', parent: `${id}r`, startMs: 3, endMs: 4, status: error ? ('error' as const) : ('ok' as const) },
        ]
      : [
          { id: `${id}b`, name: 'b', parent: `${id}r`, startMs: 1, endMs: 2, status: error ? ('error' as const) : ('ok' as const) },
          { id: `${id}a`, name: 'a', parent: `${id}r`, startMs: 5, endMs: 9 },
        ]),
    ...(extra ? [{ id: `${id}c`, name: 'c', parent: `${id}a`, startMs: 1, endMs: 2 }] : []),
  ]),
});

describe('structure signature', () => {
  it('ignores sibling order, timing and ids; keeps the tree and repeats', () => {
    expect(structureSignature(run('x', 'ab').spans).signature).toBe('root(a,b)');
    expect(structureSignature(run('y', 'ba').spans).signature).toBe('root(a,b)');
    expect(structureSignature(run('z', 'ab', true).spans).signature).toBe('root(a(c),b)');
    const repeated = spans([
      { id: 'r', name: 'root' },
      { id: 'a1', name: 'a', parent: 'r' },
      { id: 'a2', name: 'a', parent: 'r' },
    ]);
    expect(structureSignature(repeated).signature).toBe('root(a,a)');
  });
});

describe('groupByStructure and errorPatterns', () => {
  const runs = [run('1', 'ab'), run('2', 'ba'), run('3', 'ab', true), run('4', 'ab', false, true), run('5', 'ba', false, true)];
  it('groups runs with frequencies, most common first', () => {
    const groups = groupByStructure(runs);
    expect(groups.map((g) => [g.runs, g.frequency, g.roots])).toEqual([
      [['1', '2', '4', '5'], 0.8, ['root']],
      [['3'], 0.2, ['root']],
    ]);
  });
  it('groups failing runs by which spans failed', () => {
    const patterns = errorPatterns(runs);
    expect(patterns).toHaveLength(1);
    expect(patterns[0]).toMatchObject({ errors: ['b'], runs: ['4', '5'], frequency: 0.4 });
    expect(patterns[0]!.evidence).toHaveLength(1);
  });
});
