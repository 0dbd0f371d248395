// How sure a mined invariant is, as numbers a user can check (README "Suggested assertions"):
// - structural facts seen in every one of n runs (a span, its parent, a constant, an order):
//   Daikon's justification, 1 − 2⁻ⁿ — the chance it held n times by a coin flip is 2⁻ⁿ;
// - a closed-world absence (an edge never seen) over m opportunities: Laplace's rule of
//   succession, 1 − 1/(m + 2);
// - observed bounds without a buffer: a fresh sample exceeds the range of n with probability
//   2/(n + 1), so (n − 1)/(n + 1);
// - buffered bounds on positive values: a log-normal fitted robustly (median and MAD of the
//   logarithms) gives the probability a fresh value falls outside; capped by 1 − 2⁻ⁿ. A duration's
//   lower bound instead gets the distribution-free n/(n + 1): recorded runs got faster when the
//   machine's load fell, which no fit of the slower runs foresees.

import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { quantileSorted as quantile } from '../perf/stats';

export function structural(n: number): number {
  return 1 - 2 ** -n;
}

export function closedWorld(opportunities: number): number {
  return 1 - 1 / (opportunities + 2);
}

export function observedRange(n: number): number {
  return n < 1 ? 0 : (n - 1) / (n + 1);
}

/** A fresh sample falls below the smallest of n with probability 1/(n + 1), whatever the distribution. */
export function aboveObservedMinimum(n: number): number {
  return n / (n + 1);
}

export interface Bounds {
  readonly lo: number;
  readonly hi: number;
  /** From the log-normal fit, capped by 1 − 2⁻ⁿ: that a fresh value is not above `hi`… */
  readonly upperConfidence: number;
  /** …not below `lo`… */
  readonly lowerConfidence: number;
  /** …and within both. */
  readonly confidence: number;
  /** `hi` is the largest value plus the slack (the other two rules gave less). */
  readonly bySlack: boolean;
}

/**
 * Bounds for positive values, the buffer applied both ways: below, the smallest value seen divided by
 * `buffer` (recorded demo runs got faster as the machine's load fell, and the 5th percentile over a
 * buffer cut them); above, the 95th percentile times `buffer`, never inside the largest value seen
 * times √buffer, nor inside the largest value seen plus `slack` (for durations: the longest stall seen
 * on the service, see mine-spans.ts), so every value seen passes with room to spare.
 */
export function bufferedBounds(values: readonly number[], buffer: number, slack = 0): Bounds {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const lo = sorted[0]! / buffer;
  const buffered = Math.max(quantile(sorted, 0.95) * buffer, sorted[n - 1]! * Math.sqrt(buffer));
  const hi = Math.max(buffered, sorted[n - 1]! + slack);
  const logs = sorted.map((v) => Math.log(Math.max(v, 1e-9)));
  const mu = quantile(logs, 0.5);
  const mad = quantile(
    logs.map((l) => Math.abs(l - mu)).sort((a, b) => a - b),
    0.5,
  );
  const sigma = 1.4826 * mad;
  const below = sigma === 0 ? 0 : normalCdf((Math.log(Math.max(lo, 1e-9)) - mu) / sigma, 0, 1);
  const above = sigma === 0 ? 0 : 1 - normalCdf((Math.log(hi) - mu) / sigma, 0, 1);
  const cap = structural(n);
  return { lo, hi, upperConfidence: Math.min(1 - above, cap), lowerConfidence: Math.min(1 - below, cap), confidence: Math.min(1 - below - above, cap), bySlack: hi > buffered };
}

/** Rounds a bound outward to 3 significant digits, so written numbers stay readable. */
export function roundOut(value: number, direction: 'down' | 'up'): number {
  if (value <= 0) return 0;
  const scale = 10 ** (Math.floor(Math.log10(value)) - 2);
  const r = direction === 'up' ? Math.ceil(value / scale) * scale : Math.floor(value / scale) * scale;
  return Number(r.toPrecision(3));
}
