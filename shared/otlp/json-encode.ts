// Spans → OTLP/JSON `ExportTraceServiceRequest` (the JSON mapping of the OTLP spec): ids as
// lowercase hex, enums as integers, 64-bit integers and nanosecond timestamps as decimal strings so
// nothing is rounded, non-finite doubles as "NaN" / "Infinity" / "-Infinity".
import type { AnyValue, InstrumentationScope, KeyValue, Resource, Span, SpanEvent, SpanLink } from '../model';
import { groupSpans } from './group';
import { kindNumber, statusNumber } from './otlp-enums';

type Json = Record<string, unknown>;

export function encodeOtlpJson(spans: readonly Span[]): object {
  return {
    resourceSpans: groupSpans(spans).map((group) => {
      const out: Json = {
        resource: encodeResource(group.resource),
        scopeSpans: group.scopes.map((sg) => {
          const scopeOut: Json = { scope: encodeScope(sg.scope), spans: sg.spans.map(encodeSpan) };
          if (sg.scope.schemaUrl) scopeOut['schemaUrl'] = sg.scope.schemaUrl;
          return scopeOut;
        }),
      };
      if (group.resource.schemaUrl) out['schemaUrl'] = group.resource.schemaUrl;
      return out;
    }),
  };
}

/** A ResourceSpans' `resource` (its schemaUrl belongs to the ResourceSpans). */
export function encodeResource(r: Resource): Json {
  const resource: Json = { attributes: encodeAttributes(r.attributes) };
  if (r.droppedAttributesCount) resource['droppedAttributesCount'] = r.droppedAttributesCount;
  return resource;
}

/** A ScopeSpans' `scope` (its schemaUrl belongs to the ScopeSpans). */
export function encodeScope(s: InstrumentationScope): Json {
  const scope: Json = { name: s.name };
  if (s.version) scope['version'] = s.version;
  if (s.attributes && s.attributes.length) scope['attributes'] = encodeAttributes(s.attributes);
  if (s.droppedAttributesCount) scope['droppedAttributesCount'] = s.droppedAttributesCount;
  return scope;
}

export function encodeSpan(span: Span): Json {
  const out: Json = { traceId: span.traceId, spanId: span.spanId };
  if (span.traceState) out['traceState'] = span.traceState;
  if (span.parentSpanId) out['parentSpanId'] = span.parentSpanId;
  if (span.flags !== undefined) out['flags'] = span.flags;
  out['name'] = span.name;
  out['kind'] = kindNumber(span.kind);
  out['startTimeUnixNano'] = span.startTimeUnixNano;
  out['endTimeUnixNano'] = span.endTimeUnixNano;
  out['attributes'] = encodeAttributes(span.attributes);
  if (span.droppedAttributesCount) out['droppedAttributesCount'] = span.droppedAttributesCount;
  if (span.events.length) out['events'] = span.events.map(encodeEvent);
  if (span.droppedEventsCount) out['droppedEventsCount'] = span.droppedEventsCount;
  if (span.links.length) out['links'] = span.links.map(encodeLink);
  if (span.droppedLinksCount) out['droppedLinksCount'] = span.droppedLinksCount;
  const status: Json = {};
  if (span.status.message) status['message'] = span.status.message;
  const code = statusNumber(span.status.code);
  if (code) status['code'] = code;
  out['status'] = status;
  return out;
}

function encodeEvent(event: SpanEvent): Json {
  const out: Json = { timeUnixNano: event.timeUnixNano, name: event.name, attributes: encodeAttributes(event.attributes) };
  if (event.droppedAttributesCount) out['droppedAttributesCount'] = event.droppedAttributesCount;
  return out;
}

function encodeLink(link: SpanLink): Json {
  const out: Json = { traceId: link.traceId, spanId: link.spanId };
  if (link.traceState) out['traceState'] = link.traceState;
  out['attributes'] = encodeAttributes(link.attributes);
  if (link.droppedAttributesCount) out['droppedAttributesCount'] = link.droppedAttributesCount;
  if (link.flags !== undefined) out['flags'] = link.flags;
  return out;
}

function encodeAttributes(attributes: readonly KeyValue[]): Json[] {
  return attributes.map((kv) => ({ key: kv.key, value: encodeAnyValue(kv.value) }));
}

function encodeAnyValue(value: AnyValue): Json {
  if ('stringValue' in value) return { stringValue: value.stringValue };
  if ('boolValue' in value) return { boolValue: value.boolValue };
  if ('intValue' in value) return { intValue: value.intValue };
  if ('doubleValue' in value) {
    const d = value.doubleValue;
    return { doubleValue: Number.isFinite(d) ? d : Number.isNaN(d) ? 'NaN' : d > 0 ? 'Infinity' : '-Infinity' };
  }
  if ('bytesValue' in value) return { bytesValue: value.bytesValue };
  if ('arrayValue' in value) return { arrayValue: { values: value.arrayValue.values.map(encodeAnyValue) } };
  if ('kvlistValue' in value) return { kvlistValue: { values: encodeAttributes(value.kvlistValue.values) } };
  return {};
}
