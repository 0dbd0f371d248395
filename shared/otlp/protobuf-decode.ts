// Our own decoder for OTLP/protobuf `ExportTraceServiceRequest` (collector/trace/v1), straight into
// the span model: no intermediate message objects, ids to hex through a lookup table, fixed64
// timestamps to exact decimal strings, one Resource / InstrumentationScope object shared by every
// span of its group. Unknown fields of any wire type are skipped (forward compatibility); a known
// field with the wrong wire type, a truncated value or a length past its message end throws
// StudioError 'otlp.decode' with the byte offset. Spans with invalid ids are rejected and counted
// (OTLP partial success), the rest are kept.
import type { InstrumentationScope, KeyValue, Resource, Span, SpanEvent, SpanLink, SpanStatus } from '../model';
import { buildSpan } from '../model';
import { hexOfRange, isZeroRange } from './bytes';
import { kindFromNumber, statusFromNumber } from './otlp-enums';
import { readAttribute, readCount, readString } from './protobuf-values';
import { Rejections, parentIdProblem, spanIdProblem, traceIdProblem, type OtlpDecodeResult } from './result';
import {
  WIRE_I32,
  WIRE_I64,
  WIRE_LEN,
  WIRE_VARINT,
  WireReader,
  decodeError,
  readFixed32,
  readFixed64,
  readLengthEnd,
  readVarint32,
  skipField,
  uint64String,
  wrongWireType,
} from './wire-reader';

const UNSET_STATUS: SpanStatus = Object.freeze({ code: 'unset' });

export function decodeOtlpProtobuf(bytes: Uint8Array): OtlpDecodeResult {
  const r = new WireReader(bytes);
  const end = bytes.length;
  const spans: Span[] = [];
  const rejections = new Rejections();
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'ExportTraceServiceRequest.resource_spans (1)', wire, WIRE_LEN);
      const stop = readLengthEnd(r, end);
      decodeResourceSpans(r, stop, spans, rejections);
      r.pos = stop;
    } else {
      if (field === 0) throw decodeError(r.pos, 'field number 0 in ExportTraceServiceRequest');
      skipField(r, wire, field, end);
    }
  }
  return rejections.finish(spans);
}

/**
 * ResourceSpans: resource = 1, scope_spans = 2, schema_url = 3. Fields may come in any order, so a
 * first pass finds the resource and schema url (skipping the spans), a second decodes the spans
 * with the finished, shared Resource object.
 */
function decodeResourceSpans(r: WireReader, end: number, spans: Span[], rejections: Rejections): void {
  const start = r.pos;
  const attributes: KeyValue[] = [];
  let dropped = 0;
  let schemaUrl = '';
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'ResourceSpans.resource (1)', wire, WIRE_LEN);
      const stop = readLengthEnd(r, end);
      dropped = decodeResource(r, stop, attributes);
      r.pos = stop;
    } else if (field === 2) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'ResourceSpans.scope_spans (2)', wire, WIRE_LEN);
      r.pos = readLengthEnd(r, end);
    } else if (field === 3) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'ResourceSpans.schema_url (3)', wire, WIRE_LEN);
      schemaUrl = readString(r, end);
    } else {
      if (field === 0) throw decodeError(r.pos, 'field number 0 in ResourceSpans');
      skipField(r, wire, field, end);
    }
  }
  const resource: Resource = { attributes };
  if (dropped !== 0) (resource as { droppedAttributesCount?: number }).droppedAttributesCount = dropped;
  if (schemaUrl !== '') (resource as { schemaUrl?: string }).schemaUrl = schemaUrl;

  r.pos = start;
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    if (tag >>> 3 === 2) {
      const stop = readLengthEnd(r, end);
      decodeScopeSpans(r, stop, resource, spans, rejections);
      r.pos = stop;
    } else skipField(r, tag & 7, tag >>> 3, end);
  }
}

/** Resource: attributes = 1, dropped_attributes_count = 2. Returns the dropped count. */
function decodeResource(r: WireReader, end: number, attributes: KeyValue[]): number {
  let dropped = 0;
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'Resource.attributes (1)', wire, WIRE_LEN);
      readAttribute(r, end, attributes);
    } else if (field === 2) {
      dropped = readCount(r, end, wire, 'Resource.dropped_attributes_count (2)');
    } else {
      if (field === 0) throw decodeError(r.pos, 'field number 0 in Resource');
      skipField(r, wire, field, end);
    }
  }
  return dropped;
}

/** ScopeSpans: scope = 1, spans = 2, schema_url = 3 (two passes, as for ResourceSpans). */
function decodeScopeSpans(r: WireReader, end: number, resource: Resource, spans: Span[], rejections: Rejections): void {
  const start = r.pos;
  let scope: { name: string; version?: string; attributes?: KeyValue[]; droppedAttributesCount?: number; schemaUrl?: string } = {
    name: '',
  };
  let schemaUrl = '';
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'ScopeSpans.scope (1)', wire, WIRE_LEN);
      const stop = readLengthEnd(r, end);
      scope = decodeScope(r, stop);
      r.pos = stop;
    } else if (field === 2) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'ScopeSpans.spans (2)', wire, WIRE_LEN);
      r.pos = readLengthEnd(r, end);
    } else if (field === 3) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'ScopeSpans.schema_url (3)', wire, WIRE_LEN);
      schemaUrl = readString(r, end);
    } else {
      if (field === 0) throw decodeError(r.pos, 'field number 0 in ScopeSpans');
      skipField(r, wire, field, end);
    }
  }
  if (schemaUrl !== '') scope.schemaUrl = schemaUrl;
  const shared: InstrumentationScope = scope;

  r.pos = start;
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    if (tag >>> 3 === 2) {
      const stop = readLengthEnd(r, end);
      const span = decodeSpan(r, stop, resource, shared, rejections);
      if (span !== undefined) spans.push(span);
      r.pos = stop;
    } else skipField(r, tag & 7, tag >>> 3, end);
  }
}

/** InstrumentationScope: name = 1, version = 2, attributes = 3, dropped_attributes_count = 4. */
function decodeScope(r: WireReader, end: number): { name: string; version?: string; attributes?: KeyValue[]; droppedAttributesCount?: number } {
  let name = '';
  let version = '';
  const attributes: KeyValue[] = [];
  let dropped = 0;
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'InstrumentationScope.name (1)', wire, WIRE_LEN);
      name = readString(r, end);
    } else if (field === 2) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'InstrumentationScope.version (2)', wire, WIRE_LEN);
      version = readString(r, end);
    } else if (field === 3) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'InstrumentationScope.attributes (3)', wire, WIRE_LEN);
      readAttribute(r, end, attributes);
    } else if (field === 4) {
      dropped = readCount(r, end, wire, 'InstrumentationScope.dropped_attributes_count (4)');
    } else {
      if (field === 0) throw decodeError(r.pos, 'field number 0 in InstrumentationScope');
      skipField(r, wire, field, end);
    }
  }
  const scope: { name: string; version?: string; attributes?: KeyValue[]; droppedAttributesCount?: number } = { name };
  if (version !== '') scope.version = version;
  if (attributes.length > 0) scope.attributes = attributes;
  if (dropped !== 0) scope.droppedAttributesCount = dropped;
  return scope;
}

/** Span (trace.proto field numbers in the cases below); undefined when rejected for invalid ids. */
function decodeSpan(r: WireReader, end: number, resource: Resource, scope: InstrumentationScope, rejections: Rejections): Span | undefined {
  const buf = r.buf;
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
  const attributes: KeyValue[] = [];
  let droppedAttributes = 0;
  const events: SpanEvent[] = [];
  let droppedEvents = 0;
  const links: SpanLink[] = [];
  let droppedLinks = 0;
  let status = UNSET_STATUS;
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    const field = tag >>> 3;
    const wire = tag & 7;
    switch (field) {
      case 1:
        if (wire !== WIRE_LEN) throw wrongWireType(r, 'Span.trace_id (1)', wire, WIRE_LEN);
        traceEnd = readLengthEnd(r, end);
        traceStart = r.pos;
        r.pos = traceEnd;
        break;
      case 2:
        if (wire !== WIRE_LEN) throw wrongWireType(r, 'Span.span_id (2)', wire, WIRE_LEN);
        spanEnd = readLengthEnd(r, end);
        spanStart = r.pos;
        r.pos = spanEnd;
        break;
      case 3:
        if (wire !== WIRE_LEN) throw wrongWireType(r, 'Span.trace_state (3)', wire, WIRE_LEN);
        traceState = readString(r, end);
        break;
      case 4:
        if (wire !== WIRE_LEN) throw wrongWireType(r, 'Span.parent_span_id (4)', wire, WIRE_LEN);
        parentEnd = readLengthEnd(r, end);
        parentStart = r.pos;
        r.pos = parentEnd;
        break;
      case 5:
        if (wire !== WIRE_LEN) throw wrongWireType(r, 'Span.name (5)', wire, WIRE_LEN);
        name = readString(r, end);
        break;
      case 6:
        if (wire !== WIRE_VARINT) throw wrongWireType(r, 'Span.kind (6)', wire, WIRE_VARINT);
        kind = readVarint32(r, end);
        break;
      case 7:
        if (wire !== WIRE_I64) throw wrongWireType(r, 'Span.start_time_unix_nano (7)', wire, WIRE_I64);
        readFixed64(r, end);
        start = uint64String(r.lo, r.hi);
        break;
      case 8:
        if (wire !== WIRE_I64) throw wrongWireType(r, 'Span.end_time_unix_nano (8)', wire, WIRE_I64);
        readFixed64(r, end);
        stop = uint64String(r.lo, r.hi);
        break;
      case 9:
        if (wire !== WIRE_LEN) throw wrongWireType(r, 'Span.attributes (9)', wire, WIRE_LEN);
        readAttribute(r, end, attributes);
        break;
      case 10:
        droppedAttributes = readCount(r, end, wire, 'Span.dropped_attributes_count (10)');
        break;
      case 11: {
        if (wire !== WIRE_LEN) throw wrongWireType(r, 'Span.events (11)', wire, WIRE_LEN);
        const stopAt = readLengthEnd(r, end);
        events.push(decodeEvent(r, stopAt));
        r.pos = stopAt;
        break;
      }
      case 12:
        droppedEvents = readCount(r, end, wire, 'Span.dropped_events_count (12)');
        break;
      case 13: {
        if (wire !== WIRE_LEN) throw wrongWireType(r, 'Span.links (13)', wire, WIRE_LEN);
        const stopAt = readLengthEnd(r, end);
        links.push(decodeLink(r, stopAt));
        r.pos = stopAt;
        break;
      }
      case 14:
        droppedLinks = readCount(r, end, wire, 'Span.dropped_links_count (14)');
        break;
      case 15: {
        if (wire !== WIRE_LEN) throw wrongWireType(r, 'Span.status (15)', wire, WIRE_LEN);
        const stopAt = readLengthEnd(r, end);
        status = decodeStatus(r, stopAt);
        r.pos = stopAt;
        break;
      }
      case 16:
        if (wire !== WIRE_I32) throw wrongWireType(r, 'Span.flags (16)', wire, WIRE_I32);
        flags = readFixed32(r, end);
        break;
      default:
        if (field === 0) throw decodeError(r.pos, 'field number 0 in Span');
        skipField(r, wire, field, end);
    }
  }
  const problem =
    traceIdProblem(traceEnd - traceStart, isZeroRange(buf, traceStart, traceEnd)) ??
    spanIdProblem(spanEnd - spanStart, isZeroRange(buf, spanStart, spanEnd)) ??
    parentIdProblem(parentEnd - parentStart);
  if (problem !== undefined) {
    rejections.reject(name, problem);
    return undefined;
  }
  return buildSpan({
    traceId: hexOfRange(buf, traceStart, traceEnd),
    spanId: hexOfRange(buf, spanStart, spanEnd),
    parentSpanId: parentEnd > parentStart && !isZeroRange(buf, parentStart, parentEnd) ? hexOfRange(buf, parentStart, parentEnd) : undefined,
    traceState,
    flags: flags === 0 ? undefined : flags,
    name,
    kind: kindFromNumber(kind),
    startTimeUnixNano: start,
    endTimeUnixNano: stop,
    attributes,
    droppedAttributesCount: droppedAttributes,
    events,
    droppedEventsCount: droppedEvents,
    links,
    droppedLinksCount: droppedLinks,
    status,
    resource,
    scope,
  });
}

/** Span.Event: time_unix_nano = 1, name = 2, attributes = 3, dropped_attributes_count = 4. */
function decodeEvent(r: WireReader, end: number): SpanEvent {
  let time = '0';
  let name = '';
  const attributes: KeyValue[] = [];
  let dropped = 0;
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== WIRE_I64) throw wrongWireType(r, 'Span.Event.time_unix_nano (1)', wire, WIRE_I64);
      readFixed64(r, end);
      time = uint64String(r.lo, r.hi);
    } else if (field === 2) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'Span.Event.name (2)', wire, WIRE_LEN);
      name = readString(r, end);
    } else if (field === 3) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'Span.Event.attributes (3)', wire, WIRE_LEN);
      readAttribute(r, end, attributes);
    } else if (field === 4) {
      dropped = readCount(r, end, wire, 'Span.Event.dropped_attributes_count (4)');
    } else {
      if (field === 0) throw decodeError(r.pos, 'field number 0 in Span.Event');
      skipField(r, wire, field, end);
    }
  }
  return dropped === 0 ? { name, timeUnixNano: time, attributes } : { name, timeUnixNano: time, attributes, droppedAttributesCount: dropped };
}

/** Span.Link: trace_id = 1, span_id = 2, trace_state = 3, attributes = 4, dropped = 5, flags = 6. */
function decodeLink(r: WireReader, end: number): SpanLink {
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attributes: KeyValue[] = [];
  let dropped = 0;
  let flags = 0;
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 || field === 2) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, field === 1 ? 'Span.Link.trace_id (1)' : 'Span.Link.span_id (2)', wire, WIRE_LEN);
      const stop = readLengthEnd(r, end);
      const hex = hexOfRange(r.buf, r.pos, stop);
      if (field === 1) traceId = hex;
      else spanId = hex;
      r.pos = stop;
    } else if (field === 3) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'Span.Link.trace_state (3)', wire, WIRE_LEN);
      traceState = readString(r, end);
    } else if (field === 4) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'Span.Link.attributes (4)', wire, WIRE_LEN);
      readAttribute(r, end, attributes);
    } else if (field === 5) {
      dropped = readCount(r, end, wire, 'Span.Link.dropped_attributes_count (5)');
    } else if (field === 6) {
      if (wire !== WIRE_I32) throw wrongWireType(r, 'Span.Link.flags (6)', wire, WIRE_I32);
      flags = readFixed32(r, end);
    } else {
      if (field === 0) throw decodeError(r.pos, 'field number 0 in Span.Link');
      skipField(r, wire, field, end);
    }
  }
  const link: { -readonly [K in keyof SpanLink]: SpanLink[K] } = { traceId, spanId, attributes };
  if (traceState !== '') link.traceState = traceState;
  if (dropped !== 0) link.droppedAttributesCount = dropped;
  if (flags !== 0) link.flags = flags;
  return link;
}

/** Status: message = 2, code = 3 (field 1 is the long-deprecated deprecated_code, skipped). */
function decodeStatus(r: WireReader, end: number): SpanStatus {
  let message = '';
  let code = 0;
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 2) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'Status.message (2)', wire, WIRE_LEN);
      message = readString(r, end);
    } else if (field === 3) {
      if (wire !== WIRE_VARINT) throw wrongWireType(r, 'Status.code (3)', wire, WIRE_VARINT);
      code = readVarint32(r, end);
    } else {
      if (field === 0) throw decodeError(r.pos, 'field number 0 in Status');
      skipField(r, wire, field, end);
    }
  }
  const statusCode = statusFromNumber(code);
  return message === '' ? { code: statusCode } : { code: statusCode, message };
}
