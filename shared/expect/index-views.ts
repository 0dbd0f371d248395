// Views of the trace index derived from its columns alone (no span object is read): child lists,
// top-down order, spans grouped by trace, glob matches. Built on first use. Plain JS arrays, like
// the columns (see Column in trace-index.ts for why not typed arrays).
import { intColumn } from './span-columns';
export { groupBy as groupByTrace } from './span-columns';

/** Children of span i: `childList[childStart[i]..childStart[i + 1])`, in input order. */
export function childLists(parent: Int32Array): { childStart: number[]; childList: number[] } {
  const n = parent.length;
  // Counts per parent, then running ends; filling from the last span backwards moves each end to
  // its range's start, so childStart needs no separate fill cursor.
  const childStart = intColumn(n + 1);
  for (let i = 0; i < n; i++) if (parent[i]! >= 0) childStart[parent[i]!]!++;
  for (let i = 1; i < n; i++) childStart[i]! += childStart[i - 1]!;
  const total = n > 0 ? childStart[n - 1]! : 0;
  childStart[n] = total;
  const childList = intColumn(total);
  for (let i = n - 1; i >= 0; i--) {
    const p = parent[i]!;
    if (p >= 0) childList[--childStart[p]!] = i;
  }
  return { childStart, childList };
}

/** Span indices with every parent before its children (breadth-first from the roots; spans in parent cycles are left out). */
export function topDownOrder(
  parent: Int32Array,
  { childStart, childList }: { readonly childStart: readonly number[]; readonly childList: readonly number[] },
): number[] {
  const n = parent.length;
  const order = intColumn(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (parent[i]! < 0) order[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const p = order[head]!;
    for (let k = childStart[p]!; k < childStart[p + 1]!; k++) order[tail++] = childList[k]!;
  }
  order.length = tail; // spans in parent cycles are never reached
  return order;
}

/** Span indices (ascending) whose name is selected by the mask (one scan of the name column: no sort). */
export function matchingGlob(nameId: Int32Array, mask: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < nameId.length; i++) if (mask[nameId[i]!] === 1) out.push(i);
  return out;
}
