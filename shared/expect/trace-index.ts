// One index over the spans of an evaluation, built once and shared by every expectation family:
// spans by name, parent links, per-trace groups, children, attribute keys. Everything read from the
// span objects is read in one pass (span-columns.ts: each pass over a million scattered objects
// costs ~100 ms of cache misses); views derived from the typed columns alone (children, top-down
// order, per-trace groups, glob matches) are built on first use (index-views.ts).
import type { Resource, Span } from '../model';
import { readSpanColumns } from './span-columns';
import { childLists, groupByTrace, matchingGlob, topDownOrder } from './index-views';

export { kindNumber, statusNumber, STATUS_UNSET, STATUS_OK, STATUS_ERROR, NO_PARENT, MISSING_PARENT } from './span-columns';

/**
 * A per-span column kept as a plain JS array of numbers rather than a typed array. V8 counts
 * typed-array memory as external, and 64 MB of new external memory since the last full GC starts
 * incremental marking of the whole heap — with a million spans (~740 MB of span objects) about a
 * second of marking per evaluation. So an index keeps only ~40 MB in typed arrays (the id table,
 * kind/status bytes and five Int32 columns, see span-columns.ts) and the rest on the JS heap.
 */
export type Column = readonly number[];

export interface TraceIndex {
  readonly spans: readonly Span[];
  /** Span indices by exact name, in input order . */
  readonly byName: ReadonlyMap<string, Column>;
  /** Position of span i's name in `names` (so per-name facts can live in arrays). */
  readonly nameId: Int32Array;
  /** Parent of span i: an index, NO_PARENT or MISSING_PARENT. */
  readonly parent: Int32Array;
  /** Status of span i: STATUS_UNSET, STATUS_OK or STATUS_ERROR (read once here, scanned by several families). */
  readonly status: Uint8Array;
  /** Kind of span i as its position in SPAN_KINDS. */
  readonly kind: Uint8Array;
  /** Service of span i as its position in `services`. */
  readonly serviceId: Int32Array;
  /** Distinct service names (`serviceName` of the spans). */
  readonly services: readonly string[];
  /** Start of span i in µs (a copy of span.startUs in one array: scans stay in cache). */
  readonly startUs: Column;
  /** End of span i in µs (startUs + durationUs). */
  readonly endUs: Column;
  /** Children of span i: `childList[childStart[i]..childStart[i + 1])`. */
  children(): { readonly childStart: Column; readonly childList: Column };
  /** Span indices with every parent before its children (spans in parent cycles are left out); cached. */
  topDown(): Column;
  /** Span indices per trace id, in input order ; built on first use. */
  traces(): ReadonlyMap<string, Column>;
  /** Every span index holding a span id (any trace); used to tell "lost" from "cross-trace" parents. */
  spansWithId(spanId: string): readonly number[];
  /** Span indices (ascending) whose name equals or (glob) matches the pattern; cached per pattern. */
  matching(pattern: string): Column;
  /** For each distinct name (by `nameId`), 1 when it equals / glob-matches the pattern; cached per pattern. */
  nameMask(pattern: string): Uint8Array;
  /** Attribute keys of every span as ids (built on first use): span i's keys are `keyId[keyStart[i]..keyStart[i+1])`, in attribute order. */
  attributeKeys(): AttributeKeyTable;
  /** Resource of span i as its position in `resources` (spans of one ResourceSpans share the object). */
  readonly resourceId: Int32Array;
  readonly resources: readonly Resource[];
  /** Names of spans in the index (distinct). */
  readonly names: readonly string[];
}

export interface AttributeKeyTable {
  readonly keyStart: Column;
  readonly keyId: Column;
  /** Distinct keys; `keyId` values index into it. */
  readonly keys: readonly string[];
  /** Id of a key, or -1 when no span has it. */
  idOf(key: string): number;
}

export function isGlob(pattern: string): boolean {
  return pattern.includes('*');
}

/** `*` matches any run of characters (including `.` and `:`); everything else is literal. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

/** A name predicate: exact comparison, or a precompiled RegExp when the pattern contains `*`. */
export function nameMatcher(pattern: string): (name: string) => boolean {
  if (!isGlob(pattern)) return (name) => name === pattern;
  const re = globToRegExp(pattern);
  return (name) => re.test(name);
}

export function buildTraceIndex(spans: readonly Span[]): TraceIndex {
  const c = readSpanColumns(spans);
  const { names, byName, parent, traceNo, traceIds, keyStart, keyId, keys, ids } = c;
  const idOfKey = new Map<string, number>();
  for (let k = 0; k < keys.length; k++) idOfKey.set(keys[k]!, k);
  const keyTable: AttributeKeyTable = { keyStart, keyId, keys, idOf: (key) => idOfKey.get(key) ?? -1 };

  let childCache: { childStart: Column; childList: Column } | undefined;
  let traceCache: Map<string, Column> | undefined;
  let topDownCache: Column | undefined;
  const matchCache = new Map<string, Column>();
  const maskCache = new Map<string, Uint8Array>();

  const index: TraceIndex = {
    spans,
    byName,
    nameId: c.nameId,
    status: c.status,
    parent,
    kind: c.kind,
    serviceId: c.serviceId,
    services: c.services,
    resourceId: c.resourceId,
    resources: c.resources,
    startUs: c.startUs,
    endUs: c.endUs,
    names,
    children() {
      childCache ??= childLists(parent);
      return childCache;
    },
    topDown() {
      topDownCache ??= topDownOrder(parent, index.children());
      return topDownCache;
    },
    nameMask(pattern) {
      let mask = maskCache.get(pattern);
      if (!mask) {
        const matches = nameMatcher(pattern);
        mask = new Uint8Array(names.length);
        for (let k = 0; k < names.length; k++) if (matches(names[k]!)) mask[k] = 1;
        maskCache.set(pattern, mask);
      }
      return mask;
    },
    attributeKeys() {
      return keyTable;
    },
    traces() {
      traceCache ??= groupByTrace(traceNo, traceIds);
      return traceCache;
    },
    spansWithId(spanId) {
      return ids.find(spanId);
    },
    matching(pattern) {
      let out: Column | undefined = matchCache.get(pattern);
      if (!out) {
        out = isGlob(pattern) ? matchingGlob(c.nameId, index.nameMask(pattern)) : (byName.get(pattern) ?? []);
        matchCache.set(pattern, out);
      }
      return out;
    },
  };
  return index;
}

/** True when `ancestor` is a proper ancestor of `i` (iterative walk up; bounded by the trace depth). */
export function isAncestor(index: TraceIndex, ancestor: number, i: number): boolean {
  let p = index.parent[i]!;
  // The step bound guards against malformed cyclic parent links.
  for (let steps = 0; p >= 0 && steps <= index.spans.length; steps++) {
    if (p === ancestor) return true;
    p = index.parent[p]!;
  }
  return false;
}

/** First proper ancestor of `i` satisfying the predicate, or -1. */
export function findAncestor(index: TraceIndex, i: number, pred: (j: number) => boolean): number {
  let p = index.parent[i]!;
  for (let steps = 0; p >= 0 && steps <= index.spans.length; steps++) {
    if (pred(p)) return p;
    p = index.parent[p]!;
  }
  return -1;
}
