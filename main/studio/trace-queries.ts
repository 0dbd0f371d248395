// The contract's trace and history questions (list, get, service graph, clear, runs) answered by the trace store:
// translates the UI's query shape (µs bounds, sort names, several attribute pairs) into the
// store's, and the store's edges into the contract's.
import { StudioError } from '../../shared/errors';
import { MAX_RUN_EXECUTIONS, type CallArgs, type CallResponse, type TraceQuery } from '../../shared/ipc/contract';
import { RUNNER_SCOPE } from '../runner';
import type { ListTracesQuery, TraceStore } from '../store';

const SORTS: Record<TraceQuery['sort'], Pick<ListTracesQuery, 'sort' | 'order'>> = {
  newest: { sort: 'start', order: 'desc' },
  oldest: { sort: 'start', order: 'asc' },
  longest: { sort: 'duration', order: 'desc' },
  shortest: { sort: 'duration', order: 'asc' },
  'most-spans': { sort: 'spans', order: 'desc' },
};

/** Most traces considered when several attribute pairs must all match (intersected here). */
const MAX_INTERSECT = 100_000;

function storeQuery(q: TraceQuery): ListTracesQuery {
  const out: ListTracesQuery = { ...SORTS[q.sort], limit: q.limit, offset: q.offset };
  if (q.service !== undefined) out.service = q.service;
  if (q.spanName !== undefined) out.spanNameContains = q.spanName;
  if (q.minDurationMs !== undefined) out.minDurationMs = q.minDurationMs;
  if (q.maxDurationMs !== undefined) out.maxDurationMs = q.maxDurationMs;
  if (q.status === 'no-errors') out.withoutErrors = true;
  else if (q.status !== 'any') out.status = q.status;
  // The store takes ms since the epoch; the contract speaks µs.
  if (q.sinceUs !== undefined) out.since = q.sinceUs / 1000;
  if (q.untilUs !== undefined) out.until = q.untilUs / 1000;
  if (q.runId !== undefined) out.runId = q.runId;
  if (q.executionId !== undefined) out.executionId = q.executionId;
  if (q.attributes[0]) out.attribute = q.attributes[0];
  return out;
}

export async function listTraces(store: TraceStore, q: CallArgs<'listTraces'>): Promise<CallResponse<'listTraces'>> {
  const base = storeQuery(q);
  if (q.attributes.length <= 1) return store.listTraces(base);
  // The store filters on one attribute pair; every further pair narrows the set of trace ids.
  const all = await store.listTraces({ ...base, limit: MAX_INTERSECT, offset: 0 });
  let keep = new Set(all.traces.map((t) => t.traceId));
  for (const attribute of q.attributes.slice(1)) {
    if (keep.size === 0) break;
    const matching = await store.listTraces({ ...base, attribute, limit: MAX_INTERSECT, offset: 0 });
    const next = new Set<string>();
    for (const t of matching.traces) if (keep.has(t.traceId)) next.add(t.traceId);
    keep = next;
  }
  const traces = all.traces.filter((t) => keep.has(t.traceId));
  return { traces: traces.slice(q.offset, q.offset + q.limit), total: traces.length };
}

export async function getTrace(store: TraceStore, { traceId }: CallArgs<'getTrace'>): Promise<CallResponse<'getTrace'>> {
  const spans = await store.getTrace(traceId);
  if (spans.length === 0) {
    throw new StudioError({ code: 'trace.not-found', message: `No trace ${traceId} in the store (it may have been cleared or pruned); refresh the list.`, details: { traceId } });
  }
  return { traceId, spans };
}

/** Services seen in at most this many recent traces are listed even when they call no one. */
const GRAPH_SERVICE_SAMPLE = 1000;

export async function serviceGraph(store: TraceStore, q: CallArgs<'serviceGraph'>): Promise<CallResponse<'serviceGraph'>> {
  const filter = {
    ...(q.sinceUs !== undefined ? { since: q.sinceUs / 1000 } : {}),
    ...(q.untilUs !== undefined ? { until: q.untilUs / 1000 } : {}),
    ...(q.runId !== undefined ? { runId: q.runId } : {}),
    // The map of a run's executions is of the system under test: the runner's own spans carry the
    // execution ids too, and its `clnrm` service is no part of what the test file declares.
    ...(q.executionIds !== undefined ? { executionIds: q.executionIds, exceptScope: RUNNER_SCOPE } : {}),
  };
  const edges = await store.serviceGraph(filter);
  const services = new Set<string>();
  for (const e of edges) services.add(e.parent).add(e.child);
  const recent = await store.listTraces({ ...filter, limit: GRAPH_SERVICE_SAMPLE });
  for (const t of recent.traces) for (const s of t.services) services.add(s);
  return {
    services: [...services].sort(),
    edges: edges.map((e) => ({ from: e.parent, to: e.child, calls: e.calls, errors: e.errors, p50Ms: e.p50Ms, p99Ms: e.p99Ms })),
  };
}

export async function clearAll(store: TraceStore): Promise<CallResponse<'clearAll'>> {
  const traces = await store.listTraces({ limit: 1 });
  let removedSpans = 0;
  for (const stat of await store.spanStats()) removedSpans += stat.count;
  await store.clear();
  return { removedTraces: traces.total, removedSpans };
}

/** Run history for the Tests view; each run lists at most MAX_RUN_EXECUTIONS executions (the first ones). */
export async function listRuns(store: TraceStore, q: CallArgs<'listRuns'>): Promise<CallResponse<'listRuns'>> {
  const runs = await store.listRuns(q);
  return { runs: runs.map(({ run, executions }) => ({ run, executions: executions.slice(0, MAX_RUN_EXECUTIONS) })) };
}
