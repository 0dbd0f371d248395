// The one constructor for spans: every codec calls it so derived fields are computed the same way.
import type { InstrumentationScope, KeyValue, Resource, Span, SpanEvent, SpanKind, SpanLink, SpanStatus } from './span';
import { serviceNameOf } from './attributes';
import { nanoToMicros } from './time';

export interface SpanInit {
  traceId: string;
  spanId: string;
  parentSpanId?: string | undefined;
  traceState?: string | undefined;
  flags?: number | undefined;
  name: string;
  kind?: SpanKind;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: readonly KeyValue[];
  droppedAttributesCount?: number | undefined;
  events?: readonly SpanEvent[];
  droppedEventsCount?: number | undefined;
  links?: readonly SpanLink[];
  droppedLinksCount?: number | undefined;
  status?: SpanStatus;
  resource: Resource;
  scope: InstrumentationScope;
}

export function buildSpan(init: SpanInit): Span {
  const startUs = nanoToMicros(init.startTimeUnixNano);
  const endUs = nanoToMicros(init.endTimeUnixNano);
  // Optional fields are assigned only when present (no spreads: this runs once per span at ingest).
  const span: { -readonly [K in keyof Span]: Span[K] } = {
    traceId: init.traceId,
    spanId: init.spanId,
    name: init.name,
    kind: init.kind ?? 'unspecified',
    startTimeUnixNano: init.startTimeUnixNano,
    endTimeUnixNano: init.endTimeUnixNano,
    attributes: init.attributes ?? [],
    events: init.events ?? [],
    links: init.links ?? [],
    status: init.status ?? { code: 'unset' },
    resource: init.resource,
    scope: init.scope,
    serviceName: serviceNameOf(init.resource),
    startUs,
    durationUs: endUs > startUs ? endUs - startUs : 0,
  };
  if (init.parentSpanId) span.parentSpanId = init.parentSpanId;
  if (init.traceState) span.traceState = init.traceState;
  if (init.flags !== undefined) span.flags = init.flags;
  if (init.droppedAttributesCount) span.droppedAttributesCount = init.droppedAttributesCount;
  if (init.droppedEventsCount) span.droppedEventsCount = init.droppedEventsCount;
  if (init.droppedLinksCount) span.droppedLinksCount = init.droppedLinksCount;
  return span;
}

export const EMPTY_RESOURCE: Resource = { attributes: [] };
export const EMPTY_SCOPE: InstrumentationScope = { name: '' };
