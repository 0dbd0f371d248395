// The histories drawn from recorded demo runs: each metric reads its own figure, delay-0 runs are taken from
// the sessions that recorded a delay, a shift is measured by medians, and a history switches pools at its
// shift. Both recorded fixtures fit the schema.
import { describe, expect, it } from 'vitest';
import loaded from './fixtures/demo-runs-loaded.json';
import quiet from './fixtures/demo-runs-quiet.json';
import { DEMO_METRICS, DemoRecordingSchema, demoFigure, demoPool, measuredShift, resampledHistory, type DemoRecording } from './recorded-series';

const run = (session: number, delayMs: number, db: number, root: number) => ({ session, delayMs, dbQuery: { p50: db, p95: db * 3 }, root: { p50: root, p95: root * 3 } });
const recording: DemoRecording = {
  recordedAt: '2026-12-07T00:00:00.000Z',
  cores: 2,
  loadAverage: { min: 0.5, max: 1 },
  readsPerRun: 60,
  delaysMs: [1, 30],
  runs: [run(1, 0, 1, 2), run(1, 1, 2, 3), run(1, 0, 3, 4), run(2, 0, 10, 20), run(2, 30, 40, 50), run(2, 0, 30, 40)],
};

describe('recorded demo runs', () => {
  it('read the figure each metric names', () => {
    const r = recording.runs[1]!;
    expect(DEMO_METRICS.map((m) => demoFigure(r, m))).toEqual([2, 6, 3, 9]);
  });

  it('pool delay-0 runs of the sessions that recorded the delay, and measure shifts by medians', () => {
    expect(demoPool(recording, 0, 'dbQuery.p50')).toEqual([1, 3, 10, 30]);
    expect(demoPool(recording, 0, 'dbQuery.p50', 1)).toEqual([1, 3]);
    expect(demoPool(recording, 0, 'root.p95', 30)).toEqual([60, 120]);
    // 2 against the median of 1 and 3; 40 against the median of 10 and 30.
    expect(measuredShift(recording, 1, 'dbQuery.p50')).toBe(0);
    expect(measuredShift(recording, 30, 'dbQuery.p50')).toBe(1);
  });

  it('draw a history from the first pool before the shift and the second from it on', () => {
    const h = resampledHistory([1, 2], [100], 20, 12, 7);
    expect(Array.from(h.slice(0, 12)).every((x) => x === 1 || x === 2)).toBe(true);
    expect(Array.from(h.slice(12))).toEqual(Array<number>(8).fill(100));
    expect(Array.from(resampledHistory([1, 2], [100], 20, 12, 7))).toEqual(Array.from(h));
    expect(() => resampledHistory([], undefined, 5, 0, 1)).toThrow(RangeError);
  });

  it('both fixtures fit the schema: quiet under load average 2, loaded above 5', () => {
    expect(DemoRecordingSchema.parse(quiet).loadAverage.max).toBeLessThan(2);
    expect(DemoRecordingSchema.parse(loaded).loadAverage.min).toBeGreaterThan(5);
  });
});
