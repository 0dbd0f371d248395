// The small messages inside an OTLP Span — events, links, status — decoded from the wire for
// protobuf-decode.ts (same conventions: proto3 defaults are left out of the model objects).
import type { KeyValue, SpanEvent, SpanLink, SpanStatus } from '../model';
import { statusFromNumber } from './otlp-enums';
import type { OtlpReader } from './protobuf-values';

// Wire types (local copies: see the note in wire-reader.ts about module bindings in hot loops).
const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

/** Span.Event: time_unix_nano = 1, name = 2, attributes = 3, dropped_attributes_count = 4. */
export function decodeEvent(r: OtlpReader, end: number): SpanEvent {
  let time = '0';
  let name = '';
  const attributes: KeyValue[] = [];
  let dropped = 0;
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== I64) throw r.wrongWire('Span.Event.time_unix_nano (1)', wire, I64);
      r.fixed64(end);
      time = r.uint64String();
    } else if (field === 2) {
      if (wire !== LEN) throw r.wrongWire('Span.Event.name (2)', wire, LEN);
      name = r.string(end);
    } else if (field === 3) {
      if (wire !== LEN) throw r.wrongWire('Span.Event.attributes (3)', wire, LEN);
      r.attribute(end, attributes);
    } else if (field === 4) {
      dropped = r.count(end, wire, 'Span.Event.dropped_attributes_count (4)');
    } else {
      r.skip(wire, field, end);
    }
  }
  return dropped === 0 ? { name, timeUnixNano: time, attributes } : { name, timeUnixNano: time, attributes, droppedAttributesCount: dropped };
}

/** Span.Link: trace_id = 1, span_id = 2, trace_state = 3, attributes = 4, dropped = 5, flags = 6. */
export function decodeLink(r: OtlpReader, end: number): SpanLink {
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attributes: KeyValue[] = [];
  let dropped = 0;
  let flags = 0;
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 || field === 2) {
      if (wire !== LEN) throw r.wrongWire(field === 1 ? 'Span.Link.trace_id (1)' : 'Span.Link.span_id (2)', wire, LEN);
      const stop = r.lengthEnd(end);
      const hex = r.hex(r.pos, stop);
      if (field === 1) traceId = hex;
      else spanId = hex;
      r.pos = stop;
    } else if (field === 3) {
      if (wire !== LEN) throw r.wrongWire('Span.Link.trace_state (3)', wire, LEN);
      traceState = r.string(end);
    } else if (field === 4) {
      if (wire !== LEN) throw r.wrongWire('Span.Link.attributes (4)', wire, LEN);
      r.attribute(end, attributes);
    } else if (field === 5) {
      dropped = r.count(end, wire, 'Span.Link.dropped_attributes_count (5)');
    } else if (field === 6) {
      if (wire !== I32) throw r.wrongWire('Span.Link.flags (6)', wire, I32);
      flags = r.fixed32(end);
    } else {
      r.skip(wire, field, end);
    }
  }
  const link: { -readonly [K in keyof SpanLink]: SpanLink[K] } = { traceId, spanId, attributes };
  if (traceState !== '') link.traceState = traceState;
  if (dropped !== 0) link.droppedAttributesCount = dropped;
  if (flags !== 0) link.flags = flags;
  return link;
}

/** Status: message = 2, code = 3 (field 1 is the long-deprecated deprecated_code, skipped). */
export function decodeStatus(r: OtlpReader, end: number): SpanStatus {
  let message = '';
  let code = 0;
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 2) {
      if (wire !== LEN) throw r.wrongWire('Status.message (2)', wire, LEN);
      message = r.string(end);
    } else if (field === 3) {
      if (wire !== VARINT) throw r.wrongWire('Status.code (3)', wire, VARINT);
      code = r.uint32(end);
    } else {
      r.skip(wire, field, end);
    }
  }
  const statusCode = statusFromNumber(code);
  return message === '' ? { code: statusCode } : { code: statusCode, message };
}
