// What differs between two runs, in words: spans added or missing at a path like
// `clnrm.run > clnrm.step:x`, and, for spans present in both, changed kind, status, attributes and
// events. Spans are paired level by level (iteratively): same name, identical subtrees first, then
// in start order. Nondeterministic attributes are ignored exactly as the determinism hash ignores them.
import { toText } from '../model';
import type { KeyValue, Span } from '../model';
import { buildTraceIndex } from './trace-index';
import type { TraceIndex } from './trace-index';
import { keepAttribute } from './normalize';
import type { NormalizeOptions } from './normalize';
import { subtreeHashes } from './trace-hash';
import type { SubtreeHashes } from './trace-hash';

export type TraceDifferenceKind =
  | 'span-added'
  | 'span-missing'
  | 'kind-changed'
  | 'status-changed'
  | 'attribute-added'
  | 'attribute-removed'
  | 'attribute-changed'
  | 'event-added'
  | 'event-missing';

export interface TraceDifference {
  readonly kind: TraceDifferenceKind;
  /** Span names from the root, e.g. `clnrm.run > clnrm.step:hello`. */
  readonly path: string;
  readonly message: string;
  /** Span id in the first run (`a`), when the span exists there. */
  readonly spanA?: string;
  /** Span id in the second run (`b`), when the span exists there. */
  readonly spanB?: string;
}

interface Side {
  readonly index: TraceIndex;
  readonly hashes: SubtreeHashes;
  readonly childStart: readonly number[];
  readonly childList: readonly number[];
}

function side(spans: readonly Span[], keep: (k: string) => boolean): Side {
  const index = buildTraceIndex(spans);
  const { childStart, childList } = index.children();
  return { index, hashes: subtreeHashes(index, keep), childStart, childList };
}

function kids(s: Side, i: number): number[] {
  if (i < 0) {
    const roots: number[] = [];
    for (let k = 0; k < s.index.spans.length; k++) if (s.index.parent[k]! < 0) roots.push(k);
    return roots;
  }
  return s.childList.slice(s.childStart[i]!, s.childStart[i + 1]!);
}

function descendants(s: Side, i: number): number {
  let count = 0;
  const stack = [i];
  while (stack.length) {
    const p = stack.pop()!;
    for (let k = s.childStart[p]!; k < s.childStart[p + 1]!; k++) {
      count++;
      stack.push(s.childList[k]!);
    }
  }
  return count;
}

function attrMap(attrs: readonly KeyValue[], keep: (k: string) => boolean): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of attrs) if (keep(kv.key)) m.set(kv.key, toText(kv.value));
  return m;
}

function compareSpans(a: Span, b: Span, path: string, keep: (k: string) => boolean, out: TraceDifference[]): void {
  const ids = { spanA: a.spanId, spanB: b.spanId };
  if (a.kind !== b.kind) out.push({ kind: 'kind-changed', path, message: `${path}: kind changed from ${a.kind} to ${b.kind}`, ...ids });
  if (a.status.code !== b.status.code) {
    const why = b.status.message ? ` (${b.status.message})` : '';
    out.push({ kind: 'status-changed', path, message: `${path}: status changed from ${a.status.code.toUpperCase()} to ${b.status.code.toUpperCase()}${why}`, ...ids });
  }
  const am = attrMap(a.attributes, keep);
  const bm = attrMap(b.attributes, keep);
  for (const [k, v] of am) {
    const w = bm.get(k);
    if (w === undefined) out.push({ kind: 'attribute-removed', path, message: `${path}: attribute ${k} (was ${JSON.stringify(v)}) is gone`, ...ids });
    else if (w !== v) out.push({ kind: 'attribute-changed', path, message: `${path}: attribute ${k} changed from ${JSON.stringify(v)} to ${JSON.stringify(w)}`, ...ids });
  }
  for (const [k, w] of bm) {
    if (!am.has(k)) out.push({ kind: 'attribute-added', path, message: `${path}: new attribute ${k} = ${JSON.stringify(w)}`, ...ids });
  }
  const ev = (s: Span) => s.events.map((e) => {
    const attrs = [...attrMap(e.attributes, keep)].map(([k, v]) => `${k}=${v}`).sort().join(', ');
    return attrs ? `${e.name} {${attrs}}` : e.name;
  });
  const left = ev(a);
  const right = ev(b);
  for (const e of right) {
    const at = left.indexOf(e);
    if (at >= 0) left.splice(at, 1);
    else out.push({ kind: 'event-added', path, message: `${path}: new event ${e}`, ...ids });
  }
  for (const e of left) out.push({ kind: 'event-missing', path, message: `${path}: event ${e} is missing`, ...ids });
}

/** Pairs children of two matched spans by name: identical subtrees first, then in start order. */
function pairChildren(a: Side, b: Side, ka: number[], kb: number[]) {
  const byName = (s: Side, list: number[]) => {
    const m = new Map<string, number[]>();
    for (const i of list) {
      const name = s.index.spans[i]!.name;
      const l = m.get(name);
      if (l) l.push(i);
      else m.set(name, [i]);
    }
    for (const l of m.values()) l.sort((x, y) => s.index.spans[x]!.startUs - s.index.spans[y]!.startUs);
    return m;
  };
  const ma = byName(a, ka);
  const mb = byName(b, kb);
  const pairs: [number, number][] = [];
  const onlyA: number[] = [];
  const onlyB: number[] = [];
  for (const name of new Set([...ma.keys(), ...mb.keys()])) {
    const la = ma.get(name) ?? [];
    const lb = [...(mb.get(name) ?? [])];
    const restA: number[] = [];
    for (const i of la) {
      const same = lb.findIndex((j) => b.hashes.hi[j] === a.hashes.hi[i] && b.hashes.lo[j] === a.hashes.lo[i]);
      if (same >= 0) lb.splice(same, 1); // identical subtree: nothing to report below it
      else restA.push(i);
    }
    const m = Math.min(restA.length, lb.length);
    for (let k = 0; k < m; k++) pairs.push([restA[k]!, lb[k]!]);
    onlyA.push(...restA.slice(m));
    onlyB.push(...lb.slice(m));
  }
  return { pairs, onlyA, onlyB };
}

/** A node of the path from the root, linked upwards so deep trees share their prefixes. */
interface PathNode {
  readonly name: string;
  readonly up: PathNode | undefined;
  readonly depth: number;
}

/** `a > b > c`; very deep paths keep the first 3 and last 8 names around an ellipsis. */
function pathText(node: PathNode): string {
  const names: string[] = [];
  const tail = node.depth > 11 ? 8 : node.depth;
  let cur: PathNode | undefined = node;
  for (let k = 0; k < tail && cur; k++, cur = cur.up) names.push(cur.name);
  if (cur) {
    let top: PathNode = cur;
    while (top.depth > 3) top = top.up!;
    const head: string[] = [];
    for (let t: PathNode | undefined = top; t; t = t.up) head.push(t.name);
    names.push(`… (${cur.depth - 3} more)`, ...head);
  }
  return names.reverse().join(' > ');
}

/** Differences from run `a` (e.g. the baseline) to run `b`. Empty when both hash the same. */
export function diffTraces(a: readonly Span[], b: readonly Span[], options: NormalizeOptions = {}): TraceDifference[] {
  const keep = keepAttribute(options);
  const sa = side(a, keep);
  const sb = side(b, keep);
  const out: TraceDifference[] = [];
  // Work list of matched pairs; -1/-1 is the virtual root above every trace's root spans.
  const work: { ia: number; ib: number; node: PathNode | undefined }[] = [{ ia: -1, ib: -1, node: undefined }];
  while (work.length) {
    const { ia, ib, node } = work.pop()!;
    const { pairs, onlyA, onlyB } = pairChildren(sa, sb, kids(sa, ia), kids(sb, ib));
    const at = (name: string): PathNode => ({ name, up: node, depth: (node?.depth ?? 0) + 1 });
    for (const i of onlyA) {
      const s = sa.index.spans[i]!;
      const path = pathText(at(s.name));
      const below = descendants(sa, i);
      out.push({ kind: 'span-missing', path, message: `span ${path} is missing${below ? ` (with ${below} spans below it)` : ''}`, spanA: s.spanId });
    }
    for (const j of onlyB) {
      const s = sb.index.spans[j]!;
      const path = pathText(at(s.name));
      const below = descendants(sb, j);
      out.push({ kind: 'span-added', path, message: `span ${path} was added${below ? ` (with ${below} spans below it)` : ''}`, spanB: s.spanId });
    }
    for (const [i, j] of pairs) {
      const child = at(sa.index.spans[i]!.name);
      const before = out.length;
      compareSpans(sa.index.spans[i]!, sb.index.spans[j]!, '\u0000', keep, out);
      if (out.length > before) {
        const path = pathText(child);
        for (let k = before; k < out.length; k++) {
          const d = out[k]!;
          out[k] = { ...d, path, message: d.message.replace('\u0000', path) };
        }
      }
      work.push({ ia: i, ib: j, node: child });
    }
  }
  return out;
}
