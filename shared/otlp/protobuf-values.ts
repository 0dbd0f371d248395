// Decoding OTLP common.proto messages (AnyValue, KeyValue, ArrayValue, KeyValueList) from the wire,
// as methods of the reader the span decoder uses. Nested values recurse, but only to
// MAX_VALUE_DEPTH levels: a payload nesting arrays thousands deep gets a clear 'otlp.decode' error
// instead of a stack overflow.
import type { AnyValue, KeyValue } from '../model';
import { sampledHash } from './bytes';
import { WireReader } from './wire-reader';

export const MAX_VALUE_DEPTH = 64;

// Wire types (local copies: see the note in wire-reader.ts about module bindings in hot loops).
const VARINT = 0;
const I64 = 1;
const LEN = 2;

const EMPTY_VALUE: AnyValue = Object.freeze({}) as AnyValue;
// A local binding: module exports read in the hot loop cost a getter call under tsx and vitest.
const hashOf = sampledHash;

// Most attributes repeat from span to span (method, status code, host, port, library flags…).
// A direct-mapped cache keyed by a hash of a KeyValue's encoded bytes hands back the same frozen
// KeyValue object for the same bytes: no decoding, no allocation. Only short messages with scalar
// values are cached; a full byte comparison makes any hash collision harmless, and identical
// bytes decode to identical values, so sharing the object is exact.
const KV_CACHE_MAX_BYTES = 64;
const KV_CACHE_SLOTS = 4096;
// Slot i's bytes live at kvArena[i·64, i·64 + kvLength[i]): one allocation for the whole cache.
const kvArena = new Uint8Array(KV_CACHE_SLOTS * KV_CACHE_MAX_BYTES);
const kvArenaView = new DataView(kvArena.buffer);
const kvLength = new Int32Array(KV_CACHE_SLOTS);
// A KeyValue enters the cache the second time its hash is seen in its slot: one-off values (ids,
// counters, urls) cost no copy and evict nothing.
const kvSeenHash = new Int32Array(KV_CACHE_SLOTS);
const kvCacheObjects: KeyValue[] = new Array<KeyValue>(KV_CACHE_SLOTS);

export class OtlpReader extends WireReader {
  // Spans of one trace sit next to each other and children follow their parents, so the id just
  // decoded is often the next one needed: compare bytes in place (no allocation) before hex-encoding.
  private lastTraceAt = -1;
  private lastTraceHex = '';
  private lastSpanAt = -1;
  private lastSpanHex = '';
  private lastParentAt = -1;
  private lastParentHex = '';

  private sameBytes(a: number, b: number, n: number): boolean {
    if (a < 0) return false;
    const buf = this.buf;
    for (let i = 0; i < n; i++) if (buf[a + i] !== buf[b + i]) return false;
    return true;
  }

  /** Hex of the 16-byte trace id at `at`. */
  traceIdHex(at: number): string {
    if (!this.sameBytes(this.lastTraceAt, at, 16)) {
      this.lastTraceHex = this.hex(at, at + 16);
      this.lastTraceAt = at;
    }
    return this.lastTraceHex;
  }

  /** Hex of the 8-byte span id at `at`. */
  spanIdHex(at: number): string {
    this.lastSpanHex = this.hex(at, at + 8);
    this.lastSpanAt = at;
    return this.lastSpanHex;
  }

  /** Hex of the 8-byte parent id at `at` (often the previous span's id or the previous parent). */
  parentIdHex(at: number): string {
    if (this.sameBytes(this.lastParentAt, at, 8)) return this.lastParentHex;
    this.lastParentHex = this.sameBytes(this.lastSpanAt, at, 8) ? this.lastSpanHex : this.hex(at, at + 8);
    this.lastParentAt = at;
    return this.lastParentHex;
  }

  /** An AnyValue occupying [pos, end). */
  anyValue(end: number, depth: number): AnyValue {
    if (depth > MAX_VALUE_DEPTH) throw this.fail(this.pos, `attribute values nested deeper than ${MAX_VALUE_DEPTH} levels`);
    let value: AnyValue = EMPTY_VALUE;
    while (this.pos < end) {
      const tag = this.uint32(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      switch (field) {
        case 1:
          if (wire !== LEN) throw this.wrongWire('AnyValue.string_value (1)', wire, LEN);
          value = { stringValue: this.string(end) };
          break;
        case 2:
          if (wire !== VARINT) throw this.wrongWire('AnyValue.bool_value (2)', wire, VARINT);
          this.varint64(end);
          value = { boolValue: (this.lo | this.hi) !== 0 };
          break;
        case 3:
          if (wire !== VARINT) throw this.wrongWire('AnyValue.int_value (3)', wire, VARINT);
          this.varint64(end);
          value = { intValue: this.int64String() };
          break;
        case 4:
          if (wire !== I64) throw this.wrongWire('AnyValue.double_value (4)', wire, I64);
          value = { doubleValue: this.double(end) };
          break;
        case 5: {
          if (wire !== LEN) throw this.wrongWire('AnyValue.array_value (5)', wire, LEN);
          const stop = this.lengthEnd(end);
          value = { arrayValue: { values: this.arrayValues(stop, depth + 1) } };
          break;
        }
        case 6: {
          if (wire !== LEN) throw this.wrongWire('AnyValue.kvlist_value (6)', wire, LEN);
          const stop = this.lengthEnd(end);
          value = { kvlistValue: { values: this.keyValueList(stop, depth + 1) } };
          break;
        }
        case 7:
          if (wire !== LEN) throw this.wrongWire('AnyValue.bytes_value (7)', wire, LEN);
          value = { bytesValue: this.base64(end) };
          break;
        default:
          this.skip(wire, field, end);
      }
    }
    return value;
  }

  /** ArrayValue: repeated AnyValue values = 1. Leaves pos at `end`. */
  private arrayValues(end: number, depth: number): AnyValue[] {
    if (depth > MAX_VALUE_DEPTH) throw this.fail(this.pos, `attribute values nested deeper than ${MAX_VALUE_DEPTH} levels`);
    const values: AnyValue[] = [];
    while (this.pos < end) {
      const tag = this.uint32(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) {
        if (wire !== LEN) throw this.wrongWire('ArrayValue.values (1)', wire, LEN);
        const stop = this.lengthEnd(end);
        values.push(this.anyValue(stop, depth + 1));
      } else this.skip(wire, field, end);
    }
    return values;
  }

  /** KeyValueList: repeated KeyValue values = 1. Leaves pos at `end`. */
  private keyValueList(end: number, depth: number): KeyValue[] {
    const out: KeyValue[] = [];
    while (this.pos < end) {
      const tag = this.uint32(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) {
        if (wire !== LEN) throw this.wrongWire('KeyValueList.values (1)', wire, LEN);
        const stop = this.lengthEnd(end);
        out.push(this.keyValue(stop, depth + 1));
      } else this.skip(wire, field, end);
    }
    return out;
  }

  /** KeyValue: key = 1, value = 2, occupying [pos, end). Leaves pos at `end`. */
  keyValue(end: number, depth: number): KeyValue {
    if (depth > MAX_VALUE_DEPTH) throw this.fail(this.pos, `attribute values nested deeper than ${MAX_VALUE_DEPTH} levels`);
    let key = '';
    let value: AnyValue = EMPTY_VALUE;
    while (this.pos < end) {
      const tag = this.uint32(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) {
        if (wire !== LEN) throw this.wrongWire('KeyValue.key (1)', wire, LEN);
        key = this.string(end);
      } else if (field === 2) {
        if (wire !== LEN) throw this.wrongWire('KeyValue.value (2)', wire, LEN);
        const stop = this.lengthEnd(end);
        value = this.anyValue(stop, depth + 1);
      } else this.skip(wire, field, end);
    }
    return { key, value };
  }

  /** Appends the length-delimited KeyValue at pos to `into` (every `attributes` field). */
  attribute(end: number, into: KeyValue[]): void {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    const len = stop - start;
    if (len === 0 || len > KV_CACHE_MAX_BYTES) {
      into.push(this.keyValue(stop, 0));
      return;
    }
    const buf = this.buf;
    const hash = hashOf(buf, start, stop);
    const slot = (hash ^ (hash >>> 16)) & (KV_CACHE_SLOTS - 1);
    const base = slot * KV_CACHE_MAX_BYTES;
    if (kvLength[slot] === len) {
      // Compare four bytes at a time, then the tail.
      const view = this.view;
      let i = 0;
      while (i + 4 <= len && kvArenaView.getUint32(base + i) === view.getUint32(start + i)) i += 4;
      if (i + 4 > len) while (i < len && kvArena[base + i] === buf[start + i]) i++;
      if (i === len) {
        into.push(kvCacheObjects[slot]!);
        this.pos = stop;
        return;
      }
    }
    const kv = this.keyValue(stop, 0);
    if (kvSeenHash[slot] !== hash) {
      kvSeenHash[slot] = hash;
      into.push(kv);
      return;
    }
    const value = kv.value as { arrayValue?: unknown; kvlistValue?: unknown };
    if (value.arrayValue === undefined && value.kvlistValue === undefined) {
      Object.freeze(value);
      kvCacheObjects[slot] = Object.freeze(kv);
      for (let i = 0; i < len; i++) kvArena[base + i] = buf[start + i]!;
      kvLength[slot] = len;
    }
    into.push(kv);
  }

  /** A uint32 varint field (counts); the wire type must be varint. */
  count(end: number, wire: number, name: string): number {
    if (wire !== VARINT) throw this.wrongWire(name, wire, VARINT);
    return this.uint32(end);
  }
}
