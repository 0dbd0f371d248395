// Decoding OTLP common.proto messages (AnyValue, KeyValue, ArrayValue, KeyValueList) from the wire.
// Nested values recurse, but only to MAX_VALUE_DEPTH levels: a hostile payload nesting arrays
// thousands deep gets a clear 'otlp.decode' error instead of a stack overflow.
import type { AnyValue, KeyValue } from '../model';
import { base64OfRange, utf8OfRange } from './bytes';
import {
  WIRE_I64,
  WIRE_LEN,
  WIRE_VARINT,
  WireReader,
  decodeError,
  int64String,
  readDouble,
  readLengthEnd,
  readVarint32,
  readVarint64,
  skipField,
  wrongWireType,
} from './wire-reader';

export const MAX_VALUE_DEPTH = 64;

const EMPTY_VALUE: AnyValue = Object.freeze({}) as AnyValue;

/** Reads a string field's payload (the tag was already read). */
export function readString(r: WireReader, end: number): string {
  const stop = readLengthEnd(r, end);
  const s = utf8OfRange(r.buf, r.pos, stop);
  r.pos = stop;
  return s;
}

/** Decodes an AnyValue occupying `[r.pos, end)`. */
export function decodeAnyValue(r: WireReader, end: number, depth: number): AnyValue {
  if (depth > MAX_VALUE_DEPTH) throw decodeError(r.pos, `attribute values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  let value: AnyValue = EMPTY_VALUE;
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    const field = tag >>> 3;
    const wire = tag & 7;
    switch (field) {
      case 1:
        if (wire !== WIRE_LEN) throw wrongWireType(r, 'AnyValue.string_value (1)', wire, WIRE_LEN);
        value = { stringValue: readString(r, end) };
        break;
      case 2:
        if (wire !== WIRE_VARINT) throw wrongWireType(r, 'AnyValue.bool_value (2)', wire, WIRE_VARINT);
        readVarint64(r, end);
        value = { boolValue: (r.lo | r.hi) !== 0 };
        break;
      case 3:
        if (wire !== WIRE_VARINT) throw wrongWireType(r, 'AnyValue.int_value (3)', wire, WIRE_VARINT);
        readVarint64(r, end);
        value = { intValue: int64String(r.lo, r.hi) };
        break;
      case 4:
        if (wire !== WIRE_I64) throw wrongWireType(r, 'AnyValue.double_value (4)', wire, WIRE_I64);
        value = { doubleValue: readDouble(r, end) };
        break;
      case 5: {
        if (wire !== WIRE_LEN) throw wrongWireType(r, 'AnyValue.array_value (5)', wire, WIRE_LEN);
        const stop = readLengthEnd(r, end);
        value = { arrayValue: { values: decodeArrayValue(r, stop, depth + 1) } };
        break;
      }
      case 6: {
        if (wire !== WIRE_LEN) throw wrongWireType(r, 'AnyValue.kvlist_value (6)', wire, WIRE_LEN);
        const stop = readLengthEnd(r, end);
        value = { kvlistValue: { values: decodeKeyValueList(r, stop, depth + 1) } };
        break;
      }
      case 7: {
        if (wire !== WIRE_LEN) throw wrongWireType(r, 'AnyValue.bytes_value (7)', wire, WIRE_LEN);
        const stop = readLengthEnd(r, end);
        value = { bytesValue: base64OfRange(r.buf, r.pos, stop) };
        r.pos = stop;
        break;
      }
      default:
        if (field === 0) throw decodeError(r.pos, 'field number 0 in AnyValue');
        skipField(r, wire, field, end);
    }
  }
  return value;
}

/** ArrayValue: repeated AnyValue values = 1. */
function decodeArrayValue(r: WireReader, end: number, depth: number): AnyValue[] {
  if (depth > MAX_VALUE_DEPTH) throw decodeError(r.pos, `attribute values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  const values: AnyValue[] = [];
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'ArrayValue.values (1)', wire, WIRE_LEN);
      const stop = readLengthEnd(r, end);
      values.push(decodeAnyValue(r, stop, depth + 1));
      r.pos = stop;
    } else {
      if (field === 0) throw decodeError(r.pos, 'field number 0 in ArrayValue');
      skipField(r, wire, field, end);
    }
  }
  return values;
}

/** KeyValueList: repeated KeyValue values = 1. */
function decodeKeyValueList(r: WireReader, end: number, depth: number): KeyValue[] {
  const out: KeyValue[] = [];
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'KeyValueList.values (1)', wire, WIRE_LEN);
      const stop = readLengthEnd(r, end);
      out.push(decodeKeyValue(r, stop, depth + 1));
      r.pos = stop;
    } else {
      if (field === 0) throw decodeError(r.pos, 'field number 0 in KeyValueList');
      skipField(r, wire, field, end);
    }
  }
  return out;
}

/** KeyValue: key = 1, value = 2. */
export function decodeKeyValue(r: WireReader, end: number, depth: number): KeyValue {
  if (depth > MAX_VALUE_DEPTH) throw decodeError(r.pos, `attribute values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  let key = '';
  let value: AnyValue = EMPTY_VALUE;
  while (r.pos < end) {
    const tag = readVarint32(r, end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'KeyValue.key (1)', wire, WIRE_LEN);
      key = readString(r, end);
    } else if (field === 2) {
      if (wire !== WIRE_LEN) throw wrongWireType(r, 'KeyValue.value (2)', wire, WIRE_LEN);
      const stop = readLengthEnd(r, end);
      value = decodeAnyValue(r, stop, depth + 1);
      r.pos = stop;
    } else {
      if (field === 0) throw decodeError(r.pos, 'field number 0 in KeyValue');
      skipField(r, wire, field, end);
    }
  }
  return { key, value };
}

/** Appends the KeyValue whose length prefix is at r.pos to `into` (used for every `attributes` field). */
export function readAttribute(r: WireReader, end: number, into: KeyValue[]): void {
  const stop = readLengthEnd(r, end);
  into.push(decodeKeyValue(r, stop, 0));
  r.pos = stop;
}

/** Reads a uint32 varint field (counts); wire type must be varint. */
export function readCount(r: WireReader, end: number, wire: number, name: string): number {
  if (wire !== WIRE_VARINT) throw wrongWireType(r, name, wire, WIRE_VARINT);
  return readVarint32(r, end);
}
