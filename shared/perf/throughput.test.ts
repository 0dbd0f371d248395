import { describe, expect, it } from 'vitest';
import { span } from '../trace/test-spans';
import { evaluatePerformance } from './performance-checks';
import { pooledRate, ratesByName, spansRate } from './throughput';

// 20 db.query spans of 10, 11, …, 29 ms, one every 50 ms (the last ends at 950 + 29 ms), as in performance-checks.test.ts.
const db = Array.from({ length: 20 }, (_, i) => span(i + 1, undefined, i * 50_000, i * 50_000 + (10 + i) * 1000, { name: 'db.query' }));

describe('throughput over the spans\' own window', () => {
  it('counts the spans per second from the first start to the last end', () => {
    const rate = spansRate(db)!;
    expect(rate).toMatchObject({ count: 20, windowMs: 979 });
    expect(rate.perSecond).toBeCloseTo(20 / 0.979, 9);
  });

  it('is the figure [[expect.performance]] throughput (window = "spans") reports', () => {
    const [result] = evaluatePerformance([{ type: 'throughput', span_name: 'db.query', min_per_second: 1 }], { spans: db, stats: [] });
    expect(result!.message).toBe(`20 "db.query" spans in 979 ms (first start to last end): ${spansRate(db)!.perSecond.toFixed(1)} per second, min 1.00`);
  });

  it('has no rate for fewer than 2 spans or a window of 0 ms', () => {
    expect(spansRate(db.slice(0, 1))).toBeUndefined();
    expect(spansRate([])).toBeUndefined();
    const instant = [span(90, undefined, 5_000, 5_000, { name: 'tick' }), span(91, undefined, 5_000, 5_000, { name: 'tick' })];
    expect(spansRate(instant)).toBeUndefined();
    // Per name: only the names that have a rate.
    const byName = ratesByName([...db, ...instant, span(92, undefined, 0, 1_000, { name: 'once' })]);
    expect([...byName.keys()]).toEqual(['db.query']);
    expect(byName.get('db.query')).toEqual(spansRate(db));
  });

  it('pools executions by adding their counts and windows (the time between them is not counted)', () => {
    const pooled = pooledRate([{ count: 20, windowMs: 1000, perSecond: 20 }, { count: 10, windowMs: 2000, perSecond: 5 }])!;
    expect(pooled).toEqual({ count: 30, windowMs: 3000, perSecond: 10 });
    expect(pooledRate([])).toBeUndefined();
  });
});
