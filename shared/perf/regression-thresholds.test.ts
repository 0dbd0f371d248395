import { describe, expect, it } from 'vitest';
import type { Span } from '../model';
import { parseTestFile } from '../spec';
import { span } from '../trace/test-spans';
import { summariseSpans, type BaselineRecord } from './baseline';
import { evaluateThresholds, thresholdRules } from './regression-thresholds';

/** `n` spans named `name` lasting base, base+1, … base+4 milliseconds, ids from `firstId`. */
function spans(name: string, n: number, baseMs: number, firstId = 1): Span[] {
  return Array.from({ length: n }, (_, i) => span(firstId + i, undefined, i * 100_000, i * 100_000 + (baseMs + (i % 5)) * 1000, { name }));
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

describe('[performance.regression.thresholds]', () => {
  it('reads one limit per latency metric and names what it does not act on', () => {
    const r = thresholdRules({ p95_latency_increase_max_percent: 15, p99_latency_increase_max_percent: 40, throughput_decrease_max_percent: 10, p95_latency_increse_max_percent: 5, fail_on_regression: false });
    expect(r.limits).toEqual([['p95', 15], ['p99', 40]]);
    expect(r.failOnRegression).toBe(false);
    expect(r.ignored).toEqual([
      { key: 'throughput_decrease_max_percent', known: true, why: expect.stringMatching(/no throughput/) },
      { key: 'p95_latency_increse_max_percent', known: false, why: expect.stringMatching(/did you mean `p95_latency_increase_max_percent`/) },
    ]);
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
    expect(evaluateThresholds({ throughput_decrease_max_percent: 10 }, spans('db.query', 3, 20), base, '')).toBeUndefined();
  });

  it('is said at validation: keys it does not act on are warnings', () => {
    const r = parseTestFile(`[meta]\nname = "t"\nversion = "1"\n\n[[scenario]]\nname = "s"\nrun = "true"\n[performance.regression.thresholds]\np95_latency_increase_max_percent = 15\nthroughput_decrease_max_percent = 10\np95_latency_max_percent = 3\n`, { file: 't.clnrm.toml' });
    expect(r.warnings.map((w) => `${w.code} ${w.path} ${w.message}`)).toEqual([
      expect.stringMatching(/^spec.not-yet performance.regression.thresholds.throughput_decrease_max_percent .*no throughput/),
      expect.stringMatching(/^toml.unknown-key performance.regression.thresholds.p95_latency_max_percent .*did you mean `p95_latency_increase_max_percent`/),
    ]);
    const bad = parseTestFile(`[meta]\nname = "t"\nversion = "1"\n\n[[scenario]]\nname = "s"\nrun = "true"\n[performance.regression.thresholds]\np95_latency_increase_max_percent = -5\nfail_on_regression = 1\n`, { file: 't.clnrm.toml' });
    expect(bad.errors.map((e) => `${e.line}:${e.column} ${e.path} ${e.message}`)).toEqual([expect.stringMatching(/^9:36 performance.regression.thresholds.p95_latency_increase_max_percent `performance.regression.thresholds.p95_latency_increase_max_percent` must be a percent ≥ 0/), expect.stringMatching(/^10:22 performance.regression.thresholds.fail_on_regression `performance.regression.thresholds.fail_on_regression` must be true or false/)]);
  });
});
