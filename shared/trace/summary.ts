// Trace summaries (one row of the traces list) and trace-list filtering, pure so the store, the
// browser-mode server and the harness's demo back end all compute them the same way.
import type { Span } from '../model';
import { findAttribute, toText } from '../model';
import type { TraceQuery, TraceSummary } from '../ipc/contract';

/** Summaries of every trace in `spans` (spans of several traces may be mixed). */
export function summarizeTraces(spans: readonly Span[]): TraceSummary[] {
  interface Acc {
    traceId: string;
    ids: Set<string>;
    root: Span | undefined;
    first: Span;
    startUs: number;
    endUs: number;
    spanCount: number;
    errorCount: number;
    services: Set<string>;
  }
  const byTrace = new Map<string, Acc>();
  for (const s of spans) {
    let acc = byTrace.get(s.traceId);
    if (!acc) {
      acc = { traceId: s.traceId, ids: new Set(), root: undefined, first: s, startUs: s.startUs, endUs: s.startUs + s.durationUs, spanCount: 0, errorCount: 0, services: new Set() };
      byTrace.set(s.traceId, acc);
    }
    acc.ids.add(s.spanId);
    acc.spanCount++;
    if (s.status.code === 'error') acc.errorCount++;
    acc.services.add(s.serviceName);
    if (s.startUs < acc.startUs) acc.startUs = s.startUs;
    if (s.startUs + s.durationUs > acc.endUs) acc.endUs = s.startUs + s.durationUs;
    if (!s.parentSpanId && (!acc.root || s.startUs < acc.root.startUs)) acc.root = s;
    if (s.startUs < acc.first.startUs) acc.first = s;
  }
  const out: TraceSummary[] = [];
  for (const acc of byTrace.values()) {
    // No true root (all parents missing): the earliest span stands in, as Jaeger does.
    const root = acc.root ?? acc.first;
    out.push({
      traceId: acc.traceId,
      rootName: root.name,
      rootService: root.serviceName,
      startUs: acc.startUs,
      durationUs: acc.endUs - acc.startUs,
      spanCount: acc.spanCount,
      errorCount: acc.errorCount,
      services: [...acc.services].sort(),
    });
  }
  return out;
}

/** Does a trace's span list satisfy the span-level parts of a query (service, name, attributes)? */
export function traceMatchesSpans(spans: readonly Span[], query: TraceQuery): boolean {
  if (query.service && !spans.some((s) => s.serviceName === query.service)) return false;
  if (query.spanName && !spans.some((s) => s.name.toLowerCase().includes(query.spanName!.toLowerCase()))) return false;
  for (const { key, value } of query.attributes) {
    const found = spans.some((s) => {
      const v = findAttribute(s.attributes, key) ?? findAttribute(s.resource.attributes, key);
      return v !== undefined && toText(v) === value;
    });
    if (!found) return false;
  }
  return true;
}

/** Summary-level filters, sorting and paging of a query. */
export function filterSummaries(summaries: readonly TraceSummary[], query: TraceQuery): { traces: TraceSummary[]; total: number } {
  const minUs = query.minDurationMs !== undefined ? query.minDurationMs * 1000 : -Infinity;
  const maxUs = query.maxDurationMs !== undefined ? query.maxDurationMs * 1000 : Infinity;
  const picked = summaries.filter(
    (t) =>
      t.durationUs >= minUs &&
      t.durationUs <= maxUs &&
      (query.sinceUs === undefined || t.startUs >= query.sinceUs) &&
      (query.untilUs === undefined || t.startUs <= query.untilUs) &&
      (query.status === 'any' || (query.status === 'error' ? t.errorCount > 0 : t.errorCount === 0)),
  );
  const cmp: Record<TraceQuery['sort'], (a: TraceSummary, b: TraceSummary) => number> = {
    newest: (a, b) => b.startUs - a.startUs,
    oldest: (a, b) => a.startUs - b.startUs,
    longest: (a, b) => b.durationUs - a.durationUs,
    shortest: (a, b) => a.durationUs - b.durationUs,
    'most-spans': (a, b) => b.spanCount - a.spanCount,
  };
  picked.sort(cmp[query.sort]);
  return { traces: picked.slice(query.offset, query.offset + query.limit), total: picked.length };
}
