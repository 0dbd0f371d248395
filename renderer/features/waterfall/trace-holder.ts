// The open trace lives HERE, outside reactive state: a 1M-span tree in typed arrays must never be
// copied, diffed or frozen by the store. The waterfall slice keeps only small values (version
// counters, selection, query) and bumps a counter when this object changes.
import type { Span } from '../../../shared/model';
import { spanSlack } from '../../../shared/perf/bottlenecks';
import { assignServiceColors, buildTraceTree, criticalPath, findInTrace, visibleRows } from '../../../shared/trace';
import type { CriticalPath, ServiceColor, TraceTree } from '../../../shared/trace';

export interface LoadedTrace {
  readonly traceId: string;
  readonly tree: TraceTree;
  /** collapsed[i] = 1 hides span i's descendants; mutated in place, then `collapseVersion` bumps. */
  readonly collapsed: Uint8Array;
  readonly colors: ReadonlyMap<string, ServiceColor>;
  readonly services: readonly string[];
  readonly errorCount: number;
}

let loaded: LoadedTrace | null = null;
let rowsCache: { version: number; rows: Int32Array } | null = null;
let pathCache: CriticalPath | null = null;
let slackCache: Float64Array | null = null;
let findCache: { query: string; matches: Int32Array; isMatch: Uint8Array } | null = null;
let evidenceCache: { spanIds: readonly string[]; isEvidence: Uint8Array; indices: Int32Array } | null = null;

export function setLoadedTrace(traceId: string, spans: readonly Span[]): LoadedTrace {
  const tree = buildTraceTree(spans);
  const services = new Set<string>();
  let errorCount = 0;
  let lastResource: object | null = null;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    if (s.resource !== lastResource) {
      services.add(s.serviceName);
      lastResource = s.resource;
    }
    if (s.status.code === 'error') errorCount++;
  }
  const names = [...services].sort();
  loaded = { traceId, tree, collapsed: new Uint8Array(tree.size), colors: assignServiceColors(names), services: names, errorCount };
  rowsCache = null;
  pathCache = null;
  slackCache = null;
  findCache = null;
  evidenceCache = null;
  return loaded;
}

/**
 * The same trace with more spans (a stream filling in): `spans` starts with the ones loaded so far,
 * in the same order, so their indices and collapsed flags carry over.
 */
export function growLoadedTrace(traceId: string, spans: readonly Span[]): LoadedTrace {
  const before = loaded;
  const grown = setLoadedTrace(traceId, spans);
  if (before && before.traceId === traceId) grown.collapsed.set(before.collapsed.subarray(0, Math.min(before.collapsed.length, grown.collapsed.length)));
  return grown;
}

export function clearLoadedTrace(): void {
  loaded = null;
  rowsCache = null;
  pathCache = null;
  slackCache = null;
  findCache = null;
  evidenceCache = null;
}

export function getLoadedTrace(): LoadedTrace | null {
  return loaded;
}

/** Visible rows for the current collapse state (recomputed only when the version changes). */
export function getRows(collapseVersion: number): Int32Array {
  if (!loaded) return new Int32Array(0);
  if (!rowsCache || rowsCache.version !== collapseVersion) rowsCache = { version: collapseVersion, rows: visibleRows(loaded.tree, loaded.collapsed) };
  return rowsCache.rows;
}

/** Computed on first use: most people never toggle it. */
export function getCriticalPath(): CriticalPath | null {
  if (!loaded) return null;
  pathCache ??= criticalPath(loaded.tree);
  return pathCache;
}

/** Each span's slack (µs, by span index; 0 on the critical path): how much later it could end without delaying the trace. */
export function getSlack(): Float64Array | null {
  const path = getCriticalPath();
  if (!loaded || !path) return null;
  slackCache ??= spanSlack(loaded.tree, path.onPath);
  return slackCache;
}

export function getFindResult(query: string): { matches: Int32Array; isMatch: Uint8Array } {
  if (!loaded || query.trim() === '') return { matches: new Int32Array(0), isMatch: new Uint8Array(0) };
  if (!findCache || findCache.query !== query) {
    const matches = findInTrace(loaded.tree, query);
    const isMatch = new Uint8Array(loaded.tree.size);
    for (let k = 0; k < matches.length; k++) isMatch[matches[k]!] = 1;
    findCache = { query, matches, isMatch };
  }
  return findCache;
}

/**
 * Where the given span ids are in the open trace: `isEvidence[i] = 1` marks span i, `indices` lists
 * them in the order of `spanIds` (ids not in the trace are skipped). Cached per id list.
 */
export function getEvidenceMarks(spanIds: readonly string[]): { isEvidence: Uint8Array; indices: Int32Array } {
  if (!loaded || spanIds.length === 0) return { isEvidence: new Uint8Array(0), indices: new Int32Array(0) };
  if (!evidenceCache || evidenceCache.spanIds !== spanIds) {
    const wanted = new Map<string, number>();
    spanIds.forEach((id, k) => wanted.has(id) || wanted.set(id, k));
    const isEvidence = new Uint8Array(loaded.tree.size);
    const found: Array<[order: number, span: number]> = [];
    for (let i = 0; i < loaded.tree.size; i++) {
      const order = wanted.get(loaded.tree.spans[i]!.spanId);
      if (order === undefined) continue;
      isEvidence[i] = 1;
      found.push([order, i]);
    }
    found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    evidenceCache = { spanIds, isEvidence, indices: Int32Array.from(found, (f) => f[1]) };
  }
  return evidenceCache;
}
