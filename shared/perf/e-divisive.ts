// The building blocks of the change-point detector: a growable series with prefix sums (so the
// t-test of any segment costs O(1)), and E-divisive means (Matteson & James 2014) inside one window:
// the split τ of a segment that maximises the energy-distance divergence Q̂ between the points before
// it and the points in [τ, κ) for the best κ, as Apache Otava computes it (α = 1).
import { studentTTest, type Moments, type TTestResult } from './stats';

/** Values kept with running sums of (x − first value) and its square, for O(1) segment moments. */
export class PrefixSeries {
  private data = new Float64Array(64);
  private sums = new Float64Array(65);
  private squares = new Float64Array(65);
  private size = 0;

  get length(): number {
    return this.size;
  }

  at(i: number): number {
    return this.data[i]!;
  }

  push(value: number): void {
    if (this.size === this.data.length) this.grow();
    this.data[this.size] = value;
    // Shifting by the first value keeps Σx² small for series far from zero (nanosecond timings).
    const shifted = value - this.data[0]!;
    this.sums[this.size + 1] = this.sums[this.size]! + shifted;
    this.squares[this.size + 1] = this.squares[this.size]! + shifted * shifted;
    this.size++;
  }

  /** Keeps the first `length` values (the sums of those are unchanged). */
  truncate(length: number): void {
    this.size = Math.min(this.size, length);
  }

  /** Count, mean and sample variance of values [lo, hi). */
  moments(lo: number, hi: number): Moments {
    const n = hi - lo;
    const sum = this.sums[hi]! - this.sums[lo]!;
    const shiftedMean = sum / n;
    const ss = this.squares[hi]! - this.squares[lo]! - sum * shiftedMean;
    return { n, mean: shiftedMean + this.data[0]!, variance: n < 2 ? 0 : Math.max(0, ss) / (n - 1) };
  }

  /** Student's t-test of [lo, mid) against [mid, hi), the test Hunter/Otava use. */
  test(lo: number, mid: number, hi: number): TTestResult {
    return studentTTest(this.moments(lo, mid), this.moments(mid, hi));
  }

  private grow(): void {
    const data = new Float64Array(this.data.length * 2);
    data.set(this.data);
    const sums = new Float64Array(data.length + 1);
    sums.set(this.sums);
    const squares = new Float64Array(data.length + 1);
    squares.set(this.squares);
    this.data = data;
    this.sums = sums;
    this.squares = squares;
  }
}

/**
 * Sums of pairwise distances inside one window: `pairSum(a, b)` = Σ_{a≤i<j<b} |x_i − x_j| for window-
 * local 0 ≤ a ≤ b ≤ length, in a (length+1)² table built in O(length²).
 */
class WindowPairSums {
  readonly table: Float64Array;
  readonly stride: number;

  constructor(series: PrefixSeries, start: number, length: number) {
    this.stride = length + 1;
    this.table = new Float64Array(this.stride * this.stride);
    for (let b = 2; b <= length; b++) {
      const newest = series.at(start + b - 1);
      let column = 0;
      for (let a = b - 2; a >= 0; a--) {
        column += Math.abs(series.at(start + a) - newest);
        this.table[a * this.stride + b] = this.table[a * this.stride + b - 1]! + column;
      }
    }
  }

  pairSum(a: number, b: number): number {
    return this.table[a * this.stride + b]!;
  }
}

interface Candidate {
  /** Window-local index of the first point after the split. */
  readonly tau: number;
  readonly q: number;
}

/**
 * The τ in (s, e) maximising max_κ Q̂(τ, κ) over the window-local segment [s, e), with at least
 * `minSegment` points on each side, or undefined.
 */
function bestSplit(pairs: WindowPairSums, s: number, e: number, minSegment: number): Candidate | undefined {
  let best: Candidate | undefined;
  for (let tau = s + minSegment; tau <= e - minSegment; tau++) {
    const nx = tau - s;
    const inX = pairs.pairSum(s, tau);
    const withinX = nx >= 2 ? inX / ((nx * (nx - 1)) / 2) : 0;
    // Rows of the table for a = s and a = τ, read directly in this innermost loop.
    const fromS = s * pairs.stride;
    const fromTau = tau * pairs.stride;
    for (let kappa = tau + minSegment; kappa <= e; kappa++) {
      const ny = kappa - tau;
      const inY = pairs.table[fromTau + kappa]!;
      const between = pairs.table[fromS + kappa]! - inX - inY;
      const withinY = ny >= 2 ? inY / ((ny * (ny - 1)) / 2) : 0;
      const q = ((nx * ny) / (nx + ny)) * ((2 * between) / (nx * ny) - withinX - withinY);
      if (best === undefined || q > best.q) best = { tau, q };
    }
  }
  return best;
}

/**
 * Change points inside the window [start, start + length), as global indices ascending: E-divisive
 * hierarchical splitting, each candidate kept while the t-test of its segment's two sides has
 * p ≤ maxPValue (Otava's ChangePointDetector with its t-test significance tester). Unlike Otava,
 * both sides need `minSegment` points (see ChangePointOptions.minSegmentLength).
 */
export function windowChangePoints(series: PrefixSeries, start: number, length: number, maxPValue: number, minSegment: number): number[] {
  if (length < 2 * minSegment) return [];
  const pairs = new WindowPairSums(series, start, length);
  const found: number[] = [];
  for (;;) {
    const bounds = [0, ...found.map((i) => i - start), length];
    let best: (Candidate & { s: number; e: number }) | undefined;
    for (let k = 0; k + 1 < bounds.length; k++) {
      const c = bestSplit(pairs, bounds[k]!, bounds[k + 1]!, minSegment);
      if (c && (best === undefined || c.q > best.q)) best = { ...c, s: bounds[k]!, e: bounds[k + 1]! };
    }
    if (!best) return found;
    const { pValue } = series.test(start + best.s, start + best.tau, start + best.e);
    if (!(pValue <= maxPValue)) return found;
    found.push(start + best.tau);
    found.sort((a, b) => a - b);
  }
}
