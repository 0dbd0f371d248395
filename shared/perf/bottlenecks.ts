// Where a trace's time goes: the critical path (shared/trace/critical-path) with the slack of every
// span, the slowest and the most variable operations across traces, and recommendations with the
// spans that show them. Iterative walks only: traces can be 50,000 levels deep.
//
// Slack is the classic critical-path-method backward pass, with dependencies read from the timing
// because traces do not record them: a span may have to finish before its parent finishes, and
// before any sibling that started after it ended (that sibling may have waited for it). A span on
// the critical path has none: slack(s) = latestEnd(s) − end(s), where latestEnd(s) = min(latestEnd
// (parent), latestStart(later siblings)) and latestStart = latestEnd − duration.
import type { Span } from '../model';
import { buildTraceTree, criticalPath, type TraceTree } from '../trace';
import { findRecommendations, type Recommendation } from './recommendations';
import { quantileSorted, sortedCopy, variance } from './stats';

export type { Recommendation } from './recommendations';

export interface CriticalStep {
  readonly spanId: string;
  readonly name: string;
  readonly service: string;
  /** Time this span's own sections contribute to the critical path. */
  readonly onPathUs: number;
}

export interface SpanSlack {
  readonly spanId: string;
  readonly name: string;
  readonly slackUs: number;
}

export interface TraceBottlenecks {
  readonly traceId: string;
  readonly durationUs: number;
  /** Spans owning critical-path sections, root first, with their share. */
  readonly criticalPath: readonly CriticalStep[];
  /** Every span, in the trace's depth-first order. */
  readonly slack: readonly SpanSlack[];
}

export interface OperationStat {
  readonly name: string;
  readonly service: string;
  readonly count: number;
  readonly meanUs: number;
  readonly p95Us: number;
  readonly maxUs: number;
  readonly stdDevUs: number;
  /** Span ids of its slowest instances (at most 5), slowest first. */
  readonly evidence: readonly string[];
}

export interface BottleneckReport {
  readonly traces: readonly TraceBottlenecks[];
  /** Operations (service + span name) by mean duration, slowest first. */
  readonly slowest: readonly OperationStat[];
  /** Operations seen at least twice with differing durations, by standard deviation, largest first. */
  readonly highestVariance: readonly OperationStat[];
  readonly recommendations: readonly Recommendation[];
}

/** Slack (µs, ≥ 0) of every span of the tree, by span index. */
export function spanSlack(tree: TraceTree, onPath: Uint8Array): Float64Array {
  const n = tree.size;
  const latestEnd = new Float64Array(n);
  const slack = new Float64Array(n);
  for (let k = 0; k < tree.roots.length; k++) {
    const r = tree.roots[k]!;
    latestEnd[r] = onPath[r] ? tree.endUs[r]! : Math.max(tree.endUs[r]!, tree.traceEndUs);
  }
  // Parents before children (preorder); siblings latest-starting first, each needing only the
  // parent and the siblings after it.
  let suffixMin = new Float64Array(16);
  for (let k = 0; k < n; k++) {
    const p = tree.preorder[k]!;
    slack[p] = Math.max(0, latestEnd[p]! - tree.endUs[p]!);
    const from = tree.childOffset[p]!;
    const to = tree.childOffset[p + 1]!;
    if (to - from + 1 > suffixMin.length) suffixMin = new Float64Array(2 * (to - from + 1));
    suffixMin[to - from] = Infinity;
    for (let j = to - 1; j >= from; j--) {
      const c = tree.childIndex[j]!;
      // A zero-length span "ends" where later-listed siblings start: only those after it count.
      const later = Math.max(j + 1, firstStartingAtOrAfter(tree, from, to, tree.endUs[c]!));
      const bound = Math.min(latestEnd[p]!, later < to ? suffixMin[later - from]! : Infinity);
      latestEnd[c] = onPath[c] ? tree.endUs[c]! : Math.max(tree.endUs[c]!, bound);
      suffixMin[j - from] = Math.min(latestEnd[c]! - (tree.endUs[c]! - tree.startUs[c]!), suffixMin[j - from + 1]!);
    }
  }
  return slack;
}

/** First position in the start-sorted child list [from, to) whose span starts at or after `t`. */
function firstStartingAtOrAfter(tree: TraceTree, from: number, to: number, t: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tree.startUs[tree.childIndex[mid]!]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function traceBottlenecks(tree: TraceTree): TraceBottlenecks {
  const path = criticalPath(tree);
  const share = new Map<number, number>();
  for (const s of path.sections) share.set(s.span, (share.get(s.span) ?? 0) + (s.endUs - s.startUs));
  const critical: CriticalStep[] = [];
  for (let k = 0; k < tree.size; k++) {
    const i = tree.preorder[k]!;
    const us = share.get(i);
    if (us !== undefined) critical.push({ spanId: tree.spans[i]!.spanId, name: tree.spans[i]!.name, service: tree.spans[i]!.serviceName, onPathUs: us });
  }
  const slack = spanSlack(tree, path.onPath);
  return {
    traceId: tree.spans[0]?.traceId ?? '',
    durationUs: tree.traceEndUs - tree.traceStartUs,
    criticalPath: critical,
    slack: Array.from(tree.preorder, (i) => ({ spanId: tree.spans[i]!.spanId, name: tree.spans[i]!.name, slackUs: slack[i]! })),
  };
}

function operationStats(spans: readonly Span[]): OperationStat[] {
  const groups = new Map<string, Span[]>();
  for (const s of spans) {
    const key = `${s.serviceName}\u0000${s.name}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(s);
  }
  return [...groups.values()].map((list) => {
    const durations = sortedCopy(list.map((s) => s.durationUs));
    const slowest = [...list].sort((a, b) => b.durationUs - a.durationUs).slice(0, 5);
    return {
      name: list[0]!.name,
      service: list[0]!.serviceName,
      count: list.length,
      meanUs: durations.reduce((a, b) => a + b, 0) / durations.length,
      p95Us: quantileSorted(durations, 0.95),
      maxUs: durations[durations.length - 1]!,
      stdDevUs: list.length >= 2 ? Math.sqrt(variance(durations)) : 0,
      evidence: slowest.map((s) => s.spanId),
    };
  });
}

/** The report over one or more traces (spans of several traces are grouped by trace id). */
export function analyseBottlenecks(spans: readonly Span[], top = 10): BottleneckReport {
  const byTrace = new Map<string, Span[]>();
  for (const s of spans) {
    let list = byTrace.get(s.traceId);
    if (!list) byTrace.set(s.traceId, (list = []));
    list.push(s);
  }
  const traces: TraceBottlenecks[] = [];
  const recommendations: Recommendation[] = [];
  for (const list of byTrace.values()) {
    const tree = buildTraceTree(list);
    const report = traceBottlenecks(tree);
    traces.push(report);
    const onPath = new Set(report.criticalPath.map((c) => c.spanId));
    recommendations.push(...findRecommendations(tree, onPath));
  }
  const stats = operationStats(spans);
  return {
    traces,
    slowest: [...stats].sort((a, b) => b.meanUs - a.meanUs).slice(0, top),
    highestVariance: stats.filter((s) => s.count >= 2 && s.stdDevUs > 0).sort((a, b) => b.stdDevUs - a.stdDevUs).slice(0, top),
    recommendations: recommendations.sort((a, b) => b.savingUs - a.savingUs),
  };
}
