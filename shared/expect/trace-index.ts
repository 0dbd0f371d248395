// One index over the spans of an evaluation, built once and shared by every expectation family:
// spans by name, parent links, per-trace groups, children. Cheap parts are built eagerly; parts only
// some families need (children, traces, cross-trace lookups) are built on first use.
import { SPAN_KINDS } from '../model';
import { SpanIdTable } from './span-id-table';
import type { Resource, Span } from '../model';

const KIND_NUMBER: Readonly<Record<string, number>> = Object.fromEntries(SPAN_KINDS.map((k, i) => [k, i]));
/** Position of a span kind in SPAN_KINDS (unknown kinds count as 'unspecified'). */
export function kindNumber(kind: string): number {
  return KIND_NUMBER[kind] ?? 0;
}

export const STATUS_UNSET = 0;
export const STATUS_OK = 1;
export const STATUS_ERROR = 2;
export function statusNumber(code: string): number {
  return code === 'ok' ? STATUS_OK : code === 'error' ? STATUS_ERROR : STATUS_UNSET;
}

/** Parent index value for a span whose parent id is absent (a root). */
export const NO_PARENT = -1;
/** Parent index value for a span whose parent id is set but not found in the same trace. */
export const MISSING_PARENT = -2;

export interface TraceIndex {
  readonly spans: readonly Span[];
  /** Span indices by exact name, in input order (views into one typed array). */
  readonly byName: ReadonlyMap<string, Int32Array>;
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
  readonly startUs: Float64Array;
  /** End of span i in µs (startUs + durationUs). */
  readonly endUs: Float64Array;
  /** Children of span i: `childList.subarray(childStart[i], childStart[i + 1])`. */
  children(): { readonly childStart: Int32Array; readonly childList: Int32Array };
  /** Span indices with every parent before its children (spans in parent cycles are left out); cached. */
  topDown(): Int32Array;
  /** Span indices per trace id, in input order (views into one typed array); built on first use. */
  traces(): ReadonlyMap<string, Int32Array>;
  /** Every span index holding a span id (any trace); used to tell "lost" from "cross-trace" parents. */
  spansWithId(spanId: string): readonly number[];
  /** Span indices (ascending) whose name equals or (glob) matches the pattern; cached per pattern. */
  matching(pattern: string): Int32Array;
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
  readonly keyStart: Int32Array;
  readonly keyId: Int32Array;
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
  const n = spans.length;
  const nameIdOf = new Map<string, number>();
  const names: string[] = [];
  const perName: number[] = [];
  const nameId = new Int32Array(n);
  const kind = new Uint8Array(n);
  const serviceId = new Int32Array(n);
  const services: string[] = [];
  const serviceIdOf = new Map<string, number>();
  let lastService: string | undefined;
  let lastServiceId = -1;
  const resourceId = new Int32Array(n);
  const resources: Resource[] = [];
  const resourceIdOf = new Map<Resource, number>();
  let lastResource: Resource | undefined;
  let lastResourceId = -1;
  const startUs = new Float64Array(n);
  const endUs = new Float64Array(n);
  const status = new Uint8Array(n);
  let lastName: string | undefined;
  let lastId = -1;
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    const code = s.status.code;
    status[i] = code === 'ok' ? STATUS_OK : code === 'error' ? STATUS_ERROR : STATUS_UNSET;
    // Runs of same-named spans (siblings) are common: reuse the previous lookup.
    let id = s.name === lastName ? lastId : nameIdOf.get(s.name);
    if (id === undefined) {
      id = names.length;
      nameIdOf.set(s.name, id);
      names.push(s.name);
      perName.push(0);
    }
    nameId[i] = id;
    lastName = s.name;
    lastId = id;
    perName[id]!++;
    startUs[i] = s.startUs;
    kind[i] = KIND_NUMBER[s.kind] ?? 0;
    if (s.serviceName !== lastService) {
      let sid = serviceIdOf.get(s.serviceName);
      if (sid === undefined) {
        sid = services.length;
        services.push(s.serviceName);
        serviceIdOf.set(s.serviceName, sid);
      }
      lastService = s.serviceName;
      lastServiceId = sid;
    }
    serviceId[i] = lastServiceId;
    if (s.resource !== lastResource) {
      let rid = resourceIdOf.get(s.resource);
      if (rid === undefined) {
        rid = resources.length;
        resources.push(s.resource);
        resourceIdOf.set(s.resource, rid);
      }
      lastResource = s.resource;
      lastResourceId = rid;
    }
    resourceId[i] = lastResourceId;
    endUs[i] = s.startUs + s.durationUs;
  }
  // Span indices grouped by name in one typed array (counting sort): no per-name JS arrays to collect.
  const byName = new Map<string, Int32Array>();
  {
    const nameStart = new Int32Array(names.length + 1);
    for (let k = 0; k < names.length; k++) nameStart[k + 1] = nameStart[k]! + perName[k]!;
    const fill = nameStart.slice(0, names.length);
    const grouped = new Int32Array(n);
    for (let i = 0; i < n; i++) grouped[fill[nameId[i]!]!++] = i;
    for (let k = 0; k < names.length; k++) byName.set(names[k]!, grouped.subarray(nameStart[k]!, nameStart[k + 1]!));
  }
  const ids = new SpanIdTable(spans);

  const parent = new Int32Array(n);
  // Siblings usually arrive together: remember the last resolved parent.
  let lastPid: string | undefined;
  let lastTrace: string | undefined;
  let lastParent = MISSING_PARENT;
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    const pid = s.parentSpanId;
    if (!pid) parent[i] = NO_PARENT;
    else if (pid === lastPid && s.traceId === lastTrace && lastParent !== i) parent[i] = lastParent;
    else {
      const p = ids.findInTrace(pid, s.traceId, i);
      parent[i] = p >= 0 ? p : MISSING_PARENT;
      lastPid = pid;
      lastTrace = s.traceId;
      lastParent = parent[i]!;
    }
  }

  let childCache: { childStart: Int32Array; childList: Int32Array } | undefined;
  let traceCache: Map<string, Int32Array> | undefined;
  let topDownCache: Int32Array | undefined;
  const matchCache = new Map<string, Int32Array>();
  const maskCache = new Map<string, Uint8Array>();
  let keyTable: AttributeKeyTable | undefined;

  const index: TraceIndex = {
    spans,
    byName,
    nameId,
    status,
    parent,
    kind,
    serviceId,
    services,
    resourceId,
    resources,
    startUs,
    endUs,
    names,
    children() {
      if (childCache) return childCache;
      const childStart = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) if (parent[i]! >= 0) childStart[parent[i]! + 1]!++;
      for (let i = 0; i < n; i++) childStart[i + 1]! += childStart[i]!;
      const fill = childStart.slice(0, n);
      const childList = new Int32Array(childStart[n]!);
      for (let i = 0; i < n; i++) {
        const p = parent[i]!;
        if (p >= 0) childList[fill[p]!++] = i;
      }
      childCache = { childStart, childList };
      return childCache;
    },
    topDown() {
      if (topDownCache) return topDownCache;
      const { childStart, childList } = index.children();
      const order = new Int32Array(n);
      let tail = 0;
      for (let i = 0; i < n; i++) if (parent[i]! < 0) order[tail++] = i;
      for (let head = 0; head < tail; head++) {
        const p = order[head]!;
        for (let k = childStart[p]!; k < childStart[p + 1]!; k++) order[tail++] = childList[k]!;
      }
      topDownCache = order.subarray(0, tail);
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
      if (keyTable) return keyTable;
      const keyStart = new Int32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        keyStart[i] = total;
        total += spans[i]!.attributes.length;
      }
      keyStart[n] = total;
      const keyId = new Int32Array(total);
      const keys: string[] = [];
      const idOfKey = new Map<string, number>();
      let at = 0;
      for (let i = 0; i < n; i++) {
        const attrs = spans[i]!.attributes;
        for (let k = 0; k < attrs.length; k++) {
          const key = attrs[k]!.key;
          let id = idOfKey.get(key);
          if (id === undefined) {
            id = keys.length;
            keys.push(key);
            idOfKey.set(key, id);
          }
          keyId[at++] = id;
        }
      }
      keyTable = { keyStart, keyId, keys, idOf: (key) => idOfKey.get(key) ?? -1 };
      return keyTable;
    },
    traces() {
      if (traceCache) return traceCache;
      // Number the traces (consecutive spans usually share one: skip the map then), then group
      // the span indices by trace in one typed array.
      const traceNo = new Int32Array(n);
      const traceIds: string[] = [];
      const counts: number[] = [];
      const noOf = new Map<string, number>();
      let lastTrace: string | undefined;
      let lastNo = -1;
      for (let i = 0; i < n; i++) {
        const t = spans[i]!.traceId;
        if (t !== lastTrace) {
          let no = noOf.get(t);
          if (no === undefined) {
            no = traceIds.length;
            noOf.set(t, no);
            traceIds.push(t);
            counts.push(0);
          }
          lastTrace = t;
          lastNo = no;
        }
        traceNo[i] = lastNo;
        counts[lastNo]!++;
      }
      const start = new Int32Array(traceIds.length + 1);
      for (let k = 0; k < traceIds.length; k++) start[k + 1] = start[k]! + counts[k]!;
      const fill = start.slice(0, traceIds.length);
      const grouped = new Int32Array(n);
      for (let i = 0; i < n; i++) grouped[fill[traceNo[i]!]!++] = i;
      traceCache = new Map();
      for (let k = 0; k < traceIds.length; k++) traceCache.set(traceIds[k]!, grouped.subarray(start[k]!, start[k + 1]!));
      return traceCache;
    },
    spansWithId(spanId) {
      return ids.find(spanId);
    },
    matching(pattern) {
      const cached = matchCache.get(pattern);
      if (cached) return cached;
      let out: Int32Array;
      if (!isGlob(pattern)) out = byName.get(pattern) ?? new Int32Array(0);
      else {
        const re = globToRegExp(pattern);
        const parts: Int32Array[] = [];
        let total = 0;
        for (const [name, list] of byName) {
          if (re.test(name)) {
            parts.push(list);
            total += list.length;
          }
        }
        if (parts.length === 1) out = parts[0]!;
        else {
          out = new Int32Array(total);
          let at = 0;
          for (const p of parts) {
            out.set(p, at);
            at += p.length;
          }
          out.sort(); // numeric for typed arrays: input order
        }
      }
      matchCache.set(pattern, out);
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
