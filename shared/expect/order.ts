// `[expect.order]`: must_precede [a, b] — every span named b has a span named a that precedes it;
// must_follow [a, b] — every span named a has a span named b that precedes it; our
// must_precede_when_present [a, b] — as must_precede, but passes when there is no b; our
// must_precede_when_both_present [a, b] — passes when either is absent; our must_precede_sibling
// [a, b] — every b has, under its own parent, an a that ended before it started. "x precedes y" means
// x ended no later than y started (exact, nanoseconds), OR x is an ancestor of y: clnrm compares only
// end ≤ start, under which a parent can never precede its own child, which reads wrong for
// `must_precede = [["clnrm.run", "clnrm.step"]]`. See SEMANTICS.md.
import type { OrderExpectation } from '../spec/schema/expect';
import type { ExpectationResult } from './types';
import type { TraceIndex } from './trace-index';
import { findAncestor } from './trace-index';
import { compareNano, didYouMean, evidence, ms, nanoLE, q } from './util';

/** Index among `list` of the span that ends first (exact). */
function earliestEnd(index: TraceIndex, list: readonly number[]): number {
  let best = list[0]!;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const d = index.endUs[i]! - index.endUs[best]!;
    if (d < -1 || (d <= 1 && compareNano(index.spans[i]!.endTimeUnixNano, index.spans[best]!.endTimeUnixNano) < 0)) {
      best = i;
    }
  }
  return best;
}

export interface PrecedeOutcome {
  readonly passed: boolean;
  readonly message: string;
  readonly spans: string[];
}

/** Every span matching `second` has a span matching `first` before it (or as its ancestor). */
export function checkPrecedes(index: TraceIndex, first: string, second: string): PrecedeOutcome {
  const firsts = index.matching(first);
  const seconds = index.matching(second);
  const missing = firsts.length === 0 ? first : seconds.length === 0 ? second : undefined;
  if (missing !== undefined) {
    return {
      passed: false,
      message: `no span named ${q(missing)}, so ${q(first)} before ${q(second)} cannot hold.${didYouMean(index.names, missing)}`,
      spans: evidence(index, firsts.length ? firsts : seconds),
    };
  }
  const e = earliestEnd(index, firsts);
  const eSpan = index.spans[e]!;
  const isFirst = index.nameMask(first);
  const late: number[] = [];
  const proof: number[] = [];
  const eEnd = index.endUs[e]!;
  for (let k = 0; k < seconds.length; k++) {
    const s = seconds[k]!;
    const span = index.spans[s]!;
    if (eEnd < index.startUs[s]! - 1 || nanoLE(eEnd, eSpan.endTimeUnixNano, span.startUs, span.startTimeUnixNano)) {
      if (proof.length < 10) proof.push(e, s);
      continue;
    }
    const a = findAncestor(index, s, (j) => isFirst[index.nameId[j]!] === 1);
    if (a >= 0) {
      if (proof.length < 10) proof.push(a, s);
      continue;
    }
    late.push(s);
  }
  if (late.length === 0) {
    return {
      passed: true,
      message: `every ${q(second)} (${seconds.length}) is preceded by a ${q(first)}`,
      spans: evidence(index, proof),
    };
  }
  const l = index.spans[late[0]!]!;
  const gap = index.endUs[e]! - l.startUs;
  return {
    passed: false,
    message:
      `${late.length} of ${seconds.length} ${q(second)} spans start before any ${q(first)} has ended ` +
      `(and have no ${q(first)} ancestor); the earliest ${q(first)} ends ${ms(gap)} after ${l.spanId} starts`,
    spans: evidence(index, [...late, e]),
  };
}

/** A sibling of span `s` (same parent) whose name is in `isFirst` and that ended no later than `s` started; -1 if none. */
function siblingBefore(index: TraceIndex, s: number, isFirst: Uint8Array): number {
  const p = index.parent[s]!;
  if (p < 0) return -1;
  const { childStart, childList } = index.children();
  const span = index.spans[s]!;
  for (let c = childStart[p]!; c < childStart[p + 1]!; c++) {
    const a = childList[c]!;
    if (a !== s && isFirst[index.nameId[a]!] === 1 && nanoLE(index.endUs[a]!, index.spans[a]!.endTimeUnixNano, span.startUs, span.startTimeUnixNano)) return a;
  }
  return -1;
}

/**
 * Every span matching `second` has a sibling matching `first` that ended no later than it started: the
 * order inside one call, which `checkPrecedes` cannot see when `first` also happens elsewhere in the
 * trace (the select of an earlier request precedes every insert).
 */
export function checkPrecedesSibling(index: TraceIndex, first: string, second: string): PrecedeOutcome {
  const seconds = index.matching(second);
  if (seconds.length === 0) {
    return { passed: false, message: `no span named ${q(second)}, so a ${q(first)} before it under the same parent cannot hold.${didYouMean(index.names, second)}`, spans: [] };
  }
  const isFirst = index.nameMask(first);
  const late: number[] = [];
  const proof: number[] = [];
  for (const s of seconds) {
    const before = siblingBefore(index, s, isFirst);
    if (before < 0) late.push(s);
    else if (proof.length < 10) proof.push(before, s);
  }
  if (late.length === 0) {
    return { passed: true, message: `every ${q(second)} (${seconds.length}) is preceded by a ${q(first)} under the same parent`, spans: evidence(index, proof) };
  }
  return {
    passed: false,
    message: `${late.length} of ${seconds.length} ${q(second)} spans have no ${q(first)} under the same parent that ended before they started (first: ${index.spans[late[0]!]!.spanId})`,
    spans: evidence(index, late),
  };
}

export function evaluateOrder(order: OrderExpectation, index: TraceIndex, out: ExpectationResult[]): void {
  order.must_precede?.forEach(([a, b], i) => {
    out.push({ expectation: `expect.order.must_precede[${i}]`, kind: 'order', ...checkPrecedes(index, a, b) });
  });
  // The conditional form: "when b happens, a came before it" — nothing to judge without a b.
  order.must_precede_when_present?.forEach(([a, b], i) => {
    const expectation = `expect.order.must_precede_when_present[${i}]`;
    if (index.matching(b).length === 0) {
      out.push({ expectation, kind: 'order', passed: true, message: `no span named ${q(b)}: nothing must follow ${q(a)} (when_present)`, spans: [] });
    } else out.push({ expectation, kind: 'order', ...checkPrecedes(index, a, b) });
  });
  // "When both happen, a came before every b": for an optional first span (a db query only on a miss).
  order.must_precede_when_both_present?.forEach(([a, b], i) => {
    const expectation = `expect.order.must_precede_when_both_present[${i}]`;
    const absent = [a, b].find((n) => index.matching(n).length === 0);
    if (absent !== undefined) {
      out.push({ expectation, kind: 'order', passed: true, message: `no span named ${q(absent)}: ${q(a)} before ${q(b)} applies only when both are present`, spans: [] });
    } else out.push({ expectation, kind: 'order', ...checkPrecedes(index, a, b) });
  });
  order.must_precede_sibling?.forEach(([a, b], i) => {
    out.push({ expectation: `expect.order.must_precede_sibling[${i}]`, kind: 'order', ...checkPrecedesSibling(index, a, b) });
  });
  // must_follow [a, b] says a comes after b, i.e. b precedes a.
  order.must_follow?.forEach(([a, b], i) => {
    out.push({ expectation: `expect.order.must_follow[${i}]`, kind: 'order', ...checkPrecedes(index, b, a) });
  });
}
