// `[orchestration.temporal]` (clnrm v2 design): happens_before with a maximum gap, causal chains,
// concurrent overlap and latency percentiles. Rules and the choices made where the design is vague
// are in SEMANTICS.md.
import type { TemporalConfig, TemporalConstraint } from '../spec/schema/expect';
import type { ExpectationResult } from './types';
import type { TraceIndex } from './trace-index';
import { causalChain } from './causal';
import { compareNano, didYouMean, evidence, ms, plural, q, spanRefName } from './util';

type Outcome = Omit<ExpectationResult, 'expectation' | 'kind'>;

function missingName(index: TraceIndex, names: readonly string[]): Outcome | undefined {
  for (const name of names) {
    if (index.matching(name).length === 0) {
      return { passed: false, message: `no span named ${q(name)}.${didYouMean(index.names, name)}`, spans: [] };
    }
  }
  return undefined;
}

/** Every `second` span starts after some `first` span ended, at most max_gap_ms later. */
function happensBefore(index: TraceIndex, c: Extract<TemporalConstraint, { type: 'happens_before' }>): Outcome {
  const first = spanRefName(c.first);
  const second = spanRefName(c.second);
  const missing = missingName(index, [first, second]);
  if (missing) return missing;
  const { spans, endUs } = index;
  const firsts = [...index.matching(first)].sort((a, b) => endUs[a]! - endUs[b]!);
  const maxGapUs = c.max_gap_ms === undefined ? Infinity : c.max_gap_ms * 1000;
  const bad: number[] = [];
  const proof: number[] = [];
  let worst = '';
  const seconds = index.matching(second);
  for (let k = 0; k < seconds.length; k++) {
    const s = seconds[k]!;
    const start = index.startUs[s]!;
    // Latest first-span end at or before this start: binary search on µs, exact check on ns strings.
    let lo = 0;
    let hi = firsts.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (endUs[firsts[mid]!]! <= start + 1) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    while (at >= 0 && compareNano(spans[firsts[at]!]!.endTimeUnixNano, spans[s]!.startTimeUnixNano) > 0) at--;
    if (at < 0) {
      bad.push(s);
      worst ||= `${spans[s]!.spanId} starts before any ${q(first)} has ended`;
      continue;
    }
    const f = firsts[at]!;
    const gap = start - endUs[f]!;
    if (gap > maxGapUs) {
      bad.push(s);
      worst ||= `${spans[s]!.spanId} starts ${ms(gap)} after the nearest ${q(first)} ended (max ${c.max_gap_ms} ms)`;
      continue;
    }
    if (proof.length < 10) proof.push(f, s);
  }
  if (bad.length === 0) {
    const gapText = c.max_gap_ms === undefined ? '' : ` within ${c.max_gap_ms} ms`;
    return { passed: true, message: `every ${q(second)} starts after a ${q(first)} ended${gapText}`, spans: evidence(index, proof) };
  }
  return { passed: false, message: `${plural(bad.length, `${q(second)} span`)} violate happens_before: ${worst}`, spans: evidence(index, bad) };
}

function causalOrdering(index: TraceIndex, c: Extract<TemporalConstraint, { type: 'causal_ordering' }>): Outcome {
  const names = c.spans.map(spanRefName);
  const missing = missingName(index, names);
  if (missing) return missing;
  const { chain, inverted } = causalChain(index, names);
  const arrow = names.map(q).join(' → ');
  if (inverted) {
    const [later, earlier] = inverted;
    return {
      passed: false,
      message: `causality inverted: ${q(index.spans[earlier]!.name)} runs inside ${q(index.spans[later]!.name)}, against ${arrow}`,
      spans: evidence(index, [later, earlier]),
    };
  }
  if (!chain) {
    return { passed: false, message: `no chain of descendants ${arrow} found in any trace`, spans: [] };
  }
  return { passed: true, message: `causal chain ${arrow} found`, spans: evidence(index, chain) };
}

/** Largest common overlap of one span per name: max over candidate start T of min(max end with start ≤ T) − T. */
function concurrentOverlap(index: TraceIndex, c: Extract<TemporalConstraint, { type: 'concurrent_overlap' | 'concurrent' }>): Outcome {
  const names = c.spans.map(spanRefName);
  const missing = missingName(index, names);
  if (missing) return missing;
  const { startUs, endUs } = index;
  const groups = names.map((name) => {
    const order = [...index.matching(name)].sort((a, b) => startUs[a]! - startUs[b]!);
    const bestIdx: number[] = [];
    let best = -1;
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      if (best < 0 || endUs[i]! > endUs[best]!) best = i;
      bestIdx.push(best);
    }
    return { order, bestIdx };
  });
  const starts = Float64Array.from(groups.flatMap((g) => g.order.map((i) => startUs[i]!))).sort();
  const pos = groups.map(() => -1);
  let bestOverlap = -Infinity;
  let bestPick: number[] = [];
  for (const t of starts) {
    let minEnd = Infinity;
    const pick: number[] = [];
    let ok = true;
    groups.forEach((g, k) => {
      while (pos[k]! + 1 < g.order.length && startUs[g.order[pos[k]! + 1]!]! <= t) pos[k]!++;
      if (pos[k]! < 0) ok = false;
      else {
        const i = g.bestIdx[pos[k]!]!;
        pick.push(i);
        if (endUs[i]! < minEnd) minEnd = endUs[i]!;
      }
    });
    if (ok && minEnd - t > bestOverlap) {
      bestOverlap = minEnd - t;
      bestPick = pick;
    }
  }
  const minUs = (c.min_overlap_ms ?? 0) * 1000;
  const passed = bestOverlap > 0 && bestOverlap >= minUs;
  const want = c.min_overlap_ms ? ` (need ${c.min_overlap_ms} ms)` : '';
  return {
    passed,
    message:
      bestOverlap > 0
        ? `${names.map(q).join(', ')} overlap by at most ${ms(bestOverlap)}${want}`
        : `${names.map(q).join(', ')} never all run at the same time${want}`,
    spans: evidence(index, bestPick),
  };
}

const PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const;

/** Nearest-rank percentile: the value at rank ⌈p/100 · n⌉ of the ascending durations. */
export function nearestRank(sortedCount: number, p: number): number {
  return Math.max(1, Math.ceil((p / 100) * sortedCount)) - 1;
}

function latencyPercentiles(
  index: TraceIndex,
  c: Extract<TemporalConstraint, { type: 'latency_percentiles' }>,
  path: string,
  out: ExpectationResult[],
): void {
  const name = spanRefName(c.span);
  const matched = index.matching(name);
  const sorted = [...matched].sort((a, b) => index.spans[a]!.durationUs - index.spans[b]!.durationUs);
  for (const key of PERCENTILES) {
    const bound = c[key];
    if (!bound) continue;
    const expectation = `${path}.${key}`;
    if (sorted.length === 0) {
      out.push({ expectation, kind: 'temporal', passed: false, message: `no span named ${q(name)} to compute ${key} from.${didYouMean(index.names, name)}`, spans: [] });
      continue;
    }
    const at = sorted[nearestRank(sorted.length, Number(key.slice(1)))]!;
    const value = index.spans[at]!.durationUs;
    const tooHigh = bound.max_ms !== undefined && value > bound.max_ms * 1000;
    const tooLow = bound.min_ms !== undefined && value < bound.min_ms * 1000;
    const limits = [bound.min_ms !== undefined ? `>= ${bound.min_ms} ms` : '', bound.max_ms !== undefined ? `<= ${bound.max_ms} ms` : '']
      .filter(Boolean)
      .join(' and ');
    out.push({
      expectation,
      kind: 'temporal',
      passed: !tooHigh && !tooLow,
      message: `${key} of ${plural(sorted.length, `${q(name)} span`)} is ${ms(value)} (nearest rank); expected ${limits}`,
      spans: [index.spans[at]!.spanId],
    });
  }
}

export function evaluateTemporal(temporal: TemporalConfig, index: TraceIndex, out: ExpectationResult[]): void {
  (temporal.constraint ?? []).forEach((c, i) => {
    const expectation = `orchestration.temporal.constraint[${i}]`;
    switch (c.type) {
      case 'happens_before':
        out.push({ expectation, kind: 'temporal', ...happensBefore(index, c) });
        break;
      case 'causal_ordering':
        out.push({ expectation, kind: 'temporal', ...causalOrdering(index, c) });
        break;
      case 'concurrent_overlap':
      case 'concurrent':
        out.push({ expectation, kind: 'temporal', ...concurrentOverlap(index, c) });
        break;
      case 'latency_percentiles':
        latencyPercentiles(index, c, expectation, out);
        break;
    }
  });
}
