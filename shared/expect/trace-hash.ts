// The determinism hash: FNV-1a 64 over each span's canonical signature plus its children's hashes
// in sorted order, so ids, timestamps and arrival order don't change it (see normalize.ts for
// which attributes are ignored).
import type { Span } from '../model';
import { buildTraceIndex } from './trace-index';
import type { TraceIndex } from './trace-index';
import { topDownOrder } from './causal';
import { keepAttribute, spanSignature } from './normalize';
import type { NormalizeOptions } from './normalize';

// FNV-1a, 64-bit, over UTF-16 code units, in two 32-bit halves (no BigInt in the hot loop).
// prime = 2^40 + 0x1b3, so h·prime = h·0x1b3 + (h << 40).
export function fnv1a64(text: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo ^= text.charCodeAt(i);
    const loProd = (lo >>> 0) * 0x1b3;
    const carry = Math.floor(loProd / 0x100000000);
    hi = (hi * 0x1b3 + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = loProd >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/**
 * Subtree hash of every span: its signature plus its children's subtree hashes in sorted order
 * (canonical, independent of timestamps and input order). Computed bottom-up without recursion.
 */
export function subtreeHashes(index: TraceIndex, keep: (key: string) => boolean): (string | undefined)[] {
  const n = index.spans.length;
  const hashes = new Array<string | undefined>(n);
  const { childStart, childList } = index.children();
  const order = topDownOrder(index);
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    const kids: string[] = [];
    for (let c = childStart[i]!; c < childStart[i + 1]!; c++) kids.push(hashes[childList[c]!]!);
    kids.sort();
    hashes[i] = fnv1a64(`${spanSignature(index.spans[i]!, keep)}\u0002${kids.join('')}`);
  }
  return hashes;
}

/**
 * One hash for a whole run: the sorted multiset of root subtree hashes (a span whose parent is not
 * in the data counts as a root). Trace ids are dropped, so traces are matched by content only.
 */
export function normalizedTraceHash(spans: readonly Span[], options: NormalizeOptions = {}): string {
  const index = buildTraceIndex(spans);
  const keep = keepAttribute(options);
  const hashes = subtreeHashes(index, keep);
  const roots: string[] = [];
  for (let i = 0; i < spans.length; i++) {
    if (index.parent[i]! < 0) roots.push(hashes[i]!);
    // Spans caught in parent cycles are unreachable from any root; they still count, alone.
    else if (hashes[i] === undefined) roots.push(fnv1a64(`cycle\u0002${spanSignature(spans[i]!, keep)}`));
  }
  roots.sort();
  return fnv1a64(`run\u0002${roots.join('')}`);
}
