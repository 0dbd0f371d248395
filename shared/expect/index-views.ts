// Views of the trace index derived from its typed columns alone (no span object is read): child
// lists, top-down order, spans grouped by trace, glob matches over the name groups. Built on first use.

/** Children of span i: `childList.subarray(childStart[i], childStart[i + 1])`, in input order. */
export function childLists(parent: Int32Array): { childStart: Int32Array; childList: Int32Array } {
  const n = parent.length;
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (parent[i]! >= 0) childStart[parent[i]! + 1]!++;
  for (let i = 0; i < n; i++) childStart[i + 1]! += childStart[i]!;
  const fill = childStart.slice(0, n);
  const childList = new Int32Array(childStart[n]!);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p >= 0) childList[fill[p]!++] = i;
  }
  return { childStart, childList };
}

/** Span indices with every parent before its children (breadth-first from the roots; spans in parent cycles are left out). */
export function topDownOrder(
  parent: Int32Array,
  { childStart, childList }: { childStart: Int32Array; childList: Int32Array },
): Int32Array {
  const n = parent.length;
  const order = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (parent[i]! < 0) order[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const p = order[head]!;
    for (let k = childStart[p]!; k < childStart[p + 1]!; k++) order[tail++] = childList[k]!;
  }
  return order.subarray(0, tail);
}

/** Span indices per trace id, in input order (views into one typed array). */
export function groupByTrace(traceNo: Int32Array, traceIds: readonly string[]): Map<string, Int32Array> {
  const n = traceNo.length;
  const start = new Int32Array(traceIds.length + 1);
  for (let i = 0; i < n; i++) start[traceNo[i]! + 1]!++;
  for (let k = 0; k < traceIds.length; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, traceIds.length);
  const grouped = new Int32Array(n);
  for (let i = 0; i < n; i++) grouped[fill[traceNo[i]!]!++] = i;
  const out = new Map<string, Int32Array>();
  for (let k = 0; k < traceIds.length; k++) out.set(traceIds[k]!, grouped.subarray(start[k]!, start[k + 1]!));
  return out;
}

/** Span indices (ascending) of every name the glob matches. */
export function matchingGlob(byName: ReadonlyMap<string, Int32Array>, re: RegExp): Int32Array {
  const parts: Int32Array[] = [];
  let total = 0;
  for (const [name, list] of byName) {
    if (re.test(name)) {
      parts.push(list);
      total += list.length;
    }
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Int32Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.sort(); // numeric for typed arrays: input order
}
