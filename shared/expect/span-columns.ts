// The index's one pass over the span objects: every fact any expectation family reads from a span
// (name, kind, status, service, resource, times, trace, id, parent id, attribute keys) is copied into
// typed columns here, so no family walks the million span objects again just to learn these.
// Parent links are resolved in the same pass when the parent came first, afterwards otherwise.
import { SPAN_KINDS } from '../model';
import type { Resource, Span } from '../model';
import { SpanIdTable, idHalves, lastExact, lastHi, lastLo } from './span-id-table';

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

export interface SpanColumns {
  readonly n: number;
  readonly names: string[];
  readonly nameId: Int32Array;
  /** Span indices grouped by name, in input order. */
  readonly byName: Map<string, number[]>;
  readonly kind: Uint8Array;
  readonly status: Uint8Array;
  readonly serviceId: Int32Array;
  readonly services: string[];
  readonly resourceId: Int32Array;
  readonly resources: Resource[];
  readonly startUs: number[];
  readonly endUs: number[];
  /** Trace of span i as its position in `traceIds`. */
  readonly traceNo: Int32Array;
  readonly traceIds: string[];
  readonly parent: Int32Array;
  readonly ids: SpanIdTable;
  /** Span i's attribute keys are `keyId[keyStart[i]..keyStart[i+1])`, ids into `keys`. */
  readonly keyStart: number[];
  readonly keyId: number[];
  readonly keys: string[];
}

/** Numbers distinct strings; runs of equal consecutive values (siblings, one trace) skip the map. */
class Numbering {
  readonly values: string[] = [];
  private readonly idOf = new Map<string, number>();
  private last: string | undefined;
  private lastId = -1;
  id(value: string): number {
    if (value === this.last) return this.lastId;
    let id = this.idOf.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.idOf.set(value, id);
      this.values.push(value);
    }
    this.last = value;
    this.lastId = id;
    return id;
  }
}

export function readSpanColumns(spans: readonly Span[]): SpanColumns {
  const n = spans.length;
  const nameNo = new Numbering();
  const serviceNo = new Numbering();
  const traceNumbering = new Numbering();
  // External-memory budget (see Column in trace-index.ts): the id table (17 B/span), kind and status
  // (1 B each) and five Int32 columns (20 B) stay typed — typed arrays cost nothing to allocate and
  // half the bytes — keeping an index near 40 MB of external memory, under V8's 64 MB trigger with
  // room for the families' scratch arrays. The rest are JS arrays on the heap.
  const nameId = new Int32Array(n);
  const kind = new Uint8Array(n);
  const status = new Uint8Array(n);
  const serviceId = new Int32Array(n);
  const resourceId = new Int32Array(n);
  const resources: Resource[] = [];
  const resourceIdOf = new Map<Resource, number>();
  let lastResource: Resource | undefined;
  let lastResourceId = -1;
  // NaN fill makes double arrays from the start (a zero fill would be copied when the first double arrives).
  const startUs = new Array<number>(n).fill(NaN);
  const endUs = new Array<number>(n).fill(NaN);
  const traceNo = new Int32Array(n);
  const parent = new Int32Array(n);
  const ids = new SpanIdTable(spans);
  const keyStart = intColumn(n + 1);
  const keyId: number[] = [];
  const keyNo = new Map<string, number>();
  const keys: string[] = [];
  let keyCount = 0;
  // Children that arrived before their parent: resolved after the pass (parsed parent id kept).
  const pending: number[] = [];
  const pendingHi: number[] = [];
  const pendingLo: number[] = [];
  const pendingExact: number[] = [];
  // Siblings usually arrive together: remember the last resolved parent id.
  let lastPid: string | undefined;
  let lastPidTrace = -1;
  let lastParent = MISSING_PARENT;

  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    const code = s.status.code;
    status[i] = code === 'ok' ? STATUS_OK : code === 'error' ? STATUS_ERROR : STATUS_UNSET;
    nameId[i] = nameNo.id(s.name);
    kind[i] = KIND_NUMBER[s.kind] ?? 0;
    serviceId[i] = serviceNo.id(s.serviceName);
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
    const start = s.startUs;
    startUs[i] = start;
    endUs[i] = start + s.durationUs;
    const trace = traceNumbering.id(s.traceId);
    traceNo[i] = trace;
    idHalves(s.spanId);
    ids.addParsed(i);

    const pid = s.parentSpanId;
    if (!pid) parent[i] = NO_PARENT;
    else if (pid === lastPid && trace === lastPidTrace && lastParent !== i) parent[i] = lastParent;
    else {
      idHalves(pid);
      const hi = lastHi();
      const lo = lastLo();
      const exact = lastExact();
      const p = ids.findParsed(hi, lo, exact, pid, trace, traceNo, i);
      if (p >= 0) {
        parent[i] = p;
        lastPid = pid;
        lastPidTrace = trace;
        lastParent = p;
      } else {
        // Not seen yet (or absent): settled after the pass; don't let siblings reuse the miss.
        parent[i] = MISSING_PARENT;
        pending.push(i);
        pendingHi.push(hi);
        pendingLo.push(lo);
        pendingExact.push(exact);
        lastPid = undefined;
      }
    }

    const attrs = s.attributes;
    keyStart[i] = keyCount;
    for (let a = 0; a < attrs.length; a++) {
      const key = attrs[a]!.key;
      let k = keyNo.get(key);
      if (k === undefined) {
        k = keys.length;
        keys.push(key);
        keyNo.set(key, k);
      }
      keyId.push(k);
      keyCount++;
    }
  }
  keyStart[n] = keyCount;

  for (let k = 0; k < pending.length; k++) {
    const i = pending[k]!;
    const p = ids.findParsed(pendingHi[k]!, pendingLo[k]!, pendingExact[k]!, spans[i]!.parentSpanId!, traceNo[i]!, traceNo, i);
    if (p >= 0) parent[i] = p;
  }

  const names = nameNo.values;
  return {
    n,
    names,
    nameId,
    byName: groupBy(nameId, names),
    kind,
    status,
    serviceId,
    services: serviceNo.values,
    resourceId,
    resources,
    startUs,
    endUs,
    traceNo,
    traceIds: traceNumbering.values,
    parent,
    ids,
    keyStart,
    keyId,
    keys,
  };
}

/**
 * Span indices grouped by a numbered column (name, trace), each list in input order and exactly
 * sized: counted first, so no list grows (and leaves copies behind) while a million are sorted in.
 */
export function groupBy(column: ArrayLike<number>, labels: readonly string[]): Map<string, number[]> {
  const counts = intColumn(labels.length);
  for (let i = 0; i < column.length; i++) counts[column[i]!]!++;
  const lists = counts.map((c) => intColumn(c));
  const fill = intColumn(labels.length);
  for (let i = 0; i < column.length; i++) {
    const g = column[i]!;
    lists[g]![fill[g]!++] = i;
  }
  const out = new Map<string, number[]>();
  for (let k = 0; k < labels.length; k++) out.set(labels[k]!, lists[k]!);
  return out;
}

/** An exactly sized JS array of small integers (holey-SMI elements: `new Array(n)` alone would be a dictionary above 100,000). */
export function intColumn(n: number, value = 0): number[] {
  return new Array<number>(n).fill(value);
}
