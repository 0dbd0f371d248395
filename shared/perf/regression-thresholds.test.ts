import { describe, expect, it } from 'vitest';
import type { Span } from '../model';
import { parseTestFile } from '../spec';
import { span } from '../trace/test-spans';
import { summariseSpans, summariseThroughput, type BaselineRecord } from './baseline';
import { evaluateThresholds, thresholdRules } from './regression-thresholds';

/** `n` spans named `name` lasting base, base+1, … base+4 milliseconds, one every `gapMs`, ids from `firstId`. */
function spans(name: string, n: number, baseMs: number, firstId = 1, gapMs = 100): Span[] {
  return Array.from({ length: n }, (_, i) => span(firstId + i, undefined, i * gapMs * 1000, (i * gapMs + baseMs + (i % 5)) * 1000, { name }));
}

const base: BaselineRecord = {
  id: 'b0000000001a',
  name: 'v1',
  testName: 't',
  testFile: 't.clnrm.toml',
  scenario: 's',
  environment: { host: 'h', platform: 'linux', engine: 'unix', clnrmVersion: '1', ci: false },
  runId: 'r0000000001a',
  executions: ['e0000000001a'],
  capturedAt: 0,
  mode: 'auto',
  spans: summariseSpans([...spans('db.query', 30, 20), ...spans('GET /items', 30, 50, 100)]),
};
/** The same run captured since baselines keep throughput: db.query 30 spans in 2924 ms, GET /items 30 in 2954 ms. */
const withThroughput: BaselineRecord = { ...base, throughput: summariseThroughput([[...spans('db.query', 30, 20), ...spans('GET /items', 30, 50, 100)]]) };

describe('[performance.regression.thresholds]', () => {
  it('reads one limit per latency metric and the throughput\'s, and names what is not a threshold', () => {
    const r = thresholdRules({ p95_latency_increase_max_percent: 15, p99_latency_increase_max_percent: 40, throughput_decrease_max_percent: 10, p95_latency_increse_max_percent: 5, fail_on_regression: false });
    expect(r.limits).toEqual([['p95', 15], ['p99', 40], ['throughput', 10]]);
    expect(r.failOnRegression).toBe(false);
    expect(r.ignored).toEqual([{ key: 'p95_latency_increse_max_percent', why: expect.stringMatching(/did you mean `p95_latency_increase_max_percent`/) }]);
  });

  it('passes when every span name stays within the limits', () => {
    const r = evaluateThresholds({ p95_latency_increase_max_percent: 15 }, [...spans('db.query', 30, 21), ...spans('GET /items', 30, 50, 100)], base, '')!;
    expect(r.result).toMatchObject({ expectation: 'performance.regression.thresholds', kind: 'performance', passed: true });
    expect(r.result.message).toMatch(/^no regression against baseline b0000000001a \("v1"\): largest change "db.query" p95 24.0 ms → 25.0 ms \(\+4.2 %, limit \+15 %\); 2 metric\(s\) compared$/);
  });

  it('fails naming the metric, the percent, the limit and the baseline, with the slow spans as evidence', () => {
    const r = evaluateThresholds({ p95_latency_increase_max_percent: 15, p50_latency_increase_max_percent: 50 }, [...spans('db.query', 30, 30), ...spans('GET /items', 30, 50, 100)], base, '')!;
    expect(r.result.passed).toBe(false);
    // p50 22 → 32 ms is +45.5 % (under 50 %); p95 24 → 34 ms is +41.7 % (over 15 %).
    expect(r.result.message).toBe('regression against baseline b0000000001a ("v1"): "db.query" p95 24.0 ms → 34.0 ms (+41.7 %, limit +15 %)');
    expect(r.findings.map((f) => `${f.spanName} ${f.metric} ${f.verdict}`)).toEqual(['GET /items p95 within-limit', 'GET /items p50 within-limit', 'db.query p95 regressed', 'db.query p50 within-limit']);
    expect(r.result.spans).toHaveLength(10);
  });

  it('reports without failing when fail_on_regression = false, and judges p99 and mean too', () => {
    const r = evaluateThresholds({ mean_latency_increase_max_percent: 10, p99_latency_increase_max_percent: 10, fail_on_regression: false }, spans('db.query', 30, 40), base, '')!;
    expect(r.result.passed).toBe(true);
    expect(r.result.message).toMatch(/^regression against baseline b0000000001a \("v1"\): "db.query" mean 22.0 ms → 42.0 ms \(\+90.9 %, limit \+10 %\); "db.query" p99 24.0 ms → 44.0 ms \(\+83.3 %, limit \+10 %\) \(fail_on_regression = false: reported only\)$/);
  });

  it('does not compare without a baseline, and sets no check without a limit', () => {
    expect(evaluateThresholds({ p95_latency_increase_max_percent: 15 }, spans('db.query', 3, 20), undefined, 'no baseline for test "t", scenario "s" in this store')!.result).toMatchObject({ passed: true, message: expect.stringMatching(/^not compared: no baseline for test "t"/) });
    expect(evaluateThresholds({ fail_on_regression: true }, spans('db.query', 3, 20), base, '')).toBeUndefined();
  });

  it('is said at validation: keys that are not thresholds are warnings, the throughput limit is not', () => {
    const r = parseTestFile(`[meta]\nname = "t"\nversion = "1"\n\n[[scenario]]\nname = "s"\nrun = "true"\n[performance.regression.thresholds]\np95_latency_increase_max_percent = 15\nthroughput_decrease_max_percent = 10\np95_latency_max_percent = 3\n`, { file: 't.clnrm.toml' });
    expect(r.warnings.map((w) => `${w.code} ${w.path} ${w.message}`)).toEqual([
      expect.stringMatching(/^toml.unknown-key performance.regression.thresholds.p95_latency_max_percent .*did you mean `p95_latency_increase_max_percent`/),
    ]);
    const bad = parseTestFile(`[meta]\nname = "t"\nversion = "1"\n\n[[scenario]]\nname = "s"\nrun = "true"\n[performance.regression.thresholds]\np95_latency_increase_max_percent = -5\nfail_on_regression = 1\n`, { file: 't.clnrm.toml' });
    expect(bad.errors.map((e) => `${e.line}:${e.column} ${e.path} ${e.message}`)).toEqual([expect.stringMatching(/^9:36 performance.regression.thresholds.p95_latency_increase_max_percent `performance.regression.thresholds.p95_latency_increase_max_percent` must be a percent ≥ 0/), expect.stringMatching(/^10:22 performance.regression.thresholds.fail_on_regression `performance.regression.thresholds.fail_on_regression` must be true or false/)]);
  });

  describe('throughput_decrease_max_percent', () => {
    // This execution: db.query one every 150 ms (30 in 4374 ms), GET /items unchanged.
    const slowerRate = [...spans('db.query', 30, 20, 1, 150), ...spans('GET /items', 30, 50, 100)];

    it('fails on a decrease beyond the limit with both figures, the percent and the baseline', () => {
      const r = evaluateThresholds({ throughput_decrease_max_percent: 20 }, slowerRate, withThroughput, '')!;
      expect(r.result.passed).toBe(false);
      expect(r.result.message).toBe('regression against baseline b0000000001a ("v1"): "db.query" throughput 10.3/s → 6.86/s (-33.2 %, limit -20 %)');
      expect(r.findings).toEqual([
        expect.objectContaining({ spanName: 'GET /items', metric: 'throughput', verdict: 'within-limit', changePercent: 0 }),
        { spanName: 'db.query', metric: 'throughput', baselinePerSecond: 30 / 2.924, currentPerSecond: 30 / 4.374, changePercent: expect.closeTo(-33.15, 2), limitPercent: 20, verdict: 'regressed', samples: { baseline: 30, current: 30 }, windowMs: { baseline: 2924, current: 4374 } },
      ]);
      expect(r.result.spans).toHaveLength(10);
    });

    it('passes a decrease within the limit, judged beside the latency limits in one result', () => {
      const r = evaluateThresholds({ p95_latency_increase_max_percent: 15, throughput_decrease_max_percent: 40 }, slowerRate, withThroughput, '')!;
      expect(r.result.passed).toBe(true);
      expect(r.result.message).toBe('no regression against baseline b0000000001a ("v1"): largest change "db.query" throughput 10.3/s → 6.86/s (-33.2 %, limit -40 %); 4 metric(s) compared');
      // An increase is never a throughput regression, however large.
      const faster = evaluateThresholds({ throughput_decrease_max_percent: 0 }, [...spans('db.query', 30, 20, 1, 50), ...spans('GET /items', 30, 50, 100)], withThroughput, '')!;
      expect(faster.result.passed).toBe(true);
      expect(faster.findings.map((f) => f.verdict)).toEqual(['within-limit', 'within-limit']);
    });

    it('names a span name without a rate on one side instead of comparing it', () => {
      const b: BaselineRecord = { ...withThroughput, spans: { ...withThroughput.spans, ...summariseSpans(spans('cache.get', 1, 5, 300)) } };
      const r = evaluateThresholds({ throughput_decrease_max_percent: 20 }, [...slowerRate, ...spans('cache.get', 3, 5, 300)], b, '')!;
      expect(r.result.message).toBe('regression against baseline b0000000001a ("v1"): "db.query" throughput 10.3/s → 6.86/s (-33.2 %, limit -20 %); throughput not compared for "cache.get" (no rate in the baseline): a rate needs at least 2 spans of the name over more than 0 ms');
      const one = evaluateThresholds({ throughput_decrease_max_percent: 20 }, spans('db.query', 1, 20), withThroughput, '')!;
      expect(one.result).toMatchObject({ passed: true, message: 'throughput not compared for "db.query" (no rate in this execution): a rate needs at least 2 spans of the name over more than 0 ms' });
      expect(one.findings).toEqual([]);
    });

    it('does not compare with a baseline captured before baselines kept throughput, and says so', () => {
      const only = evaluateThresholds({ throughput_decrease_max_percent: 20 }, slowerRate, base, '')!;
      expect(only.result.passed).toBe(true);
      expect(only.result.message).toBe('throughput not compared: baseline b0000000001a ("v1") has no throughput (captured before baselines kept it); capture a new one (`clnrm perf baseline save`, or [performance.baseline.capture] mode = "auto")');
      expect(only.findings).toEqual([]);
      const both = evaluateThresholds({ p95_latency_increase_max_percent: 15, throughput_decrease_max_percent: 20 }, slowerRate, base, '')!;
      expect(both.result.passed).toBe(true);
      expect(both.result.message).toMatch(/^no regression against baseline b0000000001a \("v1"\): largest change .*; 2 metric\(s\) compared; throughput not compared: baseline b0000000001a \("v1"\) has no throughput \(captured before baselines kept it\); capture a new one/);
    });
  });
});
