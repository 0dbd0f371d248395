// Helpers shared by the expectation families: evidence lists, count bounds, exact time order,
// edit distance for "did you mean", and quoting for result paths and messages.
import type { CountBound } from '../spec/schema/expect';
import type { TraceIndex } from './trace-index';

/** At most this many span ids are listed as evidence; the message says how many there were. */
export const MAX_EVIDENCE = 100;

export function evidence(index: TraceIndex, spanIdx: Iterable<number>, max = MAX_EVIDENCE): string[] {
  const out: string[] = [];
  for (const i of spanIdx) {
    if (out.length >= max) break;
    out.push(index.spans[i]!.spanId);
  }
  return out;
}

/** `"db.query"` — names in paths and messages are always quoted so dots and spaces stay readable. */
export function q(name: string): string {
  return JSON.stringify(name);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function boundHolds(bound: CountBound, value: number): boolean {
  if (bound.eq !== undefined && value !== bound.eq) return false;
  if (bound.gte !== undefined && value < bound.gte) return false;
  if (bound.lte !== undefined && value > bound.lte) return false;
  return true;
}

export function describeBound(bound: CountBound): string {
  const parts: string[] = [];
  if (bound.eq !== undefined) parts.push(`= ${bound.eq}`);
  if (bound.gte !== undefined) parts.push(`>= ${bound.gte}`);
  if (bound.lte !== undefined) parts.push(`<= ${bound.lte}`);
  return parts.join(' and ');
}

/** Compare two exact nanosecond decimal strings (no leading zeros) without float loss. */
export function compareNano(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Exact "a ≤ b" over timestamps given as µs numbers plus their nanosecond strings: the numbers
 * decide when they are clearly apart, the strings settle sub-µs ties exactly.
 */
export function nanoLE(aUs: number, aNano: string, bUs: number, bNano: string): boolean {
  if (aUs < bUs - 1) return true;
  if (aUs > bUs + 1) return false;
  return compareNano(aNano, bNano) <= 0;
}

/** Levenshtein distance with an early exit once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Up to `max` names closest to `target` by edit distance (only reasonably close ones). */
export function nearestNames(names: readonly string[], target: string, max = 3): string[] {
  const limit = Math.max(2, Math.floor(target.length / 3));
  const scored: { name: string; d: number }[] = [];
  for (const name of names) {
    const d = editDistance(name, target, limit);
    if (d <= limit) scored.push({ name, d });
  }
  scored.sort((x, y) => x.d - y.d || (x.name < y.name ? -1 : 1));
  return scored.slice(0, max).map((s) => s.name);
}

export function didYouMean(names: readonly string[], target: string): string {
  const near = nearestNames(names, target);
  return near.length ? ` Did you mean ${near.map(q).join(', ')}?` : '';
}

/** Strips the optional `span:` prefix the v2 design writes before span names. */
export function spanRefName(ref: string): string {
  return ref.startsWith('span:') ? ref.slice(5) : ref;
}

export function ms(us: number): string {
  const v = us / 1000;
  return `${Number.isInteger(v) ? v : v.toFixed(3)} ms`;
}
