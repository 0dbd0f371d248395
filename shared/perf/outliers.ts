// Hampel filter: a point further than THRESHOLD robust standard deviations (1.4826 × MAD) from the
// median of its centred window is an outlier and is replaced by that median. A one-off slow run (a GC
// pause, a noisy neighbour) would otherwise both fake a change point and inflate the variance that
// hides real ones from the t-test. A centred window follows a genuine step (the median of a window
// straddling it is bimodal, its MAD large), so steps are kept.

/** Points on each side of the centre. */
export const HALF_WINDOW = 5;
const THRESHOLD = 5;
const MAD_TO_SIGMA = 1.4826;

function median(sorted: Float64Array): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The filtered value of point `i` of `values[0, length)` (its window is cut at both ends). */
export function hampelAt(values: ArrayLike<number>, length: number, i: number): number {
  const lo = Math.max(0, i - HALF_WINDOW);
  const hi = Math.min(length, i + HALF_WINDOW + 1);
  const window = new Float64Array(hi - lo);
  for (let k = lo; k < hi; k++) window[k - lo] = values[k]!;
  window.sort();
  const centre = median(window);
  for (let k = 0; k < window.length; k++) window[k] = Math.abs(window[k]! - centre);
  window.sort();
  const sigma = MAD_TO_SIGMA * median(window);
  const x = values[i]!;
  return Math.abs(x - centre) > THRESHOLD * sigma && sigma > 0 ? centre : x;
}
