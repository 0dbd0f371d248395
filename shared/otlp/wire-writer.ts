// Protobuf wire-format writer for our OTLP encoder. Nested messages are written in place: a one-byte
// length slot is reserved, the body written, and the body shifted right when its length needs a
// longer varint — no second buffer per message.
import { HEX_VALUE, utf8Encode } from './bytes';

// A local binding: module exports read in the hot loop cost a getter call under tsx and vitest.
const hexValue = HEX_VALUE;

/** Longest string written inline: its length fits a one-byte varint. */
const ASCII_INLINE = 127;

export class WireWriter {
  buf = new Uint8Array(1024);
  view = new DataView(this.buf.buffer);
  pos = 0;
  private readonly open: number[] = [];

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  varint(value: number): void {
    this.ensure(10);
    let v = value >>> 0 === value ? value : Math.max(0, Math.trunc(value));
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  /** A 64-bit varint from its two's complement halves. */
  varint64(lo: number, hi: number): void {
    this.ensure(10);
    let l = lo >>> 0;
    let h = hi >>> 0;
    while (h !== 0 || l >= 0x80) {
      this.buf[this.pos++] = (l & 0x7f) | 0x80;
      l = ((l >>> 7) | (h << 25)) >>> 0;
      h = h >>> 7;
    }
    this.buf[this.pos++] = l;
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
  }

  fixed64(lo: number, hi: number): void {
    this.ensure(8);
    this.view.setUint32(this.pos, lo >>> 0, true);
    this.view.setUint32(this.pos + 4, hi >>> 0, true);
    this.pos += 8;
  }

  double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** Bytes already encoded, as they are. */
  raw(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  bytes(data: Uint8Array): void {
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /**
   * The bytes a hex string spells (either case), length first, written straight from its
   * characters; false, with nothing written, when it is not hex of whole bytes.
   */
  hex(text: string): boolean {
    if (text.length % 2 !== 0) return false;
    const n = text.length / 2;
    this.ensure(n + 10);
    const start = this.pos;
    this.varint(n);
    for (let i = 0; i < text.length; i += 2) {
      const hi = text.charCodeAt(i);
      const lo = text.charCodeAt(i + 1);
      const h = hi < 128 ? hexValue[hi]! : -1;
      const l = lo < 128 ? hexValue[lo]! : -1;
      if (h < 0 || l < 0) {
        this.pos = start;
        return false;
      }
      this.buf[this.pos++] = (h << 4) | l;
    }
    return true;
  }

  /**
   * Short ASCII strings (keys, names, most values) are written byte by byte: TextEncoder's
   * allocation per call was the encoder's largest cost. Anything else goes through TextEncoder.
   */
  string(text: string): void {
    const len = text.length;
    if (len <= ASCII_INLINE) {
      this.ensure(len + 2);
      const start = this.pos;
      this.buf[this.pos++] = len;
      let i = 0;
      for (; i < len; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        this.buf[this.pos++] = c;
      }
      if (i === len) return;
      this.pos = start;
    }
    this.bytes(utf8Encode(text));
  }

  /** Starts a length-delimited field's body (after its tag). */
  begin(): void {
    this.ensure(1);
    this.open.push(this.pos);
    this.pos += 1;
  }

  /** Ends the body opened by the matching begin() and writes its length. */
  end(): void {
    const slot = this.open.pop()!;
    const len = this.pos - slot - 1;
    let size = 1;
    for (let v = len; v >= 0x80; v = Math.floor(v / 128)) size++;
    if (size > 1) {
      this.ensure(size - 1);
      this.buf.copyWithin(slot + size, slot + 1, this.pos);
      this.pos += size - 1;
    }
    let v = len;
    let at = slot;
    while (v >= 0x80) {
      this.buf[at++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[at] = v;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

const TWO_32 = 0x100000000;

/**
 * Splits a decimal uint64/int64 string into two's complement 32-bit halves (modulo 2^64, as
 * BigInt.asUintN(64) would). Plain digits are multiplied in by halves — every step exact in a
 * double, no BigInt per timestamp; anything else (signs, spaces) goes through BigInt.
 */
export function splitInt64(decimal: string): { lo: number; hi: number } {
  const len = decimal.length;
  const negative = decimal.charCodeAt(0) === 45; // '-'
  let i = negative ? 1 : 0;
  if (i === len) return splitBigInt(decimal);
  let lo = 0;
  let hi = 0;
  for (; i < len; i++) {
    const digit = decimal.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return splitBigInt(decimal);
    // Below 2^36: exact, and >>> 0 takes it modulo 2^32.
    const low = lo * 10 + digit;
    hi = (hi * 10 + ((low / TWO_32) | 0)) >>> 0;
    lo = low >>> 0;
  }
  if (!negative) return { lo, hi };
  return lo === 0 ? { lo: 0, hi: (TWO_32 - hi) % TWO_32 } : { lo: TWO_32 - lo, hi: TWO_32 - 1 - hi };
}

function splitBigInt(decimal: string): { lo: number; hi: number } {
  const n = BigInt.asUintN(64, BigInt(decimal));
  return { lo: Number(n & 0xffffffffn), hi: Number(n >> 32n) };
}
