// A stored trace read as pages of spans, a run at a time from the store (./trace-chunks.ts), rather
// than as one array: `clnrm trace --format json|otlp` writes a 100k-span trace holding one page.
// Spans of one resource (or scope) share one object, as getTrace gives them, so the OTLP grouping is
// the same.
import type { InstrumentationScope, Resource, Span } from '../../shared/model';
import { decodeSpanMessage, type SpanGroup } from '../../shared/otlp';
import type { TraceStore } from './trace-store';

type Pages = Pick<TraceStore, 'traceChunk' | 'traceOrigins'>;

/** Spans a page holds. */
const PAGE_SPANS = 5000;

/** One Resource and one scope object per stored JSON text. */
class OriginObjects {
  private readonly resources = new Map<string, Resource>();
  private readonly scopes = new Map<string, InstrumentationScope>();

  of(origin: { resource: string; scope: string }): { resource: Resource; scope: InstrumentationScope } {
    let resource = this.resources.get(origin.resource);
    if (!resource) this.resources.set(origin.resource, (resource = JSON.parse(origin.resource) as Resource));
    let scope = this.scopes.get(origin.scope);
    if (!scope) this.scopes.set(origin.scope, (scope = JSON.parse(origin.scope) as InstrumentationScope));
    return { resource, scope };
  }
}

/** The trace's spans in start order (of one origin only, when given), a page at a time. */
export async function* tracePages(store: Pages, traceId: string, options: { originId?: number; pageSpans?: number; objects?: OriginObjects } = {}): AsyncGenerator<Span[]> {
  const pageSpans = options.pageSpans ?? PAGE_SPANS;
  const objects = options.objects ?? new OriginObjects();
  let after: Awaited<ReturnType<Pages['traceChunk']>>['last'] = null;
  while (true) {
    const chunk = await store.traceChunk(traceId, after, pageSpans, options.originId);
    const origins = new Map(chunk.origins.map((o) => [o.id, objects.of(o)]));
    const spans: Span[] = [];
    for (let i = 0, at = 0; i < chunk.lengths.length; at += chunk.lengths[i]!, i++) {
      const origin = origins.get(chunk.originIds[i]!)!;
      spans.push(decodeSpanMessage(chunk.bodies.subarray(at, at + chunk.lengths[i]!), origin.resource, origin.scope));
    }
    if (spans.length > 0) yield spans;
    if (chunk.last === null || spans.length < pageSpans) return;
    after = chunk.last;
  }
}

/**
 * The trace grouped as an OTLP request groups it (groupSpans: resources, then their scopes, in the
 * order their first spans appear), each group's spans read a page at a time as it is written.
 */
export async function traceGroups(store: Pages, traceId: string, pageSpans = PAGE_SPANS): Promise<SpanGroup[]> {
  const objects = new OriginObjects();
  const groups: SpanGroup[] = [];
  const byResource = new Map<Resource, SpanGroup>();
  for (const origin of await store.traceOrigins(traceId)) {
    const { resource, scope } = objects.of(origin);
    let group = byResource.get(resource);
    if (!group) {
      group = { resource, scopes: [] };
      byResource.set(resource, group);
      groups.push(group);
    }
    group.scopes.push({ scope, pages: tracePages(store, traceId, { originId: origin.id, pageSpans, objects }) });
  }
  return groups;
}
