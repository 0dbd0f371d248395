// Causal chains over the span tree without recursion: one top-down pass (parents before children)
// carries, for every span, how much of the wanted name sequence its ancestors already spell, and
// which of the wanted names occur above it (to detect inverted causality).
import type { TraceIndex } from './trace-index';
import { nameMatcher } from './trace-index';

/** Span indices ordered so that every parent comes before its children (spans in parent cycles are left out). */
export function topDownOrder(index: TraceIndex): Int32Array {
  const n = index.spans.length;
  const { childStart, childList } = index.children();
  const order = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (index.parent[i]! < 0) order[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const p = order[head]!;
    for (let k = childStart[p]!; k < childStart[p + 1]!; k++) order[tail++] = childList[k]!;
  }
  return order.subarray(0, tail);
}

export interface CausalChain {
  /** Span indices of one complete chain, outermost first, or undefined when none exists. */
  readonly chain?: number[] | undefined;
  /** [ancestor, descendant] where the ancestor's name comes later in the sequence than the descendant's. */
  readonly inverted?: [number, number] | undefined;
}

/** Up to 30 names (bitmask); longer sequences are cut, which the schema's users never approach. */
export function causalChain(index: TraceIndex, patterns: readonly string[]): CausalChain {
  const names = patterns.slice(0, 30);
  const k = names.length;
  const matchers = names.map(nameMatcher);
  const maskOfName = new Map<string, number>();
  for (const name of index.names) {
    let m = 0;
    matchers.forEach((match, j) => {
      if (match(name)) m |= 1 << j;
    });
    maskOfName.set(name, m);
  }
  const n = index.spans.length;
  const own = new Int32Array(n);
  for (let i = 0; i < n; i++) own[i] = maskOfName.get(index.spans[i]!.name)!;
  // prefixAt[i]: how many leading names the path root..i (inclusive) contains as a subsequence.
  const prefixAt = new Uint8Array(n);
  // above[i]: names occurring strictly above i.
  const above = new Int32Array(n);
  let end = -1;
  let inverted: [number, number] | undefined;
  for (const i of topDownOrder(index)) {
    const p = index.parent[i]!;
    const before = p >= 0 ? prefixAt[p]! : 0;
    above[i] = p >= 0 ? above[p]! | own[p]! : 0;
    prefixAt[i] = before < k && own[i]! & (1 << before) ? before + 1 : before;
    if (end < 0 && prefixAt[i] === k) end = i;
    if (!inverted && own[i] && above[i]) {
      // Lowest name index this span has vs. highest name above it: later-above-earlier is inverted.
      const lowest = 31 - Math.clz32(own[i]! & -own[i]!);
      const highestAbove = 31 - Math.clz32(above[i]!);
      if (highestAbove > lowest) {
        const wantBit = 1 << highestAbove;
        let a = p;
        while (a >= 0 && !(own[a]! & wantBit)) a = index.parent[a]!;
        inverted = [a, i];
      }
    }
  }
  if (end < 0) return { inverted };
  // Walk up from the chain's end, picking the nearest ancestor for each earlier name.
  const chain: number[] = [end];
  let want = k - 2;
  for (let a = index.parent[end]!; a >= 0 && want >= 0; a = index.parent[a]!) {
    if (own[a]! & (1 << want) && prefixAt[a] === want + 1) {
      chain.push(a);
      want--;
    }
  }
  return { chain: chain.reverse(), inverted };
}
