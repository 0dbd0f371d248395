// Protobuf wire-format primitives for our own OTLP decoder: varints, fixed-width numbers,
// length-delimited ranges and skipping unknown fields of every wire type. Every read checks the
// bound of the message being read (not only the buffer), and every failure is a StudioError
// 'otlp.decode' carrying the byte offset, so a hostile payload can never crash the receiver.
// The primitives are methods (not module functions) because the hot loop then pays no per-call
// cost for module bindings under loaders that wrap exports in getters (tsx, vitest).
import { StudioError } from '../errors';
import { nanoToMicros } from '../model/time';
import { HEX_PAIRS, base64OfRange, utf8OfRange } from './bytes';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_SGROUP = 3;
export const WIRE_EGROUP = 4;
export const WIRE_I32 = 5;

const WIRE_NAMES = ['varint', '64-bit', 'length-delimited', 'start-group', 'end-group', '32-bit', 'invalid (6)', 'invalid (7)'];
const TWO_32 = 4294967296;
const HEX = HEX_PAIRS;
const utf8 = utf8OfRange;
const base64 = base64OfRange;
const HEX_DIGIT: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const HEX_CODES_32: number[] = new Array<number>(32).fill(0);
const HEX_CODES_16: number[] = new Array<number>(16).fill(0);

export function decodeError(offset: number, what: string): StudioError {
  return new StudioError({
    code: 'otlp.decode',
    message: `Undecodable OTLP protobuf payload: ${what} at byte offset ${offset}. Send a valid ExportTraceServiceRequest.`,
    details: { offset },
  });
}

/** Cursor over one payload. `lo`/`hi` receive the halves of the last 64-bit value (avoids allocating). */
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

  fail(offset: number, what: string): StudioError {
    return decodeError(offset, what);
  }

  wrongWire(field: string, wire: number, expected: number): StudioError {
    return decodeError(this.pos, `field ${field} has wire type ${WIRE_NAMES[wire]}, expected ${WIRE_NAMES[expected]}`);
  }

  /** A varint carrying at most 32 bits of meaning (tags, lengths, counts, enums): its low 32 bits, unsigned. */
  uint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos < end) {
      const b = buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
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
        this.pos = pos;
        return result >>> 0;
      }
    }
    throw decodeError(start, 'varint longer than 10 bytes');
  }

  /** A 64-bit varint into this.lo / this.hi (both unsigned 32-bit). */
  varint64(end: number): void {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let i = 0; i < 4; i++) {
      if (pos >= end) throw decodeError(start, 'truncated varint');
      b = buf[pos++]!;
      lo |= (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        this.lo = lo >>> 0;
        this.hi = 0;
        this.pos = pos;
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
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    this.pos = pos;
  }

  /** Reads a length prefix; returns the end offset of the delimited range, checked against `end`. */
  lengthEnd(end: number): number {
    const at = this.pos;
    const len = this.uint32(end);
    if (len > end - this.pos) throw decodeError(at, `length ${len} runs past the end of its message (${end - this.pos} bytes left)`);
    return this.pos + len;
  }

  fixed32(end: number): number {
    const pos = this.pos;
    if (pos + 4 > end) throw decodeError(pos, 'truncated 32-bit value');
    this.pos = pos + 4;
    return this.view.getUint32(pos, true);
  }

  /** Fixed 64-bit little endian into this.lo / this.hi. */
  fixed64(end: number): void {
    const pos = this.pos;
    if (pos + 8 > end) throw decodeError(pos, 'truncated 64-bit value');
    this.lo = this.view.getUint32(pos, true);
    this.hi = this.view.getUint32(pos + 4, true);
    this.pos = pos + 8;
  }

  double(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw decodeError(pos, 'truncated 64-bit value');
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  /** A length-delimited UTF-8 string. */
  string(end: number): string {
    const stop = this.lengthEnd(end);
    const s = utf8(this.buf, this.pos, stop);
    this.pos = stop;
    return s;
  }

  /** A length-delimited bytes field as standard base64. */
  base64(end: number): string {
    const stop = this.lengthEnd(end);
    const s = base64(this.buf, this.pos, stop);
    this.pos = stop;
    return s;
  }

  /** Lowercase hex of buf[start, stop). */
  hex(start: number, stop: number): string {
    const buf = this.buf;
    const n = stop - start;
    // Ids are 16 or 8 bytes: build them from char codes in one call (no 16-piece rope to flatten).
    if (n === 16 || n === 8) {
      const codes = n === 16 ? HEX_CODES_32 : HEX_CODES_16;
      for (let i = 0; i < n; i++) {
        const b = buf[start + i]!;
        codes[2 * i] = HEX_DIGIT[b >> 4]!;
        codes[2 * i + 1] = HEX_DIGIT[b & 15]!;
      }
      return String.fromCharCode.apply(null, codes);
    }
    let out = '';
    for (let i = start; i < stop; i++) out += HEX[buf[i]!]!;
    return out;
  }

  isZero(start: number, stop: number): boolean {
    const buf = this.buf;
    for (let i = start; i < stop; i++) if (buf[i] !== 0) return false;
    return true;
  }

  /** this.lo/this.hi as an unsigned decimal string, exact over the whole uint64 range. */
  uint64String(): string {
    return uint64Decimal(this.lo, this.hi);
  }

  /**
   * this.lo/this.hi read as nanoseconds, in microseconds: the same number `nanoToMicros` gives for
   * the decimal string (whole µs exact, the ns remainder as the fraction), without the string.
   */
  uint64Micros(): number {
    const hi = this.hi;
    // Below 0x7d000000·2^32 ns the whole µs stay under 2^53: exact in a double.
    if (hi >= 0x7d000000) return nanoToMicros(uint64Decimal(this.lo, hi));
    // hi·2^32 = 1000·(hi·4294967) + hi·296
    const t = hi * 296 + this.lo;
    const q = Math.floor(t / 1000);
    return hi * 4294967 + q + (t - q * 1000) / 1000;
  }

  /** this.lo/this.hi as a signed (two's complement) decimal string, exact over the whole int64 range. */
  int64String(): string {
    const hi = this.hi;
    if (hi < 0x80000000) return uint64Decimal(this.lo, hi);
    const lo = (~this.lo + 1) >>> 0;
    return '-' + uint64Decimal(lo, (~hi + (lo === 0 ? 1 : 0)) >>> 0);
  }

  /**
   * Skips one field whose tag was just read. Groups (deprecated, but legal on the wire) are walked
   * with an explicit stack of field numbers, never by recursion.
   */
  skip(wire: number, field: number, end: number): void {
    if (field === 0) throw decodeError(this.pos, 'field number 0');
    switch (wire) {
      case WIRE_VARINT:
        this.varint64(end);
        return;
      case WIRE_I64:
        if (this.pos + 8 > end) throw decodeError(this.pos, 'truncated 64-bit value');
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.lengthEnd(end);
        return;
      case WIRE_I32:
        if (this.pos + 4 > end) throw decodeError(this.pos, 'truncated 32-bit value');
        this.pos += 4;
        return;
      case WIRE_SGROUP: {
        const open: number[] = [field];
        while (open.length > 0) {
          if (this.pos >= end) throw decodeError(this.pos, `unterminated group for field ${open[open.length - 1]}`);
          const at = this.pos;
          const tag = this.uint32(end);
          const f = tag >>> 3;
          const w = tag & 7;
          if (f === 0) throw decodeError(at, 'field number 0');
          if (w === WIRE_EGROUP) {
            if (open.pop() !== f) throw decodeError(at, `end-group for field ${f} does not match the open group`);
          } else if (w === WIRE_SGROUP) {
            if (open.length >= 64) throw decodeError(at, 'groups nested deeper than 64 levels');
            open.push(f);
          } else this.skip(w, f, end);
        }
        return;
      }
      case WIRE_EGROUP:
        throw decodeError(this.pos, `end-group for field ${field} without a start-group`);
      default:
        throw decodeError(this.pos, `invalid wire type ${wire} for field ${field}`);
    }
  }
}

// Nanosecond timestamps of one batch share their high 32 bits (a 4.3 s window), so the decimal
// split of hi·2^32 is remembered: hi·2^32 = quotient·10^10 + remainder.
let splitHi = -1;
let splitQuotient = 0;
let splitRemainder = 0;
let quotientText = '';
let quotientPlusOneText = '';

/**
 * Decimal string of the unsigned 64-bit value hi·2^32 + lo without BigInt (nanosecond timestamps are
 * all above 2^53, so this runs for every span).
 */
export function uint64Decimal(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * TWO_32 + lo);
  if (hi !== splitHi) splitHigh(hi);
  let r = splitRemainder + lo; // < 10^10 + 2^32: exact
  // value >= 2^53 > 10^10, so the quotient is never 0 and the remainder is zero-padded to 10 digits,
  // written as two 5-digit halves: small integers convert to text far faster than r itself (a
  // heap number above 2^31) would.
  let head = quotientText;
  if (r >= 1e10) {
    head = quotientPlusOneText;
    r -= 1e10;
  }
  const high = Math.floor(r / 100000);
  return head + String(high + 100000).slice(1) + String(r - high * 100000 + 100000).slice(1);
}

/**
 * Splits hi·2^32 into 24-bit limbs carried in base 10^7, using 2^24 = 1·10^7 + 6777216 and
 * 2^48 = 2·10^14 + 8147497·10^7 + 6710656, then regroups the digits around 10^10.
 */
function splitHigh(hi: number): void {
  const mid = (hi << 8) & 0xffffff;
  const high = (hi >>> 16) & 0xffff;
  const base = 10000000;
  let a = mid * 6777216 + high * 6710656;
  let b = mid + high * 8147497;
  let c = high * 2;
  b += Math.floor(a / base);
  a %= base;
  c += Math.floor(b / base);
  b %= base;
  // hi·2^32 = c·10^14 + b·10^7 + a
  splitHi = hi;
  splitQuotient = c * 10000 + Math.floor(b / 1000);
  splitRemainder = (b % 1000) * base + a;
  quotientText = String(splitQuotient);
  quotientPlusOneText = String(splitQuotient + 1);
}
