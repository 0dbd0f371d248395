import { describe, expect, it } from 'vitest';
import { span } from '../trace/test-spans';
import { compareRuns } from './compare';

describe('compareRuns', () => {
  it('compares durations per operation with the median change and a Mann-Whitney p-value', () => {
    // db.query: 10 spans of 100–109 µs before, 10 of 150–159 after; render unchanged.
    const before = [...Array.from({ length: 10 }, (_, i) => span(i + 1, undefined, 0, 100 + i, { name: 'db.query' })), span(50, undefined, 0, 40, { name: 'render' }), span(51, undefined, 0, 30, { name: 'old' })];
    const after = [...Array.from({ length: 10 }, (_, i) => span(i + 1, undefined, 0, 150 + i, { name: 'db.query' })), span(50, undefined, 0, 40, { name: 'render' }), span(52, undefined, 0, 30, { name: 'new' })];
    const r = compareRuns(before, after);
    expect(r.operations.map((o) => o.name)).toEqual(['db.query', 'render']);
    const db = r.operations[0]!;
    expect(db.before.p50).toBe(104.5);
    expect(db.after.p50).toBe(154.5);
    expect(db.medianChangePercent).toBeCloseTo(47.85, 2);
    // Exact Mann-Whitney, complete separation of 10 vs 10: 2 / C(20, 10) (SciPy: 1.0825088224469026e-05).
    expect(db.pValue).toBeCloseTo(1.0825088224469026e-5, 15);
    expect(r.operations[1]).toMatchObject({ medianChangePercent: 0, pValue: 1 });
    expect(r.onlyBefore).toEqual(['svc › old']);
    expect(r.onlyAfter).toEqual(['svc › new']);
  });
});
