// Our OTLP/protobuf encoder: spans → ExportTraceServiceRequest bytes, and the
// ExportTraceServiceResponse the receiver answers with. Used for export, tests and benchmarks;
// round-trips with decodeOtlpProtobuf.
import { StudioError } from '../errors';
import type { AnyValue, KeyValue, Span } from '../model';
import { base64ToBytes } from './bytes';
import { groupSpans } from './group';
import { kindNumber, statusNumber } from './otlp-enums';
import { WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './wire-reader';
import type { SpanWire } from './result';
import { WireWriter, splitInt64 } from './wire-writer';

export function encodeOtlpProtobuf(spans: readonly Span[]): Uint8Array {
  const w = new WireWriter();
  for (const group of groupSpans(spans)) {
    w.tag(1, WIRE_LEN);
    w.begin();
    const resource = group.resource;
    if (resource.attributes.length > 0 || resource.droppedAttributesCount) {
      w.tag(1, WIRE_LEN);
      w.begin();
      writeAttributes(w, 1, resource.attributes);
      writeCount(w, 2, resource.droppedAttributesCount);
      w.end();
    }
    for (const scopeGroup of group.scopes) {
      w.tag(2, WIRE_LEN);
      w.begin();
      const scope = scopeGroup.scope;
      w.tag(1, WIRE_LEN);
      w.begin();
      writeString(w, 1, scope.name);
      writeString(w, 2, scope.version);
      writeAttributes(w, 3, scope.attributes ?? []);
      writeCount(w, 4, scope.droppedAttributesCount);
      w.end();
      for (const span of scopeGroup.spans) writeSpan(w, span);
      writeString(w, 3, scope.schemaUrl);
      w.end();
    }
    writeString(w, 3, resource.schemaUrl);
    w.end();
  }
  return w.finish();
}

/**
 * Each span's own Span message, back to back in one buffer, with where each lies (what the store
 * keeps for spans that did not arrive as protobuf: imports, OTLP/JSON, the runner's own spans).
 */
export function encodeSpanMessages(spans: readonly Span[]): SpanWire {
  const w = new WireWriter();
  const ranges = new Int32Array(spans.length * 2);
  spans.forEach((span, i) => {
    const before = w.pos;
    writeSpan(w, span);
    // writeSpan wrote a one-byte tag and the message length as a varint, then the message.
    let at = before + 1;
    while (w.buf[at]! >= 0x80) at++;
    ranges[2 * i] = at + 1;
    ranges[2 * i + 1] = w.pos;
  });
  return { bytes: w.finish(), ranges };
}

/**
 * The bytes a span attribute takes inside a Span message: the `attributes` field (9) tag, the
 * length and the KeyValue. Encoders write a KeyValue canonically, so searching stored Span bytes
 * for these finds spans carrying exactly that attribute.
 */
export function encodeSpanAttributeField(kv: KeyValue): Uint8Array {
  const w = new WireWriter();
  writeAttributes(w, 9, [kv]);
  return w.finish();
}

function writeSpan(w: WireWriter, span: Span): void {
  w.tag(2, WIRE_LEN);
  w.begin();
  writeHex(w, 1, span.traceId);
  writeHex(w, 2, span.spanId);
  writeString(w, 3, span.traceState);
  if (span.parentSpanId) writeHex(w, 4, span.parentSpanId);
  writeString(w, 5, span.name);
  const kind = kindNumber(span.kind);
  if (kind !== 0) {
    w.tag(6, WIRE_VARINT);
    w.varint(kind);
  }
  writeTime(w, 7, span.startTimeUnixNano);
  writeTime(w, 8, span.endTimeUnixNano);
  writeAttributes(w, 9, span.attributes);
  writeCount(w, 10, span.droppedAttributesCount);
  for (const event of span.events) {
    w.tag(11, WIRE_LEN);
    w.begin();
    writeTime(w, 1, event.timeUnixNano);
    writeString(w, 2, event.name);
    writeAttributes(w, 3, event.attributes);
    writeCount(w, 4, event.droppedAttributesCount);
    w.end();
  }
  writeCount(w, 12, span.droppedEventsCount);
  for (const link of span.links) {
    w.tag(13, WIRE_LEN);
    w.begin();
    writeHex(w, 1, link.traceId);
    writeHex(w, 2, link.spanId);
    writeString(w, 3, link.traceState);
    writeAttributes(w, 4, link.attributes);
    writeCount(w, 5, link.droppedAttributesCount);
    if (link.flags !== undefined) {
      w.tag(6, WIRE_I32);
      w.fixed32(link.flags);
    }
    w.end();
  }
  writeCount(w, 14, span.droppedLinksCount);
  const code = statusNumber(span.status.code);
  if (code !== 0 || span.status.message) {
    w.tag(15, WIRE_LEN);
    w.begin();
    writeString(w, 2, span.status.message);
    if (code !== 0) {
      w.tag(3, WIRE_VARINT);
      w.varint(code);
    }
    w.end();
  }
  if (span.flags !== undefined) {
    w.tag(16, WIRE_I32);
    w.fixed32(span.flags);
  }
  w.end();
}

function writeString(w: WireWriter, field: number, value: string | undefined): void {
  if (!value) return;
  w.tag(field, WIRE_LEN);
  w.string(value);
}

function writeHex(w: WireWriter, field: number, hex: string): void {
  if (hex === '') return;
  const at = w.pos;
  w.tag(field, WIRE_LEN);
  if (w.hex(hex)) return;
  w.pos = at;
  throw new StudioError({ code: 'trace.invalid', message: `Cannot encode span id ${JSON.stringify(hex)}: ids must be hex.`, details: { field } });
}

function writeCount(w: WireWriter, field: number, value: number | undefined): void {
  if (!value) return;
  w.tag(field, WIRE_VARINT);
  w.varint(value);
}

function writeTime(w: WireWriter, field: number, nano: string): void {
  if (nano === '0' || nano === '') return;
  const { lo, hi } = splitInt64(nano);
  w.tag(field, WIRE_I64);
  w.fixed64(lo, hi);
}

// The encoded body (length + KeyValue) of each shared attribute: the decoders hand out one frozen
// KeyValue per repeated attribute, and frozen scalars cannot change, so their bytes can be kept.
const encodedKeyValues = new WeakMap<KeyValue, Uint8Array>();

function writeAttributes(w: WireWriter, field: number, attributes: readonly KeyValue[]): void {
  for (const kv of attributes) {
    w.tag(field, WIRE_LEN);
    const known = encodedKeyValues.get(kv);
    if (known !== undefined) {
      w.raw(known);
      continue;
    }
    const start = w.pos;
    writeKeyValueBody(w, kv);
    if (isFrozenScalar(kv)) encodedKeyValues.set(kv, w.buf.slice(start, w.pos));
  }
}

function isFrozenScalar(kv: KeyValue): boolean {
  const value = kv.value;
  return Object.isFrozen(kv) && Object.isFrozen(value) && !('arrayValue' in value) && !('kvlistValue' in value);
}

function writeKeyValueBody(w: WireWriter, kv: KeyValue): void {
  w.begin();
  writeString(w, 1, kv.key);
  w.tag(2, WIRE_LEN);
  writeAnyValueBody(w, kv.value);
  w.end();
}

function writeAnyValueBody(w: WireWriter, value: AnyValue): void {
  w.begin();
  if ('stringValue' in value) {
    w.tag(1, WIRE_LEN);
    w.string(value.stringValue);
  } else if ('boolValue' in value) {
    w.tag(2, WIRE_VARINT);
    w.varint(value.boolValue ? 1 : 0);
  } else if ('intValue' in value) {
    const { lo, hi } = splitInt64(value.intValue);
    w.tag(3, WIRE_VARINT);
    w.varint64(lo, hi);
  } else if ('doubleValue' in value) {
    w.tag(4, WIRE_I64);
    w.double(value.doubleValue);
  } else if ('arrayValue' in value) {
    w.tag(5, WIRE_LEN);
    w.begin();
    for (const item of value.arrayValue.values) {
      w.tag(1, WIRE_LEN);
      writeAnyValueBody(w, item);
    }
    w.end();
  } else if ('kvlistValue' in value) {
    w.tag(6, WIRE_LEN);
    w.begin();
    for (const kv of value.kvlistValue.values) {
      w.tag(1, WIRE_LEN);
      writeKeyValueBody(w, kv);
    }
    w.end();
  } else if ('bytesValue' in value) {
    w.tag(7, WIRE_LEN);
    w.bytes(base64ToBytes(value.bytesValue) ?? new Uint8Array(0));
  }
  w.end();
}

/** ExportTraceServiceResponse: partial_success = 1 { rejected_spans = 1 (int64), error_message = 2 }. */
export function encodeExportTraceServiceResponse(partial?: { rejectedSpans: number; errorMessage?: string }): Uint8Array {
  const w = new WireWriter();
  if (partial && (partial.rejectedSpans > 0 || partial.errorMessage)) {
    w.tag(1, WIRE_LEN);
    w.begin();
    if (partial.rejectedSpans > 0) {
      w.tag(1, WIRE_VARINT);
      w.varint(partial.rejectedSpans);
    }
    writeString(w, 2, partial.errorMessage);
    w.end();
  }
  return w.finish();
}

/** The same response in OTLP/JSON (int64 as a string, as the JSON mapping says). */
export function exportTraceServiceResponseJson(partial?: { rejectedSpans: number; errorMessage?: string }): object {
  if (!partial || (partial.rejectedSpans <= 0 && !partial.errorMessage)) return {};
  const out: { rejectedSpans?: string; errorMessage?: string } = {};
  if (partial.rejectedSpans > 0) out.rejectedSpans = String(partial.rejectedSpans);
  if (partial.errorMessage) out.errorMessage = partial.errorMessage;
  return { partialSuccess: out };
}
