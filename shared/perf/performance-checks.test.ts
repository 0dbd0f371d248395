import { describe, expect, it } from 'vitest';
import { span } from '../trace/test-spans';
import { evaluatePerformance, type StatsSample } from './performance-checks';

// 20 db.query spans of 10, 11, …, 29 ms, one every 50 ms (the last ends at 950 + 29 ms).
const db = Array.from({ length: 20 }, (_, i) => span(i + 1, undefined, i * 50_000, i * 50_000 + (10 + i) * 1000, { name: 'db.query' }));
const MIB = 1024 * 1024;

describe('[[expect.performance]]', () => {
  it('latency_bounds: passes under the bounds, fails naming the percentile and the slow spans', () => {
    const [ok, bad] = evaluatePerformance(
      [
        { type: 'latency_bounds', span_name: 'db.query', p50_max_ms: 20, p95_max_ms: 30 },
        { type: 'latency_bounds', span_name: 'db.query', p95_max_ms: 25, p99_max_ms: 100 },
      ],
      { spans: db, stats: [] },
    );
    expect(ok).toMatchObject({ expectation: 'expect.performance[0]', kind: 'performance', passed: true, message: '20 "db.query" spans: p50 19.5 ms (max 20.0), p95 28.1 ms (max 30.0)' });
    expect(bad).toMatchObject({ passed: false, message: '20 "db.query" spans too slow: p95 28.1 ms (max 25.0), p99 28.8 ms (max 100); the evidence spans took longer than 25.0 ms' });
    // 26, 27, 28, 29 ms: spans 17-20, slowest first.
    expect(bad!.spans).toEqual([20, 19, 18, 17].map((i) => i.toString(16).padStart(16, '0')));
  });

  it('throughput: spans per second from the first start to the last end (the default window)', () => {
    const [fast, slow] = evaluatePerformance(
      [
        { type: 'throughput', span_name: 'db.query', min_per_second: 20 },
        { type: 'throughput', span_name: 'db.query', min_steps_per_second: 25, window: 'spans' },
      ],
      { spans: db, stats: [] },
    );
    // 20 spans in 979 ms: 20.4 per second.
    expect(fast).toMatchObject({ passed: true, message: '20 "db.query" spans in 979 ms (first start to last end): 20.4 per second, min 20.0', spans: [] });
    expect(slow).toMatchObject({ passed: false, message: 'too few per second: 20 "db.query" spans in 979 ms (first start to last end): 20.4 per second, under the min 25.0; the evidence spans are the slowest of them' });
    expect(slow!.spans[0]).toBe((20).toString(16).padStart(16, '0'));
  });

  it('throughput over the steps: spans that start inside the steps\' window, per second of it', () => {
    // Steps from 100 ms to 2100 ms: spans 3-20 start inside (100, 150, …, 950 ms), 18 in 2 s.
    const at = (ms: number): number => db[0]!.startUs + ms * 1000;
    const steps = { startUs: at(100), endUs: at(2100) };
    const [ok, low] = evaluatePerformance(
      [
        { type: 'throughput', span_name: 'db.query', min_per_second: 9, window: 'steps' },
        { type: 'throughput', span_name: 'db.query', min_per_second: 10, window: 'STEPS' },
      ],
      { spans: db, stats: [], steps },
    );
    expect(ok).toMatchObject({ passed: true, message: '18 "db.query" spans in 2000 ms (the steps\' window): 9.00 per second, min 9.00' });
    expect(low).toMatchObject({ passed: false, message: expect.stringMatching(/^too few per second: 18 "db.query" spans in 2000 ms \(the steps' window\): 9\.00 per second, under the min 10\.0/) });
  });

  it('throughput that cannot be measured fails saying why: one span, no steps, a window of 0 ms', () => {
    const instant = span(99, undefined, 5_000, 5_000, { name: 'tick' });
    const [one, noSteps] = evaluatePerformance(
      [
        { type: 'throughput', span_name: 'tick', min_per_second: 0 },
        { type: 'throughput', span_name: 'db.query', min_per_second: 1, window: 'steps' },
      ],
      { spans: [...db, instant], stats: [] },
    );
    expect(one).toMatchObject({ passed: false, message: '1 "tick" span: a rate over the spans\' own window needs at least 2 (or window = "steps")', spans: [instant.spanId] });
    expect(noSteps).toMatchObject({ passed: false, message: 'no step ran: there is no steps\' window to count "db.query" spans per second in' });
    const twoInstants = [instant, span(98, undefined, 5_000, 5_000, { name: 'tick' })];
    expect(evaluatePerformance([{ type: 'throughput', span_name: 'tick', min_per_second: 0 }], { spans: twoInstants, stats: [] })[0]).toMatchObject({
      passed: false,
      message: '2 "tick" spans in a window of 0 ms: no rate can be measured',
    });
  });

  it('resource_limits: CPU average and peak, memory peak, per service', () => {
    const stats: StatsSample[] = [
      { service: 'api', cpuPercent: 10, memoryBytes: 100 * MIB },
      { service: 'api', cpuPercent: 50, memoryBytes: 300 * MIB },
      { service: 'db', cpuPercent: 5, memoryBytes: 50 * MIB },
    ];
    const [all, db1, none] = evaluatePerformance(
      [
        { type: 'resource_limits', cpu_avg_max_percent: 25, memory_peak_max_mb: 256 },
        { type: 'resource_limits', service: 'db', cpu_max_percent: 10 },
        { type: 'resource_limits', service: 'cache', cpu_max_percent: 10 },
      ],
      { spans: [], stats },
    );
    expect(all).toMatchObject({ passed: false, message: 'over the limit: api CPU average 30.0% (max 25.0%); api memory peak 300 MiB (max 256 MiB) (3 samples)' });
    expect(db1).toMatchObject({ passed: true, message: 'db CPU peak 5.00% (max 10.0%) (1 sample)' });
    expect(none).toMatchObject({ passed: false, message: expect.stringMatching(/^no container stats samples of service "cache"/) });
  });

  it('a span name with no spans fails', () => {
    expect(evaluatePerformance([{ type: 'latency_bounds', span_name: 'nope', p95_max_ms: 1 }], { spans: db, stats: [] })[0]).toMatchObject({ passed: false, message: 'no span named "nope" in this execution to measure latency_bounds' });
  });
});
