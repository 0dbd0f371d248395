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
  const span: Span = {
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
    ...(init.parentSpanId ? { parentSpanId: init.parentSpanId } : {}),
    ...(init.traceState ? { traceState: init.traceState } : {}),
    ...(init.flags !== undefined ? { flags: init.flags } : {}),
    ...(init.droppedAttributesCount ? { droppedAttributesCount: init.droppedAttributesCount } : {}),
    ...(init.droppedEventsCount ? { droppedEventsCount: init.droppedEventsCount } : {}),
    ...(init.droppedLinksCount ? { droppedLinksCount: init.droppedLinksCount } : {}),
  };
  return span;
}

export const EMPTY_RESOURCE: Resource = { attributes: [] };
export const EMPTY_SCOPE: InstrumentationScope = { name: '' };
