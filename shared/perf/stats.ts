// Descriptive statistics and two-sample tests for latency samples: percentiles, histograms,
// mean/variance, Mann-Whitney U and Student/Welch t-tests with real p-values. The t and normal CDFs
// comes from @stdlib (a port of Boost's, accurate to ~1e-15), not from hand-written numerics.
// Mann-Whitney U is in mann-whitney.ts.
import studentTCdf from '@stdlib/stats-base-dists-t-cdf';

/** `values` sorted ascending into a new Float64Array (NaN-free input expected). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * The p-quantile (0 ≤ p ≤ 1) of already sorted values, by linear interpolation between closest
 * ranks: Hyndman & Fan type 7, the default of R's `quantile`, NumPy's `percentile` and Excel's
 * PERCENTILE.INC. NaN for an empty sample.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be within [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Percentiles (0–100) of unsorted values, type 7 (see `quantileSorted`). */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  const sorted = sortedCopy(values);
  return ps.map((p) => quantileSorted(sorted, p / 100));
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length === 0 ? NaN : sum / values.length;
}

/** Sample variance (n − 1 in the denominator), by Welford's update so large offsets do not cancel. */
export function variance(values: ArrayLike<number>): number {
  let m = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const delta = x - m;
    m += delta / (i + 1);
    m2 += delta * (x - m);
  }
  return values.length < 2 ? NaN : m2 / (values.length - 1);
}

export interface Summary {
  readonly count: number;
  readonly mean: number;
  readonly stdDev: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export function summarize(values: ArrayLike<number>): Summary {
  const sorted = sortedCopy(values);
  return {
    count: sorted.length,
    mean: mean(sorted),
    stdDev: Math.sqrt(variance(sorted)),
    min: sorted.length ? sorted[0]! : NaN,
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
  };
}

export interface Histogram {
  /** bins + 1 ascending edges; bin i counts edges[i] ≤ x < edges[i+1] (the last bin also takes its upper edge). */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

/** Equal-width histogram over [min, max] of the values (one bin when they are all equal). */
export function histogram(values: ArrayLike<number>, bins: number): Histogram {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram: bins must be a positive integer, got ${bins}`);
  if (values.length === 0) return { edges: [], counts: [] };
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]!);
    hi = Math.max(hi, values[i]!);
  }
  const count = hi > lo ? bins : 1;
  const width = hi > lo ? (hi - lo) / count : 1;
  const edges = Array.from({ length: count + 1 }, (_, i) => (i === count ? Math.max(hi, lo + width) : lo + i * width));
  const counts = new Array<number>(count).fill(0);
  for (let i = 0; i < values.length; i++) {
    const bin = Math.min(count - 1, Math.floor((values[i]! - lo) / width));
    counts[bin]!++;
  }
  return { edges, counts };
}

export interface TTestResult {
  readonly t: number;
  readonly df: number;
  /** Two-sided. */
  readonly pValue: number;
}

/** Two-sided p-value of a t statistic; 1 when the test is undefined (no spread, too few points). */
function tTestResult(t: number, df: number): TTestResult {
  if (!Number.isFinite(df) || df <= 0) return { t: NaN, df, pValue: 1 };
  if (Number.isNaN(t)) return { t, df, pValue: 1 };
  if (!Number.isFinite(t)) return { t, df, pValue: 0 };
  return { t, df, pValue: Math.min(1, 2 * studentTCdf(-Math.abs(t), df)) };
}

/** Moments of one sample, enough for the t-tests (lets callers use prefix sums instead of arrays). */
export interface Moments {
  readonly n: number;
  readonly mean: number;
  /** Sample variance (n − 1). */
  readonly variance: number;
}

export function moments(values: ArrayLike<number>): Moments {
  return { n: values.length, mean: mean(values), variance: values.length < 2 ? 0 : variance(values) };
}

/**
 * Student's two-sample t-test with pooled variance (R `t.test(var.equal = TRUE)`, SciPy
 * `ttest_ind`). Hunter/Otava use this one to test change points.
 */
export function studentTTest(a: Moments, b: Moments): TTestResult {
  const df = a.n + b.n - 2;
  const pooled = ((a.n - 1) * a.variance + (b.n - 1) * b.variance) / df;
  const se = Math.sqrt(pooled * (1 / a.n + 1 / b.n));
  const diff = a.mean - b.mean;
  return tTestResult(se === 0 ? (diff === 0 ? NaN : Math.sign(diff) * Infinity) : diff / se, df);
}

/** Welch's unequal-variance t-test with Welch–Satterthwaite degrees of freedom (R's `t.test` default). */
export function welchTTest(a: Moments, b: Moments): TTestResult {
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se2 = va + vb;
  const diff = a.mean - b.mean;
  if (se2 === 0) return tTestResult(diff === 0 ? NaN : Math.sign(diff) * Infinity, a.n + b.n - 2);
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  return tTestResult(diff / Math.sqrt(se2), df);
}
