// Protobuf wire-format primitives for our own OTLP decoder: varints, fixed-width numbers,
// length-delimited ranges and skipping unknown fields of every wire type. Every read checks the
// bound of the message being read (not only the buffer), and every failure is a StudioError
// 'otlp.decode' carrying the byte offset, so a hostile payload can never crash the receiver.
import { StudioError } from '../errors';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_SGROUP = 3;
export const WIRE_EGROUP = 4;
export const WIRE_I32 = 5;

const WIRE_NAMES = ['varint', '64-bit', 'length-delimited', 'start-group', 'end-group', '32-bit', 'invalid (6)', 'invalid (7)'];

/** Cursor over one payload. `lo`/`hi` receive the halves of the last 64-bit varint (avoids allocating). */
export class WireReader {
  readonly buf: Uint8Array;
  readonly view: DataView;
  pos = 0;
  lo = 0;
  hi = 0;
  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
}

export function decodeError(offset: number, what: string): StudioError {
  return new StudioError({
    code: 'otlp.decode',
    message: `Undecodable OTLP protobuf payload: ${what} at byte offset ${offset}. Send a valid ExportTraceServiceRequest.`,
    details: { offset },
  });
}

export function wrongWireType(r: WireReader, field: string, wire: number, expected: number): StudioError {
  return decodeError(r.pos, `field ${field} has wire type ${WIRE_NAMES[wire]}, expected ${WIRE_NAMES[expected]}`);
}

/** A varint that must fit 32 bits of meaning (tags, lengths, counts, enums): returns its low 32 bits, unsigned. */
export function readVarint32(r: WireReader, end: number): number {
  const buf = r.buf;
  let pos = r.pos;
  if (pos < end) {
    const b = buf[pos]!;
    if (b < 0x80) {
      r.pos = pos + 1;
      return b;
    }
  }
  const start = pos;
  let result = 0;
  for (let shift = 0; shift < 70; shift += 7) {
    if (pos >= end) throw decodeError(start, 'truncated varint');
    const b = buf[pos++]!;
    if (shift < 32) result |= (b & 0x7f) << shift;
    if (b < 0x80) {
      r.pos = pos;
      return result >>> 0;
    }
  }
  throw decodeError(start, 'varint longer than 10 bytes');
}

/** A 64-bit varint into r.lo / r.hi (both unsigned 32-bit). */
export function readVarint64(r: WireReader, end: number): void {
  const buf = r.buf;
  const start = r.pos;
  let pos = start;
  let lo = 0;
  let hi = 0;
  let b = 0;
  for (let i = 0; i < 4; i++) {
    if (pos >= end) throw decodeError(start, 'truncated varint');
    b = buf[pos++]!;
    lo |= (b & 0x7f) << (7 * i);
    if (b < 0x80) {
      r.lo = lo >>> 0;
      r.hi = 0;
      r.pos = pos;
      return;
    }
  }
  if (pos >= end) throw decodeError(start, 'truncated varint');
  b = buf[pos++]!;
  lo |= (b & 0x7f) << 28;
  hi = (b & 0x7f) >> 4;
  if (b >= 0x80) {
    let done = false;
    for (let i = 0; i < 5; i++) {
      if (pos >= end) throw decodeError(start, 'truncated varint');
      b = buf[pos++]!;
      hi |= (b & 0x7f) << (7 * i + 3);
      if (b < 0x80) {
        done = true;
        break;
      }
    }
    if (!done) throw decodeError(start, 'varint longer than 10 bytes');
  }
  r.lo = lo >>> 0;
  r.hi = hi >>> 0;
  r.pos = pos;
}

/** Reads a length prefix and returns the end offset of the delimited range, checked against `end`. */
export function readLengthEnd(r: WireReader, end: number): number {
  const at = r.pos;
  const len = readVarint32(r, end);
  const stop = r.pos + len;
  if (len > end - r.pos) throw decodeError(at, `length ${len} runs past the end of its message (${end - r.pos} bytes left)`);
  return stop;
}

export function readFixed32(r: WireReader, end: number): number {
  const pos = r.pos;
  if (pos + 4 > end) throw decodeError(pos, 'truncated 32-bit value');
  r.pos = pos + 4;
  return r.view.getUint32(pos, true);
}

/** Fixed 64-bit little endian into r.lo / r.hi. */
export function readFixed64(r: WireReader, end: number): void {
  const pos = r.pos;
  if (pos + 8 > end) throw decodeError(pos, 'truncated 64-bit value');
  r.lo = r.view.getUint32(pos, true);
  r.hi = r.view.getUint32(pos + 4, true);
  r.pos = pos + 8;
}

export function readDouble(r: WireReader, end: number): number {
  const pos = r.pos;
  if (pos + 8 > end) throw decodeError(pos, 'truncated 64-bit value');
  r.pos = pos + 8;
  return r.view.getFloat64(pos, true);
}

const TWO_32 = 4294967296;

/** r.lo/r.hi as an unsigned decimal string, exact for the whole uint64 range. */
export function uint64String(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * TWO_32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** r.lo/r.hi as a signed (two's complement) decimal string, exact for the whole int64 range. */
export function int64String(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * TWO_32 + lo);
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/**
 * Skips one field whose tag was just read. Groups (deprecated, but legal on the wire) are walked
 * with an explicit stack of field numbers, never by recursion.
 */
export function skipField(r: WireReader, wire: number, field: number, end: number): void {
  switch (wire) {
    case WIRE_VARINT:
      readVarint64(r, end);
      return;
    case WIRE_I64:
      if (r.pos + 8 > end) throw decodeError(r.pos, 'truncated 64-bit value');
      r.pos += 8;
      return;
    case WIRE_LEN:
      r.pos = readLengthEnd(r, end);
      return;
    case WIRE_I32:
      if (r.pos + 4 > end) throw decodeError(r.pos, 'truncated 32-bit value');
      r.pos += 4;
      return;
    case WIRE_SGROUP: {
      const open: number[] = [field];
      while (open.length > 0) {
        if (r.pos >= end) throw decodeError(r.pos, `unterminated group for field ${open[open.length - 1]}`);
        const at = r.pos;
        const tag = readVarint32(r, end);
        const f = tag >>> 3;
        const w = tag & 7;
        if (f === 0) throw decodeError(at, 'field number 0');
        if (w === WIRE_EGROUP) {
          if (open.pop() !== f) throw decodeError(at, `end-group for field ${f} does not match the open group`);
        } else if (w === WIRE_SGROUP) {
          if (open.length >= 64) throw decodeError(at, 'groups nested deeper than 64 levels');
          open.push(f);
        } else skipField(r, w, f, end);
      }
      return;
    }
    case WIRE_EGROUP:
      throw decodeError(r.pos, `end-group for field ${field} without a start-group`);
    default:
      throw decodeError(r.pos, `invalid wire type ${wire} for field ${field}`);
  }
}
