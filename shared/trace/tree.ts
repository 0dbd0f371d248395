// The trace tree behind the waterfall: a parent/child index over a Span[] kept in typed arrays so a
// 1,000,000-span trace costs a few flat buffers, not a million objects. Everything is iterative:
// traces can be 50,000 levels deep and recursion would blow the stack.
//
// Decisions:
// - Orphans (a parentSpanId that is not in the trace) are placed at ROOT level and flagged in
//   `flags` with ORPHAN, so the UI can mark them "missing parent".
// - Cycles (A's parent is B and B's parent is A, or a span that is its own parent) are broken at the
//   span where the walk closes the loop; that span becomes a root flagged CYCLE.
// - A duplicated span id keeps the FIRST span for parent lookups; later copies are still rows.
// - Children (and roots) are sorted by start time; ties keep input order (stable).
import type { Span } from '../model';
import { createSpanIndex } from './span-index';
import type { SpanIndex } from './span-index';

/** Bits of `TraceTree.flags[i]`. */
export const ORPHAN = 1;
export const CYCLE = 2;
export const DUPLICATE_ID = 4;
export const HAS_ERROR = 8;

export interface TraceTree {
  readonly spans: readonly Span[];
  readonly size: number;
  /** Index of the parent span, -1 for a root (including orphans and broken cycles). */
  readonly parent: Int32Array;
  /** Children of span i are `childIndex[childOffset[i] .. childOffset[i + 1])`, sorted by start. */
  readonly childOffset: Int32Array;
  readonly childIndex: Int32Array;
  /** Root spans sorted by start (real roots first come by time, orphans mixed in by time). */
  readonly roots: Int32Array;
  /** 0 for roots. */
  readonly depth: Int32Array;
  /** Every span in depth-first order (the fully expanded row order). */
  readonly preorder: Int32Array;
  /** Position of span i inside `preorder`. */
  readonly preorderPos: Int32Array;
  /** Number of descendants of span i (not counting itself). */
  readonly descendants: Int32Array;
  /** ORPHAN | CYCLE | DUPLICATE_ID | HAS_ERROR bits. */
  readonly flags: Uint8Array;
  readonly startUs: Float64Array;
  readonly endUs: Float64Array;
  readonly traceStartUs: number;
  readonly traceEndUs: number;
  readonly maxDepth: number;
  readonly orphanCount: number;
  readonly cycleCount: number;
  /** Span id → index of the first span with that id (-1 when absent). */
  readonly indexById: Pick<SpanIndex, 'get'>;
}

export function childCount(tree: TraceTree, i: number): number {
  return tree.childOffset[i + 1]! - tree.childOffset[i]!;
}

/** Does index a come before index b (key ascending, or descending when `desc`; ties by index)? */
function before(a: number, b: number, key: Float64Array, desc: boolean): boolean {
  const ka = key[a]!;
  const kb = key[b]!;
  if (ka === kb) return a < b;
  return desc ? ka > kb : ka < kb;
}

/**
 * Sort `idx[from..to)` by `key` ascending (descending when `desc`), ties by index. Child lists are
 * usually short and nearly sorted, so an allocation-free insertion sort handles them; long
 * unsorted lists fall back to the built-in sort.
 */
export function sortRange(idx: Int32Array, from: number, to: number, key: Float64Array, desc = false): void {
  let sorted = true;
  for (let k = from + 1; k < to; k++) {
    if (before(idx[k]!, idx[k - 1]!, key, desc)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  if (to - from > 48) {
    idx.subarray(from, to).sort((a, b) => (desc ? key[b]! - key[a]! : key[a]! - key[b]!) || a - b);
    return;
  }
  for (let k = from + 1; k < to; k++) {
    const v = idx[k]!;
    let j = k - 1;
    while (j >= from && before(v, idx[j]!, key, desc)) {
      idx[j + 1] = idx[j]!;
      j--;
    }
    idx[j + 1] = v;
  }
}

export function buildTraceTree(spans: readonly Span[]): TraceTree {
  const n = spans.length;
  const parent = new Int32Array(n).fill(-1);
  const flags = new Uint8Array(n);
  const startUs = new Float64Array(n);
  const endUs = new Float64Array(n);
  const indexById = createSpanIndex(n);
  let traceStartUs = n === 0 ? 0 : Infinity;
  let traceEndUs = n === 0 ? 0 : -Infinity;

  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    startUs[i] = s.startUs;
    endUs[i] = s.startUs + s.durationUs;
    if (startUs[i]! < traceStartUs) traceStartUs = startUs[i]!;
    if (endUs[i]! > traceEndUs) traceEndUs = endUs[i]!;
    if (s.status.code === 'error') flags[i]! |= HAS_ERROR;
    if (!indexById.add(s.spanId, i)) flags[i]! |= DUPLICATE_ID;
  }

  let orphanCount = 0;
  let selfParents = 0;
  for (let i = 0; i < n; i++) {
    const pid = spans[i]!.parentSpanId;
    if (!pid) continue;
    const p = indexById.get(pid);
    if (p === -1) {
      flags[i]! |= ORPHAN;
      orphanCount++;
    } else if (p === i) {
      flags[i]! |= CYCLE;
      selfParents++;
    } else {
      parent[i] = p;
    }
  }

  // Break cycles: walk up from every span; a walk that meets its own path closes a loop.
  const state = new Uint8Array(n); // 0 unknown, 1 on the current path, 2 reaches a root
  const path = new Int32Array(n);
  let cycleCount = selfParents;
  for (let i = 0; i < n; i++) {
    if (state[i] !== 0) continue;
    let len = 0;
    let cur = i;
    while (cur !== -1 && state[cur] === 0) {
      state[cur] = 1;
      path[len++] = cur;
      cur = parent[cur]!;
    }
    if (cur !== -1 && state[cur] === 1) {
      parent[cur] = -1;
      flags[cur]! |= CYCLE;
      cycleCount++;
    }
    for (let k = 0; k < len; k++) state[path[k]!] = 2;
  }

  // Children in CSR form (input order), then each child list and the roots sorted by start.
  const childOffset = new Int32Array(n + 1);
  let rootCount = 0;
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p === -1) rootCount++;
    else childOffset[p + 1]!++;
  }
  for (let i = 0; i < n; i++) childOffset[i + 1]! += childOffset[i]!;
  const fill = childOffset.slice(0, n);
  const childIndex = new Int32Array(n - rootCount);
  const roots = new Int32Array(rootCount);
  let r = 0;
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p === -1) roots[r++] = i;
    else childIndex[fill[p]!++] = i;
  }
  for (let i = 0; i < n; i++) if (childOffset[i + 1]! - childOffset[i]! > 1) sortRange(childIndex, childOffset[i]!, childOffset[i + 1]!, startUs);
  sortRange(roots, 0, rootCount, startUs);

  // Depth-first order, depth and subtree sizes with an explicit stack.
  const preorder = new Int32Array(n);
  const preorderPos = new Int32Array(n);
  const depth = new Int32Array(n);
  const stack = new Int32Array(n);
  let top = 0;
  let pos = 0;
  let maxDepth = 0;
  for (let k = rootCount - 1; k >= 0; k--) stack[top++] = roots[k]!;
  while (top > 0) {
    const i = stack[--top]!;
    preorderPos[i] = pos;
    preorder[pos++] = i;
    const p = parent[i]!;
    const d = p === -1 ? 0 : depth[p]! + 1;
    depth[i] = d;
    if (d > maxDepth) maxDepth = d;
    for (let c = childOffset[i + 1]! - 1; c >= childOffset[i]!; c--) stack[top++] = childIndex[c]!;
  }
  const descendants = new Int32Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const i = preorder[k]!;
    const p = parent[i]!;
    if (p !== -1) descendants[p]! += descendants[i]! + 1;
  }

  return {
    spans,
    size: n,
    parent,
    childOffset,
    childIndex,
    roots,
    depth,
    preorder,
    preorderPos,
    descendants,
    flags,
    startUs,
    endUs,
    traceStartUs,
    traceEndUs,
    maxDepth,
    orphanCount,
    cycleCount,
    indexById,
  };
}

/** Ancestors of span i, nearest first. */
export function ancestorsOf(tree: TraceTree, i: number): number[] {
  const out: number[] = [];
  let cur = tree.parent[i]!;
  while (cur !== -1) {
    out.push(cur);
    cur = tree.parent[cur]!;
  }
  return out;
}
