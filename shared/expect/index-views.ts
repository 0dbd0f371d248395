// Views of the trace index derived from its columns alone (no span object is read): child lists,
// top-down order, spans grouped by trace, glob matches. Built on first use. Plain JS arrays, like
// the columns (see Column in trace-index.ts for why not typed arrays).
import { intColumn } from './span-columns';

/** Children of span i: `childList[childStart[i]..childStart[i + 1])`, in input order. */
export function childLists(parent: readonly number[]): { childStart: number[]; childList: number[] } {
  const n = parent.length;
  const childStart = intColumn(n + 1);
  for (let i = 0; i < n; i++) if (parent[i]! >= 0) childStart[parent[i]! + 1]!++;
  for (let i = 0; i < n; i++) childStart[i + 1]! += childStart[i]!;
  const fill = childStart.slice(0, n);
  const childList = intColumn(childStart[n]!);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p >= 0) childList[fill[p]!++] = i;
  }
  return { childStart, childList };
}

/** Span indices with every parent before its children (breadth-first from the roots; spans in parent cycles are left out). */
export function topDownOrder(
  parent: readonly number[],
  { childStart, childList }: { readonly childStart: readonly number[]; readonly childList: readonly number[] },
): number[] {
  const n = parent.length;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (parent[i]! < 0) order.push(i);
  for (let head = 0; head < order.length; head++) {
    const p = order[head]!;
    for (let k = childStart[p]!; k < childStart[p + 1]!; k++) order.push(childList[k]!);
  }
  return order;
}

/** Span indices per trace id, each list in input order. */
export function groupByTrace(traceNo: readonly number[], traceIds: readonly string[]): Map<string, number[]> {
  const lists: number[][] = traceIds.map(() => []);
  for (let i = 0; i < traceNo.length; i++) lists[traceNo[i]!]!.push(i);
  const out = new Map<string, number[]>();
  for (let k = 0; k < traceIds.length; k++) out.set(traceIds[k]!, lists[k]!);
  return out;
}

/** Span indices (ascending) whose name is selected by the mask (one scan of the name column: no sort). */
export function matchingGlob(nameId: readonly number[], mask: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < nameId.length; i++) if (mask[nameId[i]!] === 1) out.push(i);
  return out;
}
