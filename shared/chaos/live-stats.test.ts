import { describe, expect, it } from 'vitest';
import { judgeAssertion, type Request } from './experiment-judge';
import { liveFigures, mergeSeconds, secondStats, trafficSample, type SecondStats, type TrafficSample } from './live-stats';

const req = (startMs: number, durationMs: number, ok = true, root = true): TrafficSample => ({ root, startMs, durationMs, ok });
const empty = (second: number): SecondStats => ({ second, requests: 0, errors: 0, successRate: null, p95Ms: null });

describe('an experiment’s traffic per second', () => {
  it('counts requests, errors, success rate and a type-7 p95 per second of the experiment', () => {
    // Second 0: 10 requests of 10..100 ms, one failed. Second 1: two requests, both failed.
    const reqs = [...Array.from({ length: 10 }, (_, i) => req(i * 90, (i + 1) * 10, i !== 3)), req(1000, 500, false), req(1999.9, 700, false)];
    expect(secondStats(reqs, 0, 2)).toEqual([
      // type 7: h = 9 × 0.95 = 8.55 → 90 + 0.55 × (100 − 90)
      { second: 0, requests: 10, errors: 1, successRate: 0.9, p95Ms: expect.closeTo(95.5, 9) },
      { second: 1, requests: 2, errors: 2, successRate: 0, p95Ms: 690 },
    ]);
  });

  it('reports seconds without requests as empty, not as failures, and only the range asked for', () => {
    const reqs = [req(500, 10), req(3200, 30), req(9000, 5)];
    expect(secondStats(reqs, 1, 4)).toEqual([empty(1), empty(2), { second: 3, requests: 1, errors: 0, successRate: 1, p95Ms: 30 }]);
    expect(secondStats(reqs, 4, 4)).toEqual([]);
  });

  it('leaves out spans that started before the experiment (a clock behind ours) and spans that are not requests', () => {
    const reqs = [req(-0.5, 10, false), req(-1500, 10, false), req(200, 40, true, false), req(300, 20)];
    expect(secondStats(reqs, 0, 1)).toEqual([{ second: 0, requests: 1, errors: 0, successRate: 1, p95Ms: 20 }]);
  });

  it('gives a second the same figures the judge measures over a one-second phase', () => {
    const reqs: Request[] = Array.from({ length: 37 }, (_, i) => ({ spanId: `s${i}`, name: 'GET', root: true, startMs: 2000 + i * 27, durationMs: 5 + ((i * 7919) % 113), ok: i % 5 !== 0, attrs: {} }));
    const phase = { name: 'during_chaos' as const, startMs: 2000, endMs: 3000, assertions: [] };
    const judged = judgeAssertion({ type: 'degraded_performance', abortOnFail: false, path: 'p' }, phase, reqs).measured;
    const [second] = secondStats(reqs, 2, 3);
    expect(second!.requests).toBe(judged['requests']);
    expect(second!.successRate).toBeCloseTo(judged['successRate']!, 12);
    expect(second!.p95Ms).toBeCloseTo(judged['p95Ms']!, 12);
  });

  it('reads a stored span’s columns as the judge reads the span: µs to ms from the start, only ERROR fails', () => {
    const start = 1_700_000_000_000_000;
    expect(trafficSample({ startUs: start + 1_250_000, durationUs: 3_500, statusCode: 'error', root: true }, start)).toEqual({ root: true, startMs: 1250, durationMs: 3.5, ok: false });
    expect(trafficSample({ startUs: start, durationUs: 0, statusCode: 'unset', root: false }, start).ok).toBe(true);
  });
});

describe('merging answers and the figures beside the charts', () => {
  it('lays a second asked again over the one known (late spans), keeping second order', () => {
    const a = [empty(0), { ...empty(1), requests: 3, errors: 0, successRate: 1, p95Ms: 10 }];
    const b = [{ ...empty(1), requests: 5, errors: 1, successRate: 0.8, p95Ms: 12 }, empty(2)];
    expect(mergeSeconds(a, b).map((s) => [s.second, s.requests])).toEqual([
      [0, 0],
      [1, 5],
      [2, 0],
    ]);
  });

  it('takes the last second with traffic, and the worst seconds that overlap a fault window', () => {
    const s = (second: number, successRate: number, p95Ms: number): SecondStats => ({ second, requests: 10, errors: Math.round(10 * (1 - successRate)), successRate, p95Ms });
    const seconds = [s(0, 1, 10), s(1, 0.5, 400), s(2, 0.7, 900), s(3, 1, 20), s(4, 0.9, 30), empty(5)];
    // A fault from 1.5 s to 2.5 s touches seconds 1 and 2; one still in from 4.2 s touches second 4.
    expect(liveFigures(seconds, [{ startMs: 1500, endMs: 2500 }])).toEqual({ last: s(4, 0.9, 30), minSuccessDuringChaos: 0.5, maxP95DuringChaos: 900 });
    expect(liveFigures(seconds, [{ startMs: 4200 }])).toMatchObject({ minSuccessDuringChaos: 0.9, maxP95DuringChaos: 30 });
    expect(liveFigures([empty(0)], [{ startMs: 0 }])).toEqual({});
  });
});
