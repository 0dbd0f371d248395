// Change points in a performance history, the way Hunter / Apache Otava find them (Fleming et al.,
// "Hunter: Using Change Point Detection to Hunt for Performance Regressions", ICPE 2023):
// 1. split: E-divisive means over overlapping windows (window_len, step window_len/2) with a weak
//    first-pass p-value (10 × the final one), every window's points united into "weak" change points;
// 2. merge: re-test every weak point with Student's t-test between its neighbours, repeatedly drop
//    the one with the highest p-value while it is above the strict p-value (then the smallest
//    relative change while it is below min magnitude), re-testing only its neighbours.
// Two additions of ours, each to keep one-off slow runs from faking or hiding changes: outliers are
// replaced by their local median first (Hampel filter, outliers.ts), and both sides of a change
// point need `minSegmentLength` points. `before`/`after` are means of the filtered values.
// The two passes give the low false-alarm rate: a point must be significant against the whole
// segments on both sides, not only inside one window. Deterministic: no permutation test.
//
// `ChangePointTracker` appends one point at a time: it re-splits only the last ≈4 windows (as
// Otava's incremental mode) and re-merges only the weak points after the last change point that is
// at least a window older than that re-split region (the anchor); decisions before the anchor are
// final. So an append costs the same whatever the series' length.
import { PrefixSeries, windowChangePoints } from './e-divisive';
import { HALF_WINDOW, hampelAt } from './outliers';

export interface ChangePointOptions {
  /** Points per E-divisive window (Otava's window_len). */
  readonly windowLength: number;
  /** The strict p-value a change point must reach (Otava's max_pvalue). */
  readonly maxPValue: number;
  /** Smallest relative change kept even when significant, e.g. 0.05 = 5 % (Otava's min_magnitude). */
  readonly minMagnitude: number;
  /**
   * Fewest points on each side of a change point. Not in Otava (it allows 1): a run of one or two
   * slow points is an outlier (a GC pause, a noisy neighbour), not a new level, and a t-test calls
   * it highly significant. The cost: a new regression is reported once it has this many points.
   */
  readonly minSegmentLength: number;
}

/**
 * Otava's window and min magnitude; a p-value 10 × stricter than Otava's 0.001 (at 0.001 the
 * regression-injection suite alerted on ~5 % of flat series, at 0.0001 on < 1 %, finding as many
 * shifts) and a minimum segment of our own.
 */
export const DEFAULT_CHANGE_POINT_OPTIONS: ChangePointOptions = { windowLength: 50, maxPValue: 0.0001, minMagnitude: 0, minSegmentLength: 3 };

export interface ChangePoint {
  /** Index of the first point of the new regime. */
  readonly index: number;
  /** Mean of the segment before (from the previous change point). */
  readonly before: number;
  /** Mean of the segment after (up to the next change point). */
  readonly after: number;
  /** (after / before − 1) × 100; ±Infinity (or 0) when `before` is 0. */
  readonly changePercent: number;
  /** Two-sided Student's t-test p-value of the two segments. */
  readonly pValue: number;
}

/** Otava's first-pass p-value: looser than the final one so the split does not stop too early. */
function firstPassPValue(maxPValue: number): number {
  if (maxPValue < 0.05) return maxPValue * 10;
  return maxPValue < 0.5 ? maxPValue * 2 : maxPValue;
}

function checkOptions(options: Partial<ChangePointOptions>): ChangePointOptions {
  const o = { ...DEFAULT_CHANGE_POINT_OPTIONS, ...options };
  if (!Number.isInteger(o.windowLength) || o.windowLength < 4) throw new RangeError(`change points: windowLength must be an integer ≥ 4, got ${o.windowLength}`);
  if (!(o.maxPValue > 0 && o.maxPValue < 1)) throw new RangeError(`change points: maxPValue must be within (0, 1), got ${o.maxPValue}`);
  if (!Number.isInteger(o.minSegmentLength) || o.minSegmentLength < 1 || 2 * o.minSegmentLength > o.windowLength) {
    throw new RangeError(`change points: minSegmentLength must be an integer within [1, windowLength / 2], got ${o.minSegmentLength}`);
  }
  if (!(o.minMagnitude >= 0)) throw new RangeError(`change points: minMagnitude must be ≥ 0, got ${o.minMagnitude}`);
  return o;
}

/**
 * The change point at `index` tested between the segments [lo, index) and [index, hi); a side
 * shorter than `minSegment` (two weak points from different windows) counts as not significant.
 */
function assess(series: PrefixSeries, lo: number, index: number, hi: number, minSegment: number): ChangePoint {
  const before = series.moments(lo, index).mean;
  const after = series.moments(index, hi).mean;
  const changePercent = before === 0 ? (after === 0 ? 0 : Math.sign(after) * Infinity) : (after / before - 1) * 100;
  const tooShort = index - lo < minSegment || hi - index < minSegment;
  return { index, before, after, changePercent, pValue: tooShort ? 1 : series.test(lo, index, hi).pValue };
}

/** Otava's change magnitude: the larger of the forward and backward relative changes. */
function magnitude(cp: ChangePoint): number {
  const forward = cp.before === 0 ? 0 : Math.abs(cp.after / cp.before - 1);
  const backward = cp.after === 0 ? 0 : Math.abs(cp.before / cp.after - 1);
  return Math.max(forward, backward);
}

/**
 * Weak change points in [from, series.length): windows slide by half a window, and a window after a
 * found point starts at that point (Otava's split).
 */
function split(series: PrefixSeries, from: number, options: ChangePointOptions): number[] {
  const step = Math.floor(options.windowLength / 2);
  const pValue = firstPassPValue(options.maxPValue);
  const found = new Set<number>();
  for (let start = from; start < series.length; ) {
    const length = Math.min(options.windowLength, series.length - start);
    const points = windowChangePoints(series, start, length, pValue, options.minSegmentLength);
    for (const p of points) found.add(p);
    start = Math.max(points.length ? points[points.length - 1]! : 0, start + step);
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * Otava's merge over the sorted weak points `indices`, between the fixed bounds `lo` (a kept change
 * point or 0) and the series' end; returns the kept change points.
 */
function merge(series: PrefixSeries, lo: number, indices: readonly number[], options: ChangePointOptions): ChangePoint[] {
  const hi = series.length;
  const m = options.minSegmentLength;
  const kept = indices.map((index, k) => assess(series, k === 0 ? lo : indices[k - 1]!, index, k + 1 < indices.length ? indices[k + 1]! : hi, m));
  const reassess = (k: number): void => {
    if (k < 0 || k >= kept.length) return;
    kept[k] = assess(series, k === 0 ? lo : kept[k - 1]!.index, kept[k]!.index, k + 1 < kept.length ? kept[k + 1]!.index : hi, m);
  };
  while (kept.length > 0) {
    let weakest = 0;
    for (let k = 1; k < kept.length; k++) if (kept[k]!.pValue > kept[weakest]!.pValue) weakest = k;
    if (kept[weakest]!.pValue <= options.maxPValue) {
      for (let k = 1; k < kept.length; k++) if (magnitude(kept[k]!) < magnitude(kept[weakest]!)) weakest = k;
      if (magnitude(kept[weakest]!) >= options.minMagnitude) return kept;
    }
    kept.splice(weakest, 1);
    reassess(weakest - 1);
    reassess(weakest);
  }
  return kept;
}

function checkValue(value: number, index: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`change points: value ${index} is ${value}; every value must be a finite number`);
}

/** Change points of a whole series (batch). */
export function detectChangePoints(values: ArrayLike<number>, options: Partial<ChangePointOptions> = {}): ChangePoint[] {
  return [...ChangePointTracker.analysed(values, options).changePoints()];
}

/** A series analysed as it grows: `append` re-analyses only its recent part (see the module comment). */
export class ChangePointTracker {
  private readonly options: ChangePointOptions;
  private readonly raw: number[] = [];
  /** The raw values through the outlier filter. */
  private readonly series = new PrefixSeries();
  private weak: number[] = [];
  private kept: ChangePoint[] = [];

  constructor(options: Partial<ChangePointOptions> = {}) {
    this.options = checkOptions(options);
  }

  /** A tracker holding `values` analysed in one batch pass, ready for `append`. */
  static analysed(values: ArrayLike<number>, options: Partial<ChangePointOptions> = {}): ChangePointTracker {
    const tracker = new ChangePointTracker(options);
    for (let i = 0; i < values.length; i++) checkValue(values[i]!, i);
    for (let i = 0; i < values.length; i++) {
      tracker.raw.push(values[i]!);
      tracker.series.push(hampelAt(values, values.length, i));
    }
    tracker.weak = split(tracker.series, 0, tracker.options);
    tracker.kept = merge(tracker.series, 0, tracker.weak, tracker.options);
    return tracker;
  }

  get length(): number {
    return this.series.length;
  }

  /** The change points found so far, oldest first. */
  changePoints(): readonly ChangePoint[] {
    return this.kept;
  }

  append(value: number): void {
    checkValue(value, this.raw.length);
    this.raw.push(value);
    // The new point changes the filter window of the last HALF_WINDOW points too.
    const n = this.raw.length;
    this.series.truncate(Math.max(0, n - 1 - HALF_WINDOW));
    for (let i = this.series.length; i < n; i++) this.series.push(hampelAt(this.raw, n, i));
    const from = this.resplitStart();
    // As Otava, old weak points stay (the merge re-tests them): windows that start later than the
    // batch's would miss some, e.g. one just after a window's start.
    const recent = new Set(this.weak.splice(firstAtOrAfter(this.weak, from)));
    for (const i of split(this.series, from, this.options)) recent.add(i);
    this.weak.push(...[...recent].sort((a, b) => a - b));
    // The anchor: the last change point at least a window older than the re-split region. Weak
    // points between it and `frozenBelow` were dropped by earlier merges, and that stays final.
    const frozenBelow = from - this.options.windowLength;
    let anchorAt = -1;
    for (let k = this.kept.length - 1; k >= 0; k--) {
      if (this.kept[k]!.index < frozenBelow) {
        anchorAt = k;
        break;
      }
    }
    const lo = anchorAt === -1 ? 0 : this.kept[anchorAt]!.index;
    const candidates = this.weak.slice(firstAtOrAfter(this.weak, Math.max(lo + 1, frozenBelow)));
    const tail = merge(this.series, lo, candidates, this.options);
    this.kept.splice(anchorAt + 1, Infinity, ...tail);
    if (anchorAt !== -1) {
      const before = anchorAt === 0 ? 0 : this.kept[anchorAt - 1]!.index;
      const after = tail.length ? tail[0]!.index : this.series.length;
      this.kept[anchorAt] = assess(this.series, before, lo, after, this.options.minSegmentLength);
    }
  }

  /**
   * Where re-splitting starts (Otava's incremental split): the later of the last weak point and the
   * last window boundary that are both at least 4 windows (+ the new point) before the end.
   */
  private resplitStart(): number {
    const w = this.options.windowLength;
    const maxStart = this.series.length - (1 / w + 4) * w;
    if (maxStart <= 0) return 0;
    const before = firstAtOrAfter(this.weak, maxStart);
    const lastWeak = before === 0 ? 0 : this.weak[before - 1]!;
    const step = Math.floor(w / 2);
    return Math.max(lastWeak, Math.floor((maxStart - 1) / step) * step);
  }
}

/** Position of the first value ≥ `value` in an ascending array (binary search). */
function firstAtOrAfter(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
