// Recommendations from one trace's shape, each with the spans that show it and the time it could
// save at most (an estimate from the timing alone: the trace cannot tell whether calls depend on
// each other, so every message says "if").
// - n-plus-one: one parent calls the same operation 3+ times one after another (a loop of queries).
// - parallelize: sibling calls of different operations on the critical path run one after another.
// - cache: the same operation with identical attributes runs 2+ times in the trace.
import type { Span } from '../model';
import type { TraceTree } from '../trace';

export type RecommendationKind = 'n-plus-one' | 'parallelize' | 'cache';

export interface Recommendation {
  readonly kind: RecommendationKind;
  readonly traceId: string;
  readonly message: string;
  /** Upper estimate of the time saved, µs. */
  readonly savingUs: number;
  readonly evidence: readonly string[];
}

/** Fewest repeated sequential calls called N+1. */
const N_PLUS_ONE_MIN = 3;
/** A sequential sibling worth running in parallel takes at least this share of its parent. */
const PARALLEL_MIN_SHARE = 0.05;
/** Evidence lists are cut here (the count is in the message). */
const MAX_EVIDENCE = 50;

const operation = (s: Span): string => `${s.serviceName}\u0000${s.name}`;

/** Attributes as one comparable string: keys sorted, values as their JSON. */
export function attributeIdentity(span: Span): string {
  return JSON.stringify([...span.attributes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
}

const ms = (us: number): string => `${(us / 1000).toFixed(us < 10_000 ? 2 : 0)} ms`;

function children(tree: TraceTree, p: number): number[] {
  return Array.from(tree.childIndex.subarray(tree.childOffset[p]!, tree.childOffset[p + 1]!));
}

/** Saving when calls that ran one after another run as one batch or side by side: all but the longest. */
function overlapSaving(spans: readonly Span[]): number {
  const total = spans.reduce((sum, s) => sum + s.durationUs, 0);
  return total - spans.reduce((max, s) => Math.max(max, s.durationUs), 0);
}

/** Do the spans (start-sorted) run one after another, none starting before the previous ended? */
function sequential(tree: TraceTree, ids: readonly number[]): boolean {
  for (let k = 1; k < ids.length; k++) if (tree.startUs[ids[k]!]! < tree.endUs[ids[k - 1]!]!) return false;
  return true;
}

function nPlusOne(tree: TraceTree, p: number, traceId: string, out: Recommendation[]): void {
  const groups = new Map<string, number[]>();
  for (const c of children(tree, p)) {
    const key = operation(tree.spans[c]!);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(c);
  }
  for (const ids of groups.values()) {
    if (ids.length < N_PLUS_ONE_MIN || !sequential(tree, ids)) continue;
    const spans = ids.map((i) => tree.spans[i]!);
    const saving = overlapSaving(spans);
    out.push({
      kind: 'n-plus-one', traceId, savingUs: saving, evidence: spans.slice(0, MAX_EVIDENCE).map((s) => s.spanId),
      message: `${spans.length} × "${spans[0]!.name}" (${spans[0]!.serviceName}) one after another under "${tree.spans[p]!.name}": an N+1 pattern; one batched call could save up to ${ms(saving)}.`,
    });
  }
}

function parallelize(tree: TraceTree, p: number, onPath: ReadonlySet<string>, traceId: string, out: Recommendation[]): void {
  const parentUs = tree.endUs[p]! - tree.startUs[p]!;
  const big = children(tree, p).filter((c) => onPath.has(tree.spans[c]!.spanId) && tree.endUs[c]! - tree.startUs[c]! >= PARALLEL_MIN_SHARE * parentUs);
  // Repeated operations are the N+1 case; the others are candidates for running side by side.
  const seen = new Map<string, number>();
  for (const c of big) seen.set(operation(tree.spans[c]!), (seen.get(operation(tree.spans[c]!)) ?? 0) + 1);
  const distinct = big.filter((c) => seen.get(operation(tree.spans[c]!)) === 1);
  if (distinct.length < 2 || !sequential(tree, distinct)) return;
  const spans = distinct.map((i) => tree.spans[i]!);
  const saving = overlapSaving(spans);
  out.push({
    kind: 'parallelize', traceId, savingUs: saving, evidence: spans.slice(0, MAX_EVIDENCE).map((s) => s.spanId),
    message: `${spans.map((s) => `"${s.name}"`).join(', ')} run one after another on the critical path under "${tree.spans[p]!.name}": if they are independent, running them in parallel could save up to ${ms(saving)}.`,
  });
}

function cacheable(tree: TraceTree, traceId: string, out: Recommendation[]): void {
  const groups = new Map<string, Span[]>();
  for (const s of tree.spans) {
    if (s.attributes.length === 0) continue; // nothing says two such calls ask the same thing
    const key = `${operation(s)}\u0000${attributeIdentity(s)}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(s);
  }
  for (const spans of groups.values()) {
    if (spans.length < 2) continue;
    const saving = spans.reduce((sum, s) => sum + s.durationUs, 0) - spans[0]!.durationUs;
    out.push({
      kind: 'cache', traceId, savingUs: saving, evidence: spans.slice(0, MAX_EVIDENCE).map((s) => s.spanId),
      message: `${spans.length} identical "${spans[0]!.name}" calls (${spans[0]!.serviceName}, same attributes): if the result does not change in between, caching it could save up to ${ms(saving)}.`,
    });
  }
}

/** Every recommendation for one trace; `onPath` holds the span ids on its critical path. */
export function findRecommendations(tree: TraceTree, onPath: ReadonlySet<string>): Recommendation[] {
  const out: Recommendation[] = [];
  const traceId = tree.spans[0]?.traceId ?? '';
  for (let p = 0; p < tree.size; p++) {
    if (tree.childOffset[p + 1]! - tree.childOffset[p]! < 2) continue;
    nPlusOne(tree, p, traceId, out);
    parallelize(tree, p, onPath, traceId, out);
  }
  cacheable(tree, traceId, out);
  return out;
}
