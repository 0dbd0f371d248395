// Mann-Whitney U (Wilcoxon rank-sum) test, two-sided, computed the way R's `wilcox.test` does:
// exact null distribution when both samples have fewer than 50 values and there are no ties,
// otherwise the normal approximation with tie correction and continuity correction. The normal
// CDF comes from @stdlib.
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

/** R's rule: the exact distribution below this sample size (when there are no ties). */
const EXACT_BELOW = 50;

export interface MannWhitneyResult {
  /** U of the first sample: the number of (a, b) pairs with a > b, ties counting one half (R's W). */
  readonly u: number;
  /** Two-sided. */
  readonly pValue: number;
  readonly method: 'exact' | 'normal';
}

/** Midranks (1-based) of the pooled samples, and Σ(t³ − t) over groups of ties. */
function rankPooled(a: ArrayLike<number>, b: ArrayLike<number>): { rankSumA: number; tieTerm: number } {
  const n = a.length + b.length;
  const values = new Float64Array(n);
  for (let i = 0; i < a.length; i++) values[i] = a[i]!;
  for (let i = 0; i < b.length; i++) values[a.length + i] = b[i]!;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => values[x]! - values[y]!);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    const midrank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (order[k]! < a.length) rankSumA += midrank;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  return { rankSumA, tieTerm };
}

/**
 * Frequencies of U = 0‥m·n under the null hypothesis: the coefficients of the Gaussian binomial
 * [m+n choose m]_q = Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i), built one factor at a time.
 */
function exactUFrequencies(m: number, n: number): Float64Array {
  const size = m * n + 1;
  const c = new Float64Array(size);
  c[0] = 1;
  for (let i = 1; i <= m; i++) {
    const shift = n + i;
    for (let k = size - 1; k >= shift; k--) c[k]! -= c[k - shift]!;
    for (let k = i; k < size; k++) c[k]! += c[k - i]!;
  }
  return c;
}

/** P(U ≤ u) or P(U ≥ u) from the frequencies. */
function exactTwoSided(m: number, n: number, u: number): number {
  const freq = exactUFrequencies(m, n);
  let total = 0;
  for (const f of freq) total += f;
  let tail = 0;
  // As R: the tail on the side of the observed statistic, then doubled.
  if (u > (m * n) / 2) for (let k = Math.ceil(u); k < freq.length; k++) tail += freq[k]!;
  else for (let k = 0; k <= Math.floor(u); k++) tail += freq[k]!;
  return Math.min(1, (2 * tail) / total);
}

export function mannWhitneyU(a: ArrayLike<number>, b: ArrayLike<number>): MannWhitneyResult {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) throw new RangeError('mannWhitneyU: both samples need at least one value');
  const { rankSumA, tieTerm } = rankPooled(a, b);
  const u = rankSumA - (m * (m + 1)) / 2;
  if (m < EXACT_BELOW && n < EXACT_BELOW && tieTerm === 0) return { u, pValue: exactTwoSided(m, n, u), method: 'exact' };
  const total = m + n;
  const sigma = Math.sqrt(((m * n) / 12) * (total + 1 - tieTerm / (total * (total - 1))));
  const centred = u - (m * n) / 2;
  if (sigma === 0) return { u, pValue: 1, method: 'normal' };
  const z = (centred - 0.5 * Math.sign(centred)) / sigma;
  return { u, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1)), method: 'normal' };
}
