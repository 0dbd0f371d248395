// One index over the spans of an evaluation, built once and shared by every expectation family:
// spans by name, parent links, per-trace groups, children. Cheap parts are built eagerly; parts only
// some families need (children, traces, cross-trace lookups) are built on first use.
import type { Span } from '../model';

/** Parent index value for a span whose parent id is absent (a root). */
export const NO_PARENT = -1;
/** Parent index value for a span whose parent id is set but not found in the same trace. */
export const MISSING_PARENT = -2;

export interface TraceIndex {
  readonly spans: readonly Span[];
  /** Span indices by exact name, in input order. */
  readonly byName: ReadonlyMap<string, readonly number[]>;
  /** Parent of span i: an index, NO_PARENT or MISSING_PARENT. */
  readonly parent: Int32Array;
  /** End of span i in µs (startUs + durationUs). */
  readonly endUs: Float64Array;
  /** Children of span i: `childList.subarray(childStart[i], childStart[i + 1])`. */
  children(): { readonly childStart: Int32Array; readonly childList: Int32Array };
  /** Span indices per trace id, in input order. */
  traces(): ReadonlyMap<string, readonly number[]>;
  /** Every span index holding a span id (any trace); used to tell "lost" from "cross-trace" parents. */
  spansWithId(spanId: string): readonly number[];
  /** Span indices whose name equals or (glob) matches the pattern; cached per pattern. */
  matching(pattern: string): readonly number[];
  /** Names of spans in the index (distinct). */
  readonly names: readonly string[];
}

export function isGlob(pattern: string): boolean {
  return pattern.includes('*');
}

/** `*` matches any run of characters (including `.` and `:`); everything else is literal. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

/** A name predicate: exact comparison, or a precompiled RegExp when the pattern contains `*`. */
export function nameMatcher(pattern: string): (name: string) => boolean {
  if (!isGlob(pattern)) return (name) => name === pattern;
  const re = globToRegExp(pattern);
  return (name) => re.test(name);
}

export function buildTraceIndex(spans: readonly Span[]): TraceIndex {
  const n = spans.length;
  const byName = new Map<string, number[]>();
  // Keyed by span id only (collisions across traces are rare); duplicates go to `dupes`.
  const byId = new Map<string, number>();
  let dupes: Map<string, number[]> | undefined;
  const endUs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    const list = byName.get(s.name);
    if (list) list.push(i);
    else byName.set(s.name, [i]);
    endUs[i] = s.startUs + s.durationUs;
    const prev = byId.get(s.spanId);
    if (prev === undefined) byId.set(s.spanId, i);
    else {
      dupes ??= new Map();
      const d = dupes.get(s.spanId);
      if (d) d.push(i);
      else dupes.set(s.spanId, [prev, i]);
    }
  }

  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    const pid = s.parentSpanId;
    if (!pid) {
      parent[i] = NO_PARENT;
      continue;
    }
    let p = MISSING_PARENT;
    const d = dupes?.get(pid);
    if (d) {
      for (const j of d) if (spans[j]!.traceId === s.traceId && j !== i) p = j;
    } else {
      const j = byId.get(pid);
      if (j !== undefined && j !== i && spans[j]!.traceId === s.traceId) p = j;
    }
    parent[i] = p;
  }

  let childCache: { childStart: Int32Array; childList: Int32Array } | undefined;
  let traceCache: Map<string, number[]> | undefined;
  const matchCache = new Map<string, readonly number[]>();
  const names = [...byName.keys()];

  return {
    spans,
    byName,
    parent,
    endUs,
    names,
    children() {
      if (childCache) return childCache;
      const childStart = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) if (parent[i]! >= 0) childStart[parent[i]! + 1]!++;
      for (let i = 0; i < n; i++) childStart[i + 1]! += childStart[i]!;
      const fill = childStart.slice(0, n);
      const childList = new Int32Array(childStart[n]!);
      for (let i = 0; i < n; i++) {
        const p = parent[i]!;
        if (p >= 0) childList[fill[p]!++] = i;
      }
      childCache = { childStart, childList };
      return childCache;
    },
    traces() {
      if (traceCache) return traceCache;
      traceCache = new Map();
      for (let i = 0; i < n; i++) {
        const t = spans[i]!.traceId;
        const list = traceCache.get(t);
        if (list) list.push(i);
        else traceCache.set(t, [i]);
      }
      return traceCache;
    },
    spansWithId(spanId) {
      const d = dupes?.get(spanId);
      if (d) return d;
      const j = byId.get(spanId);
      return j === undefined ? [] : [j];
    },
    matching(pattern) {
      const cached = matchCache.get(pattern);
      if (cached) return cached;
      let out: readonly number[];
      if (!isGlob(pattern)) out = byName.get(pattern) ?? [];
      else {
        const re = globToRegExp(pattern);
        const lists: number[][] = [];
        for (const [name, list] of byName) if (re.test(name)) lists.push(list);
        out = lists.length === 1 ? lists[0]! : lists.flat().sort((a, b) => a - b);
      }
      matchCache.set(pattern, out);
      return out;
    },
  };
}

/** True when `ancestor` is a proper ancestor of `i` (iterative walk up; bounded by the trace depth). */
export function isAncestor(index: TraceIndex, ancestor: number, i: number): boolean {
  let p = index.parent[i]!;
  // The step bound guards against malformed cyclic parent links.
  for (let steps = 0; p >= 0 && steps <= index.spans.length; steps++) {
    if (p === ancestor) return true;
    p = index.parent[p]!;
  }
  return false;
}

/** First proper ancestor of `i` satisfying the predicate, or -1. */
export function findAncestor(index: TraceIndex, i: number, pred: (j: number) => boolean): number {
  let p = index.parent[i]!;
  for (let steps = 0; p >= 0 && steps <= index.spans.length; steps++) {
    if (pred(p)) return p;
    p = index.parent[p]!;
  }
  return -1;
}
