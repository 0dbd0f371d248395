// Protobuf wire-format writer for our OTLP encoder. Nested messages are written in place: a one-byte
// length slot is reserved, the body written, and the body shifted right when its length needs a
// longer varint — no second buffer per message.
import { utf8Encode } from './bytes';

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

  bytes(data: Uint8Array): void {
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
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

/** Splits a decimal uint64/int64 string into two's complement 32-bit halves. */
export function splitInt64(decimal: string): { lo: number; hi: number } {
  const n = BigInt.asUintN(64, BigInt(decimal));
  return { lo: Number(n & 0xffffffffn), hi: Number(n >> 32n) };
}
