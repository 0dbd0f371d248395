import { describe, expect, it } from 'vitest';
import { buildSpan, type Span } from '../model';
import { runDistributions } from './distributions';

function spans(name: string, durationsMs: readonly number[]): Span[] {
  return durationsMs.map((ms, i) =>
    buildSpan({
      traceId: '1'.padStart(32, '0'), spanId: (i + 1).toString(16).padStart(16, '0'), name, kind: 'internal',
      startTimeUnixNano: '1000000000', endTimeUnixNano: String(1_000_000_000 + ms * 1e6),
      attributes: [], resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] }, scope: { name: 'test' },
    }),
  );
}

describe('runDistributions', () => {
  it('bins both runs of an operation on the same edges, every span counted once', () => {
    const r = runDistributions(spans('db.query', [10, 11, 12]), spans('db.query', [20, 21, 22, 23]), 4);
    const [op] = r.operations;
    expect(op!.edges).toHaveLength(5);
    expect(op!.edges[0]).toBeCloseTo(10_000, 6);
    expect(op!.edges[4]).toBeCloseTo(23_000, 6);
    expect(op!.beforeCounts).toEqual([3, 0, 0, 0]);
    expect(op!.afterCounts).toEqual([0, 0, 0, 4]);
    expect(op!.medianChangePercent).toBeCloseTo(95.45, 1);
  });

  it('gives a one-span operation a spread of 0 and lists operations of one side', () => {
    const r = runDistributions([...spans('a', [5]), ...spans('gone', [1])], [...spans('a', [5]), ...spans('new', [1])]);
    expect(r.operations[0]!.before.stdDev).toBe(0);
    expect(r.operations[0]!.beforeCounts.reduce((x, y) => x + y)).toBe(1);
    expect(r.onlyBefore).toEqual(['api › gone']);
    expect(r.onlyAfter).toEqual(['api › new']);
  });
});
