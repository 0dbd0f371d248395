// Critical path: the chain of span sections that determines the trace's end-to-end latency,
// following Jaeger UI's algorithm (jaeger-ui `CriticalPath`): children are first clipped to their
// parent's time range; from a span, the child that finishes last (before the point we are walking
// back from) is on the path, we descend into it; when a span has no such child, its remaining
// section up to its own start is on the path and we return to its parent at that start.
// One difference, on purpose: a child that ends exactly when the next one starts counts as
// finishing "before" it (Jaeger uses a strict <), so back-to-back sequential steps all appear.
// Iterative, O(n log n) (child lists sorted by end time); each child list is consumed by a cursor.
import { sortRange } from './tree';
import type { TraceTree } from './tree';

export interface CriticalSection {
  readonly span: number;
  readonly startUs: number;
  readonly endUs: number;
}

export interface CriticalPath {
  /** Sections latest first, as the walk finds them. */
  readonly sections: readonly CriticalSection[];
  /** 1 for every span that owns at least one section. */
  readonly onPath: Uint8Array;
}

/** Critical path of the tree under `root` (default: the root that ends last). */
export function criticalPath(tree: TraceTree, root?: number): CriticalPath {
  const n = tree.size;
  const onPath = new Uint8Array(n);
  const sections: CriticalSection[] = [];
  if (n === 0) return { sections, onPath };
  let start = root ?? -1;
  if (start === -1) {
    for (let k = 0; k < tree.roots.length; k++) {
      const r = tree.roots[k]!;
      if (start === -1 || tree.endUs[r]! > tree.endUs[start]!) start = r;
    }
  }

  // Clip children to their parent's (already clipped) range, top-down; drop those outside it.
  const cs = new Float64Array(n);
  const ce = new Float64Array(n);
  const kept = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = tree.preorder[k]!;
    const p = tree.parent[i]!;
    if (p === -1) {
      cs[i] = tree.startUs[i]!;
      ce[i] = tree.endUs[i]!;
      kept[i] = 1;
      continue;
    }
    if (!kept[p] || tree.startUs[i]! > ce[p]! || tree.endUs[i]! < cs[p]!) continue;
    cs[i] = Math.max(tree.startUs[i]!, cs[p]!);
    ce[i] = Math.min(tree.endUs[i]!, ce[p]!);
    kept[i] = 1;
  }

  // Children of each span ordered by clipped end, latest first.
  const offset = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const p = tree.parent[i]!;
    if (p !== -1 && kept[i]) offset[p + 1]!++;
  }
  for (let i = 0; i < n; i++) offset[i + 1]! += offset[i]!;
  const cursor = offset.slice(0, n);
  const kids = new Int32Array(offset[n]!);
  for (let i = 0; i < n; i++) {
    const p = tree.parent[i]!;
    if (p !== -1 && kept[i]) kids[cursor[p]!++] = i;
  }
  for (let i = 0; i < n; i++) if (offset[i + 1]! - offset[i]! > 1) sortRange(kids, offset[i]!, offset[i + 1]!, ce, true);
  cursor.set(offset.subarray(0, n));

  let span = start;
  let until = ce[start]!;
  for (;;) {
    // The last-finishing child that ends no later than `until`. Children skipped here end after
    // `until`, and `until` only decreases for this span, so they never qualify later either.
    let child = -1;
    while (cursor[span]! < offset[span + 1]!) {
      const c = kids[cursor[span]!++]!;
      if (ce[c]! <= until) {
        child = c;
        break;
      }
    }
    if (child !== -1) {
      if (ce[child]! < until) sections.push({ span, startUs: ce[child]!, endUs: until });
      onPath[span] = 1;
      span = child;
      until = ce[child]!;
      continue;
    }
    if (cs[span]! < until) sections.push({ span, startUs: cs[span]!, endUs: until });
    onPath[span] = 1;
    const p = tree.parent[span]!;
    if (p === -1 || span === start) break;
    until = cs[span]!;
    span = p;
  }
  return { sections, onPath };
}
