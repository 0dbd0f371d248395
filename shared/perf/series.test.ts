import { describe, expect, it } from 'vitest';
import { spanNamesOf, spanSeries, type RunDurations } from './series';

const runId = (i: number): string => `run${String(i).padStart(9, '0')}`;

/** Runs of a test whose `db.query` takes `level(i)` ms (±2 %), three spans a run; `GET /` is flat. */
function runs(count: number, level: (i: number) => number): RunDurations[] {
  return Array.from({ length: count }, (_, i) => {
    const ms = level(i);
    const jitter = [0.98, 1, 1.02];
    return {
      runId: runId(i),
      at: 1_700_000_000_000 + i * 60_000,
      ...(i % 2 === 0 ? { commit: `c${i}` } : {}),
      durations: new Map([
        ['db.query', jitter.map((j, k) => ms * 1000 * j * (1 + ((i + k) % 3) * 0.01))],
        ['GET /', [50_000, 51_000]],
      ]),
    };
  });
}

describe('spanSeries', () => {
  it('has one point per run with the percentiles of its durations, oldest first', () => {
    const s = spanSeries(runs(3, () => 10), 'db.query', 'p50');
    expect(s.points.map((p) => p.runId)).toEqual([runId(0), runId(1), runId(2)]);
    expect(s.points[0]).toMatchObject({ count: 3, commit: 'c0', p50: 10_100 });
    expect(s.points[1]!.commit).toBeUndefined();
    expect(s.points[0]!.p95).toBeGreaterThan(s.points[0]!.p50);
    expect(s.points[0]!.mean).toBeCloseTo((9_800 + 10_100 + 10_404) / 3, 6);
    expect(s.changePoints).toEqual([]);
    expect(s.baseline).toBeUndefined();
  });

  it('marks a step change between the last run before and the first after', () => {
    const history = runs(12, (i) => (i < 6 ? 10 : 25));
    const s = spanSeries(history, 'db.query', 'p95');
    expect(s.changePoints).toHaveLength(1);
    expect(s.changePoints[0]).toMatchObject({ index: 6, runBefore: runId(5), runAfter: runId(6) });
    expect(s.changePoints[0]!.changePercent).toBeGreaterThan(140);
    expect(s.changePoints[0]!.pValue).toBeLessThan(1e-4);
    expect(spanSeries(history, 'GET /', 'p95').changePoints).toEqual([]);
  });

  it('skips runs without the span and lists every name once', () => {
    const history = runs(2, () => 10);
    (history[1]!.durations as Map<string, number[]>).delete('db.query');
    expect(spanSeries(history, 'db.query', 'mean').points).toHaveLength(1);
    expect(spanSeries(history, 'nothing', 'mean').points).toEqual([]);
    expect(spanNamesOf(history)).toEqual(['GET /', 'db.query']);
  });
});
