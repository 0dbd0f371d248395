import { describe, expect, it } from 'vitest';
import type { Span } from '../model';
import { span } from '../trace/test-spans';
import { MAX_BASELINE_SAMPLES, boundedSample, summariseLatencies, summariseSpans, type BaselineRecord } from './baseline';
import { evaluateRegression } from './regression';

/** `n` spans named `name` lasting base, base+1, … milliseconds, sequential, ids from `firstId`. */
function spans(name: string, n: number, baseMs: number, firstId = 1): Span[] {
  return Array.from({ length: n }, (_, i) => span(firstId + i, undefined, i * 100_000, i * 100_000 + (baseMs + (i % 5)) * 1000, { name }));
}

function baselineOf(spansIn: readonly Span[], name?: string): BaselineRecord {
  return {
    id: 'b0000000001a',
    ...(name ? { name } : {}),
    testName: 't',
    testFile: 't.clnrm.toml',
    scenario: 's',
    commit: '0123456789abcdef0123456789abcdef01234567',
    environment: { host: 'h', platform: 'linux', engine: 'unix', clnrmVersion: '1', ci: false },
    runId: 'r0000000001a',
    executions: ['e0000000001a'],
    capturedAt: 0,
    mode: 'manual',
    spans: summariseSpans(spansIn),
  };
}

describe('latency summaries', () => {
  it('keeps count, percentiles, mean, sd and every value of a small sample', () => {
    const s = summariseLatencies([4, 1, 3, 2])!;
    expect(s).toMatchObject({ count: 4, p50: 2.5, mean: 2.5, samples: [1, 2, 3, 4] });
    expect(s.p95).toBeCloseTo(3.85, 10);
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(summariseLatencies([])).toBeUndefined();
  });

  it('bounds a large sample to evenly spaced order statistics, ends included', () => {
    const sorted = Array.from({ length: 10_000 }, (_, i) => i);
    const b = boundedSample(sorted);
    expect(b).toHaveLength(MAX_BASELINE_SAMPLES);
    expect(b[0]).toBe(0);
    expect(b.at(-1)).toBe(9999);
    expect(b[100]).toBeCloseTo((9999 * 100) / 199, 9);
  });
});

describe('[[expect.regression]]', () => {
  const base = baselineOf(spans('db.query', 30, 20), 'v1');

  it('passes within the p95 limit and says against which baseline', () => {
    const r = evaluateRegression({ max_p95_increase_percent: 15 }, 0, spans('db.query', 30, 21), base, '');
    expect(r.result.passed).toBe(true);
    expect(r.result.message).toMatch(/^no regression against baseline b0000000001a \("v1"\) of commit 0123456789: largest change "db.query" p95 24.0 ms → 25.0 ms \(\+4.2 %, limit \+15 %\)$/);
    expect(r.findings).toEqual([expect.objectContaining({ spanName: 'db.query', metric: 'p95', verdict: 'within-limit', samples: { baseline: 30, current: 30 } })]);
  });

  it('fails on a p95 increase over the limit with the slowest spans as evidence', () => {
    const r = evaluateRegression({ max_p95_increase_percent: 15 }, 2, spans('db.query', 30, 70, 100), base, '');
    expect(r.result).toMatchObject({ expectation: 'expect.regression[2]', kind: 'performance', passed: false });
    expect(r.result.message).toContain('"db.query" p95 24.0 ms → 74.0 ms (+208.3 %, limit +15 %)');
    expect(r.result.spans).toHaveLength(10);
    expect(r.findings[0]).toMatchObject({ verdict: 'regressed', changePercent: expect.closeTo(208.33, 1) });
  });

  it('only reports a regression with fail_on_regression = false', () => {
    const r = evaluateRegression({ max_p95_increase_percent: 15, fail_on_regression: false }, 0, spans('db.query', 30, 70), base, '');
    expect(r.result.passed).toBe(true);
    expect(r.result.message).toMatch(/^regression against .*\(fail_on_regression = false: reported only\)$/);
  });

  it('statistical: a large shift is significant by Mann-Whitney and by Welch', () => {
    for (const test of ['mann_whitney', 'welch'] as const) {
      const r = evaluateRegression({ method: 'statistical', test, max_p95_increase_percent: 15, confidence_level: 0.99 }, 0, spans('db.query', 30, 70), base, '');
      expect(r.result.passed).toBe(false);
      const f = r.findings[0]!;
      expect(f.metric === 'throughput' ? undefined : f.pValue).toBeLessThan(1e-6);
      expect(r.result.message).toMatch(test === 'welch' ? /Welch p = .*confidence 100.00 %/ : /Mann-Whitney p = .*confidence 100.00 %/);
    }
  });

  it('statistical: one slow outlier raises p95 over the limit but is not a significant shift', () => {
    const now = spans('db.query', 30, 20);
    now[29] = span(29 + 1, undefined, 0, 500_000, { name: 'db.query' });
    now[28] = span(28 + 1, undefined, 0, 400_000, { name: 'db.query' });
    const threshold = evaluateRegression({ max_p95_increase_percent: 15 }, 0, now, base, '');
    expect(threshold.result.passed).toBe(false);
    const statistical = evaluateRegression({ method: 'statistical', max_p95_increase_percent: 15 }, 0, now, base, '');
    expect(statistical.result.passed).toBe(true);
    expect(statistical.findings[0]).toMatchObject({ verdict: 'not-significant', test: 'mann_whitney' });
  });

  it('statistical: fewer than min_samples is not enough data, never a regression', () => {
    const r = evaluateRegression({ method: 'statistical', min_samples: 50, max_p95_increase_percent: 15 }, 0, spans('db.query', 30, 70), base, '');
    expect(r.result.passed).toBe(true);
    expect(r.findings[0]!.verdict).toBe('not-enough-data');
    expect(r.result.message).toContain('not enough samples for the Mann-Whitney test (30 now, 30 in the baseline)');
  });

  it('fails clearly without the named baseline, or when the span is missing on either side', () => {
    const named = evaluateRegression({ compare_to_baseline: 'v2' }, 0, spans('db.query', 3, 20), undefined, 'no baseline named "v2" for test t');
    expect(named.result).toMatchObject({ passed: false, message: expect.stringMatching(/^no baseline to compare with: no baseline named "v2" for test t; save one/) });
    // The first run of a test: nothing to compare with yet, which is not a failure.
    const first = evaluateRegression({}, 0, spans('db.query', 3, 20), undefined, 'no baseline for test "t"');
    expect(first.result).toMatchObject({ passed: true, message: expect.stringMatching(/^not compared: no baseline for test "t" yet \(save one/) });
    expect(evaluateRegression({ span_name: 'cache.get' }, 0, spans('db.query', 3, 20), base, '').result.message).toBe('baseline b0000000001a ("v1") of commit 0123456789 has no spans named "cache.get"');
    expect(evaluateRegression({ span_name: 'db.query' }, 0, spans('other', 3, 20), base, '').result.message).toMatch(/^no span named "db.query" in this execution/);
  });

  it('without span_name compares every span name both have, p95 at 15 % by default', () => {
    const b = baselineOf([...spans('db.query', 10, 20), ...spans('cache.get', 10, 5, 50)]);
    const r = evaluateRegression({}, 0, [...spans('db.query', 10, 20), ...spans('cache.get', 10, 9, 50)], b, '');
    expect(r.findings.map((f) => `${f.spanName} ${f.metric} ${f.limitPercent} ${f.verdict}`)).toEqual(['cache.get p95 15 regressed', 'db.query p95 15 within-limit']);
    expect(r.result.passed).toBe(false);
  });
});
