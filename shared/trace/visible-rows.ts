// Visible rows of the waterfall: the depth-first order of the tree, skipping the descendants of
// collapsed spans. O(visible rows) thanks to the precomputed preorder and subtree sizes: a
// collapsed span's subtree is one contiguous run of `preorder`, so we jump over it.
import type { TraceTree } from './tree';

/**
 * `collapsed[i] !== 0` hides the descendants of span i. Returns span indices in row order.
 * Works on any depth (no recursion, no stack).
 */
export function visibleRows(tree: TraceTree, collapsed: Uint8Array): Int32Array {
  const n = tree.size;
  const out = new Int32Array(n);
  let count = 0;
  let k = 0;
  while (k < n) {
    const i = tree.preorder[k]!;
    out[count++] = i;
    k += collapsed[i] ? tree.descendants[i]! + 1 : 1;
  }
  return count === n ? out : out.slice(0, count);
}

/** Collapse every span that has children (the "collapse all" button). */
export function collapseAll(tree: TraceTree, collapsed: Uint8Array): void {
  for (let i = 0; i < tree.size; i++) collapsed[i] = tree.descendants[i]! > 0 ? 1 : 0;
}

/** Collapse every span at `depth` or deeper that has children, expand the rest (a level view). */
export function collapseBelowDepth(tree: TraceTree, collapsed: Uint8Array, depth: number): void {
  for (let i = 0; i < tree.size; i++) collapsed[i] = tree.depth[i]! >= depth && tree.descendants[i]! > 0 ? 1 : 0;
}

/** Expand the ancestors of span i so that it becomes visible. Returns true when anything changed. */
export function revealSpan(tree: TraceTree, collapsed: Uint8Array, i: number): boolean {
  let changed = false;
  let cur = tree.parent[i]!;
  while (cur !== -1) {
    if (collapsed[cur]) {
      collapsed[cur] = 0;
      changed = true;
    }
    cur = tree.parent[cur]!;
  }
  return changed;
}

/** Position of span i in `rows` (binary search over preorder positions, rows are in preorder). */
export function rowOf(tree: TraceTree, rows: Int32Array, i: number): number {
  const target = tree.preorderPos[i]!;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const p = tree.preorderPos[rows[mid]!]!;
    if (p === target) return mid;
    if (p < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
