// Causal chains over the span tree without recursion: one top-down pass (parents before children)
// carries, for every span, how much of the wanted name sequence its ancestors already spell, and
// which of the wanted names occur above it (to detect inverted causality).
import type { TraceIndex } from './trace-index';
import { nameMatcher } from './trace-index';

/** Span indices ordered so that every parent comes before its children (cached on the index). */
export function topDownOrder(index: TraceIndex): readonly number[] {
  return index.topDown();
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
  const maskOfName = new Int32Array(index.names.length);
  index.names.forEach((name, id) => {
    matchers.forEach((match, j) => {
      if (match(name)) maskOfName[id]! |= 1 << j;
    });
  });
  const n = index.spans.length;
  const own = new Int32Array(n);
  for (let i = 0; i < n; i++) own[i] = maskOfName[index.nameId[i]!]!;
  // prefixAt[i]: how many leading names the path root..i (inclusive) contains as a subsequence.
  const prefixAt = new Uint8Array(n);
  // above[i]: names occurring strictly above i.
  const above = new Int32Array(n);
  let end = -1;
  let inverted: [number, number] | undefined;
  const order = index.topDown();
  for (let t = 0; t < order.length; t++) {
    const i = order[t]!;
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
