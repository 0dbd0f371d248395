// `[[expect.window]]`: every span named in `contains` lies inside (start ≥, end ≤) some span named
// `outer`. clnrm checks only the first span of each name; we check every span, so a repeated step
// that escapes its run is caught. Each contained name needs at least one span. `max_duration_ms` /
// `min_duration_ms` bound every `outer` span's duration, or without `outer` the whole trace's.
import type { WindowExpectation } from '../spec/schema/expect';
import type { ExpectationResult } from './types';
import type { TraceIndex } from './trace-index';
import { didYouMean, evidence, ms, nanoLE, plural, q } from './util';

/** Outer spans sorted by start, with the running maximum end, for a binary search per inner span. */
interface Windows {
  readonly order: number[];
  readonly maxEndAt: number[];
  readonly maxEndIdx: number[];
}

function prepare(index: TraceIndex, outers: readonly number[]): Windows {
  const order = [...outers].sort((a, b) => index.startUs[a]! - index.startUs[b]!);
  const maxEndAt: number[] = [];
  const maxEndIdx: number[] = [];
  let best = -1;
  for (let k = 0; k < order.length; k++) {
    const o = order[k]!;
    if (best < 0 || index.endUs[o]! > index.endUs[best]!) best = o;
    maxEndAt.push(index.endUs[best]!);
    maxEndIdx.push(best);
  }
  return { order, maxEndAt, maxEndIdx };
}

/** Exact: span o starts no later and ends no earlier than span i. */
function contains(index: TraceIndex, o: number, i: number): boolean {
  const { startUs, endUs } = index;
  const so = startUs[o]!;
  const si = startUs[i]!;
  const eo = endUs[o]!;
  const ei = endUs[i]!;
  // Typed arrays decide unless the instants are within 1 µs; only then read the exact strings.
  if (so < si - 1 && ei < eo - 1) return true;
  if (so > si + 1 || ei > eo + 1) return false;
  const os = index.spans[o]!;
  const s = index.spans[i]!;
  return nanoLE(so, os.startTimeUnixNano, si, s.startTimeUnixNano) && nanoLE(ei, s.endTimeUnixNano, eo, os.endTimeUnixNano);
}

/** An outer span containing span i, or -1. */
function container(index: TraceIndex, w: Windows, i: number): number {
  // Last outer whose start ≤ the inner start (+1 µs so sub-µs ties are settled exactly below).
  let lo = 0;
  let hi = w.order.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (index.startUs[w.order[mid]!]! <= index.startUs[i]! + 1) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Walk back over the few candidates near the boundary; the prefix maximum makes older ones redundant.
  for (let k = at; k >= 0; k--) {
    const o = w.maxEndIdx[k]!;
    if (w.maxEndAt[k]! < index.endUs[i]! - 1) return -1;
    if (contains(index, o, i)) return o;
    if (k < at - 8) break;
  }
  return -1;
}

export function evaluateWindow(window: WindowExpectation, position: number, index: TraceIndex, out: ExpectationResult[]): void {
  if (window.outer !== undefined && window.contains) evaluateContains(window.outer, window.contains, position, index, out);
  if (window.max_duration_ms !== undefined || window.min_duration_ms !== undefined) evaluateDuration(window, position, index, out);
}

function boundText(window: WindowExpectation): string {
  const parts = [window.min_duration_ms !== undefined ? `≥ ${window.min_duration_ms} ms` : '', window.max_duration_ms !== undefined ? `≤ ${window.max_duration_ms} ms` : ''];
  return parts.filter(Boolean).join(' and ');
}

function withinBounds(window: WindowExpectation, us: number): boolean {
  return (window.max_duration_ms === undefined || us <= window.max_duration_ms * 1000) && (window.min_duration_ms === undefined || us >= window.min_duration_ms * 1000);
}

/** Each `outer` span's duration, or (without `outer`) first start to last end over all spans. */
function evaluateDuration(window: WindowExpectation, position: number, index: TraceIndex, out: ExpectationResult[]): void {
  const expectation = `expect.window[${position}].duration`;
  const n = index.spans.length;
  if (window.outer === undefined) {
    if (n === 0) {
      out.push({ expectation, kind: 'window', passed: false, message: `no spans, so the trace's duration cannot be ${boundText(window)}`, spans: [] });
      return;
    }
    let first = 0;
    let last = 0;
    for (let i = 1; i < n; i++) {
      if (index.startUs[i]! < index.startUs[first]!) first = i;
      if (index.endUs[i]! > index.endUs[last]!) last = i;
    }
    const us = index.endUs[last]! - index.startUs[first]!;
    const passed = withinBounds(window, us);
    out.push({ expectation, kind: 'window', passed, message: `the trace spans ${ms(us)} (first start to last end), expected ${boundText(window)}`, spans: evidence(index, [first, last]) });
    return;
  }
  const outers = index.matching(window.outer);
  if (outers.length === 0) {
    out.push({ expectation, kind: 'window', passed: false, message: `no span named ${q(window.outer)}, so its duration cannot be ${boundText(window)}.${didYouMean(index.names, window.outer)}`, spans: [] });
    return;
  }
  const outside = outers.filter((o) => !withinBounds(window, index.endUs[o]! - index.startUs[o]!));
  const shown = outside.length > 0 ? outside[0]! : outers[0]!;
  out.push({
    expectation,
    kind: 'window',
    passed: outside.length === 0,
    message:
      outside.length === 0
        ? `${plural(outers.length, 'span')} named ${q(window.outer)}, each ${boundText(window)}`
        : `${outside.length} of ${outers.length} ${q(window.outer)} spans last outside ${boundText(window)} (first: ${index.spans[shown]!.spanId}, ${ms(index.endUs[shown]! - index.startUs[shown]!)})`,
    spans: evidence(index, outside.length > 0 ? outside : outers),
  });
}

function evaluateContains(outer: string, contained: readonly string[], position: number, index: TraceIndex, out: ExpectationResult[]): void {
  const window = { outer, contains: contained };
  const outers = index.matching(window.outer);
  const w = outers.length ? prepare(index, outers) : undefined;
  window.contains.forEach((name, k) => {
    const expectation = `expect.window[${position}].contains[${k}]`;
    const inner = index.matching(name);
    if (!w || inner.length === 0) {
      const missing = !w ? window.outer : name;
      out.push({
        expectation,
        kind: 'window',
        passed: false,
        message: `no span named ${q(missing)}, so ${q(name)} inside ${q(window.outer)} cannot hold.${didYouMean(index.names, missing)}`,
        spans: evidence(index, !w ? inner : outers),
      });
      return;
    }
    const proof: number[] = [];
    const outside: number[] = [];
    const isOuter = index.nameMask(window.outer);
    for (let k = 0; k < inner.length; k++) {
      const i = inner[k]!;
      // Most inner spans sit directly under their window: try the parent before searching.
      const p = index.parent[i]!;
      const o = p >= 0 && isOuter[index.nameId[p]!] === 1 && contains(index, p, i) ? p : container(index, w, i);
      if (o >= 0) {
        if (proof.length < 10) proof.push(o, i);
      } else outside.push(i);
    }
    if (outside.length === 0) {
      out.push({
        expectation,
        kind: 'window',
        passed: true,
        message: `${inner.length === 1 ? 'the only' : 'all'} ${plural(inner.length, 'span')} named ${q(name)} ${inner.length === 1 ? 'lies' : 'lie'} inside a ${q(window.outer)} span`,
        spans: evidence(index, proof),
      });
      return;
    }
    const first = index.spans[outside[0]!]!;
    out.push({
      expectation,
      kind: 'window',
      passed: false,
      message:
        `${outside.length} of ${inner.length} ${q(name)} spans lie outside every ${q(window.outer)} span ` +
        `(first: ${first.spanId}, ${ms(first.durationUs)} long)`,
      spans: evidence(index, outside),
    });
  });
}
