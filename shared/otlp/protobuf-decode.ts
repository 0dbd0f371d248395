// Our own decoder for OTLP/protobuf `ExportTraceServiceRequest` (collector/trace/v1), straight into
// the span model: no intermediate message objects, ids to hex through a lookup table, fixed64
// timestamps to exact decimal strings, one Resource / InstrumentationScope object shared by every
// span of its group. Unknown fields of any wire type are skipped (forward compatibility); a known
// field with the wrong wire type, a truncated value or a length past its message end throws
// StudioError 'otlp.decode' with the byte offset. Spans with invalid ids are rejected and counted
// (OTLP partial success), the rest are kept.
import type { InstrumentationScope, KeyValue, Resource, Span, SpanEvent, SpanLink, SpanStatus } from '../model';
import { serviceNameOf } from '../model';
import { kindFromNumber } from './otlp-enums';
import { decodeEvent, decodeLink, decodeStatus } from './protobuf-span-parts';
import { OtlpReader } from './protobuf-values';
import { Rejections, parentIdProblem, spanIdProblem, traceIdProblem, type OtlpDecodeResult } from './result';
import { StudioError } from '../errors';

// Wire types (local copies: see the note in wire-reader.ts about module bindings in hot loops).
const I64 = 1;
const LEN = 2;
const VARINT = 0;
const I32 = 5;

const UNSET_STATUS: SpanStatus = Object.freeze({ code: 'unset' });

/** What one request decodes into: the kept spans, where each one's Span message lies, rejections. */
class Collected {
  readonly spans: Span[] = [];
  /** start, end byte offsets of each kept span's Span message, in `spans` order. */
  readonly ranges: number[] = [];
  readonly rejections = new Rejections();
}

/**
 * Decodes a whole request. Besides the spans, the result's `wire` says where each kept span's
 * Span message lies in `bytes`, so the store can keep those original bytes instead of encoding
 * the span again.
 */
export function decodeOtlpProtobuf(bytes: Uint8Array): OtlpDecodeResult {
  const r = new OtlpReader(bytes);
  const end = bytes.length;
  const out = new Collected();
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== LEN) throw r.wrongWire('ExportTraceServiceRequest.resource_spans (1)', wire, LEN);
      const stop = r.lengthEnd(end);
      decodeResourceSpans(r, stop, out);
      r.pos = stop;
    } else {
      r.skip(wire, field, end);
    }
  }
  const result = out.rejections.finish(out.spans);
  result.wire = { bytes, ranges: Int32Array.from(out.ranges) };
  return result;
}

/**
 * One span from the bytes of its Span message (as the store keeps them), with the resource and
 * scope it was received under. Throws StudioError 'otlp.decode' when the bytes are not a valid span.
 */
export function decodeSpanMessage(bytes: Uint8Array, resource: Resource, scope: InstrumentationScope): Span {
  const r = new OtlpReader(bytes);
  const rejections = new Rejections();
  const span = decodeSpan(r, bytes.length, resource, serviceNameOf(resource), scope, rejections);
  if (span === undefined) throw new StudioError({ code: 'otlp.decode', message: `Stored span is invalid: ${rejections.finish([]).errorMessage ?? 'bad ids'}.` });
  return span;
}

/**
 * ResourceSpans: resource = 1, scope_spans = 2, schema_url = 3. Fields may come in any order, so a
 * first pass finds the resource and schema url (skipping the spans), a second decodes the spans
 * with the finished, shared Resource object.
 */
function decodeResourceSpans(r: OtlpReader, end: number, out: Collected): void {
  const start = r.pos;
  const attributes: KeyValue[] = [];
  let dropped = 0;
  let schemaUrl = '';
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== LEN) throw r.wrongWire('ResourceSpans.resource (1)', wire, LEN);
      const stop = r.lengthEnd(end);
      dropped = decodeResource(r, stop, attributes);
      r.pos = stop;
    } else if (field === 2) {
      if (wire !== LEN) throw r.wrongWire('ResourceSpans.scope_spans (2)', wire, LEN);
      r.pos = r.lengthEnd(end);
    } else if (field === 3) {
      if (wire !== LEN) throw r.wrongWire('ResourceSpans.schema_url (3)', wire, LEN);
      schemaUrl = r.string(end);
    } else {
      r.skip(wire, field, end);
    }
  }
  const resource: Resource = { attributes };
  if (dropped !== 0) (resource as { droppedAttributesCount?: number }).droppedAttributesCount = dropped;
  if (schemaUrl !== '') (resource as { schemaUrl?: string }).schemaUrl = schemaUrl;
  const service = serviceNameOf(resource);

  r.pos = start;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag >>> 3 === 2) {
      const stop = r.lengthEnd(end);
      decodeScopeSpans(r, stop, resource, service, out);
      r.pos = stop;
    } else r.skip(tag & 7, tag >>> 3, end);
  }
}

/** Resource: attributes = 1, dropped_attributes_count = 2. Returns the dropped count. */
function decodeResource(r: OtlpReader, end: number, attributes: KeyValue[]): number {
  let dropped = 0;
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== LEN) throw r.wrongWire('Resource.attributes (1)', wire, LEN);
      r.attribute(end, attributes);
    } else if (field === 2) {
      dropped = r.count(end, wire, 'Resource.dropped_attributes_count (2)');
    } else {
      r.skip(wire, field, end);
    }
  }
  return dropped;
}

/** ScopeSpans: scope = 1, spans = 2, schema_url = 3 (two passes, as for ResourceSpans). */
function decodeScopeSpans(r: OtlpReader, end: number, resource: Resource, service: string, out: Collected): void {
  const start = r.pos;
  let scope: { name: string; version?: string; attributes?: KeyValue[]; droppedAttributesCount?: number; schemaUrl?: string } = {
    name: '',
  };
  let schemaUrl = '';
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== LEN) throw r.wrongWire('ScopeSpans.scope (1)', wire, LEN);
      const stop = r.lengthEnd(end);
      scope = decodeScope(r, stop);
      r.pos = stop;
    } else if (field === 2) {
      if (wire !== LEN) throw r.wrongWire('ScopeSpans.spans (2)', wire, LEN);
      r.pos = r.lengthEnd(end);
    } else if (field === 3) {
      if (wire !== LEN) throw r.wrongWire('ScopeSpans.schema_url (3)', wire, LEN);
      schemaUrl = r.string(end);
    } else {
      r.skip(wire, field, end);
    }
  }
  if (schemaUrl !== '') scope.schemaUrl = schemaUrl;
  const shared: InstrumentationScope = scope;
  const { spans, ranges, rejections } = out;

  r.pos = start;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag >>> 3 === 2) {
      const stop = r.lengthEnd(end);
      const at = r.pos;
      const span = decodeSpan(r, stop, resource, service, shared, rejections);
      if (span !== undefined) {
        spans.push(span);
        ranges.push(at, stop);
      }
      r.pos = stop;
    } else r.skip(tag & 7, tag >>> 3, end);
  }
}

/** InstrumentationScope: name = 1, version = 2, attributes = 3, dropped_attributes_count = 4. */
function decodeScope(r: OtlpReader, end: number): { name: string; version?: string; attributes?: KeyValue[]; droppedAttributesCount?: number } {
  let name = '';
  let version = '';
  const attributes: KeyValue[] = [];
  let dropped = 0;
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== LEN) throw r.wrongWire('InstrumentationScope.name (1)', wire, LEN);
      name = r.string(end);
    } else if (field === 2) {
      if (wire !== LEN) throw r.wrongWire('InstrumentationScope.version (2)', wire, LEN);
      version = r.string(end);
    } else if (field === 3) {
      if (wire !== LEN) throw r.wrongWire('InstrumentationScope.attributes (3)', wire, LEN);
      r.attribute(end, attributes);
    } else if (field === 4) {
      dropped = r.count(end, wire, 'InstrumentationScope.dropped_attributes_count (4)');
    } else {
      r.skip(wire, field, end);
    }
  }
  const scope: { name: string; version?: string; attributes?: KeyValue[]; droppedAttributesCount?: number } = { name };
  if (version !== '') scope.version = version;
  if (attributes.length > 0) scope.attributes = attributes;
  if (dropped !== 0) scope.droppedAttributesCount = dropped;
  return scope;
}

/** Span (trace.proto field numbers in the cases below); undefined when rejected for invalid ids. */
function decodeSpan(r: OtlpReader, end: number, resource: Resource, service: string, scope: InstrumentationScope, rejections: Rejections): Span | undefined {
  let traceStart = 0;
  let traceEnd = 0;
  let spanStart = 0;
  let spanEnd = 0;
  let parentStart = 0;
  let parentEnd = 0;
  let traceState = '';
  let flags = 0;
  let name = '';
  let kind = 0;
  let start = '0';
  let stop = '0';
  let startUs = 0;
  let endUs = 0;
  const attributes: KeyValue[] = [];
  let droppedAttributes = 0;
  const events: SpanEvent[] = [];
  let droppedEvents = 0;
  const links: SpanLink[] = [];
  let droppedLinks = 0;
  let status = UNSET_STATUS;
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    switch (field) {
      case 1:
        if (wire !== LEN) throw r.wrongWire('Span.trace_id (1)', wire, LEN);
        traceEnd = r.lengthEnd(end);
        traceStart = r.pos;
        r.pos = traceEnd;
        break;
      case 2:
        if (wire !== LEN) throw r.wrongWire('Span.span_id (2)', wire, LEN);
        spanEnd = r.lengthEnd(end);
        spanStart = r.pos;
        r.pos = spanEnd;
        break;
      case 3:
        if (wire !== LEN) throw r.wrongWire('Span.trace_state (3)', wire, LEN);
        traceState = r.string(end);
        break;
      case 4:
        if (wire !== LEN) throw r.wrongWire('Span.parent_span_id (4)', wire, LEN);
        parentEnd = r.lengthEnd(end);
        parentStart = r.pos;
        r.pos = parentEnd;
        break;
      case 5:
        if (wire !== LEN) throw r.wrongWire('Span.name (5)', wire, LEN);
        name = r.string(end);
        break;
      case 6:
        if (wire !== VARINT) throw r.wrongWire('Span.kind (6)', wire, VARINT);
        kind = r.uint32(end);
        break;
      case 7:
        if (wire !== I64) throw r.wrongWire('Span.start_time_unix_nano (7)', wire, I64);
        r.fixed64(end);
        start = r.uint64String();
        startUs = r.uint64Micros();
        break;
      case 8:
        if (wire !== I64) throw r.wrongWire('Span.end_time_unix_nano (8)', wire, I64);
        r.fixed64(end);
        stop = r.uint64String();
        endUs = r.uint64Micros();
        break;
      case 9:
        if (wire !== LEN) throw r.wrongWire('Span.attributes (9)', wire, LEN);
        r.attribute(end, attributes);
        break;
      case 10:
        droppedAttributes = r.count(end, wire, 'Span.dropped_attributes_count (10)');
        break;
      case 11: {
        if (wire !== LEN) throw r.wrongWire('Span.events (11)', wire, LEN);
        const stopAt = r.lengthEnd(end);
        events.push(decodeEvent(r, stopAt));
        r.pos = stopAt;
        break;
      }
      case 12:
        droppedEvents = r.count(end, wire, 'Span.dropped_events_count (12)');
        break;
      case 13: {
        if (wire !== LEN) throw r.wrongWire('Span.links (13)', wire, LEN);
        const stopAt = r.lengthEnd(end);
        links.push(decodeLink(r, stopAt));
        r.pos = stopAt;
        break;
      }
      case 14:
        droppedLinks = r.count(end, wire, 'Span.dropped_links_count (14)');
        break;
      case 15: {
        if (wire !== LEN) throw r.wrongWire('Span.status (15)', wire, LEN);
        const stopAt = r.lengthEnd(end);
        status = decodeStatus(r, stopAt);
        r.pos = stopAt;
        break;
      }
      case 16:
        if (wire !== I32) throw r.wrongWire('Span.flags (16)', wire, I32);
        flags = r.fixed32(end);
        break;
      default:
        r.skip(wire, field, end);
    }
  }
  const parentLength = parentEnd - parentStart;
  const valid =
    traceEnd - traceStart === 16 &&
    spanEnd - spanStart === 8 &&
    (parentLength === 0 || parentLength === 8) &&
    !r.isZero(traceStart, traceEnd) &&
    !r.isZero(spanStart, spanEnd);
  if (!valid) {
    const problem =
      traceIdProblem(traceEnd - traceStart, r.isZero(traceStart, traceEnd)) ??
      spanIdProblem(spanEnd - spanStart, r.isZero(spanStart, spanEnd)) ??
      parentIdProblem(parentLength);
    rejections.reject(name, problem ?? 'has invalid ids');
    return undefined;
  }
  // The parent first: it is most often the id of the span decoded just before this one.
  const parentSpanId = parentLength > 0 && !r.isZero(parentStart, parentEnd) ? r.parentIdHex(parentStart) : undefined;
  // Built here rather than through buildSpan (same fields, same order, so the same object shape):
  // the service name and the microsecond times are already at hand.
  const span: { -readonly [K in keyof Span]: Span[K] } = {
    traceId: r.traceIdHex(traceStart),
    spanId: r.spanIdHex(spanStart),
    name,
    kind: kindFromNumber(kind),
    startTimeUnixNano: start,
    endTimeUnixNano: stop,
    attributes,
    events,
    links,
    status,
    resource,
    scope,
    serviceName: service,
    startUs,
    durationUs: endUs > startUs ? endUs - startUs : 0,
  };
  if (parentSpanId !== undefined) span.parentSpanId = parentSpanId;
  if (traceState !== '') span.traceState = traceState;
  if (flags !== 0) span.flags = flags;
  if (droppedAttributes !== 0) span.droppedAttributesCount = droppedAttributes;
  if (droppedEvents !== 0) span.droppedEventsCount = droppedEvents;
  if (droppedLinks !== 0) span.droppedLinksCount = droppedLinks;
  return span;
}
