// Byte helpers for the codecs: hex and base64 with lookup tables, UTF-8 through the platform's
// TextDecoder/TextEncoder (present in Node and browsers; reached through globalThis because the
// shared/ layer compiles without DOM or Node types).

interface TextDecoderLike {
  decode(input: Uint8Array): string;
}
interface TextEncoderLike {
  encode(input: string): Uint8Array;
}
const platform = globalThis as unknown as {
  TextDecoder: new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }) => TextDecoderLike;
  TextEncoder: new () => TextEncoderLike;
};
// ignoreBOM: a string that starts with U+FEFF is data (an attribute value, an event name), not a
// byte-order mark to strip: without it such a value would lose its first character.
const utf8Decoder = new platform.TextDecoder('utf-8', { ignoreBOM: true });
const utf8Encoder = new platform.TextEncoder();

/** Two lowercase hex characters for every byte value: no per-byte toString in the hot path. */
export const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

/** Lowercase hex of `buf[start, end)`. */
export function hexOfRange(buf: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) out += HEX_PAIRS[buf[i]!]!;
  return out;
}

/** True when every byte of `buf[start, end)` is zero (an invalid OTLP id). */
export function isZeroRange(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}

/** The value of each ASCII hex digit (either case); -1 for any other character. */
export const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[65 + i] = 10 + i;
  HEX_VALUE[97 + i] = 10 + i;
}

/** Bytes of a hex string (either case), or undefined when it is not hex of whole bytes. */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hex.charCodeAt(2 * i);
    const lo = hex.charCodeAt(2 * i + 1);
    const h = hi < 128 ? HEX_VALUE[hi]! : -1;
    const l = lo < 128 ? HEX_VALUE[lo]! : -1;
    if (h < 0 || l < 0) return undefined;
    out[i] = (h << 4) | l;
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i;
// The URL-safe alphabet is accepted on input too (some JSON encoders emit it).
B64_VALUE['-'.charCodeAt(0)] = 62;
B64_VALUE['_'.charCodeAt(0)] = 63;

/** Standard base64 (with padding) of `buf[start, end)`. */
export function base64OfRange(buf: Uint8Array, start: number, end: number): string {
  let out = '';
  let i = start;
  for (; i + 2 < end; i += 3) {
    const n = (buf[i]! << 16) | (buf[i + 1]! << 8) | buf[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  if (end - i === 1) {
    const n = buf[i]! << 16;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + '==';
  } else if (end - i === 2) {
    const n = (buf[i]! << 16) | (buf[i + 1]! << 8);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return out;
}

/** Bytes of a base64 string (standard or URL-safe, padding optional), or undefined when malformed. */
export function base64ToBytes(text: string): Uint8Array | undefined {
  let len = text.length;
  while (len > 0 && text.charCodeAt(len - 1) === 61 /* = */) len--;
  if (text.length - len > 2 || len % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64_VALUE[c]! : -1;
    if (v < 0) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** Canonical base64 of a base64 string, or undefined when malformed. */
export function normaliseBase64(text: string): string | undefined {
  const bytes = base64ToBytes(text);
  return bytes === undefined ? undefined : base64OfRange(bytes, 0, bytes.length);
}

// Short strings (attribute keys, enum-like values, span names) repeat across the spans of a batch.
// A small direct-mapped cache keyed by a hash of their bytes returns the same string without
// allocating, which keeps the decoder's garbage down. A string enters the cache the second time
// its hash is seen in its slot, so values that never repeat (ids, counters) cost no copy and
// evict nothing. The cached bytes live in one arena: slot i at [i·32, i·32 + length).
const SHORT_STRING = 32;
const CACHE_SLOTS = 4096;
const cachedText: string[] = new Array<string>(CACHE_SLOTS).fill('');
const cacheArena = new Uint8Array(CACHE_SLOTS * SHORT_STRING);
const cachedLength = new Int32Array(CACHE_SLOTS).fill(-1);
const seenHash = new Int32Array(CACHE_SLOTS);
/** One char-code array per short length: fromCharCode.apply takes the whole array, and resizing one array costs more than the decoding. */
const asciiCodes: number[][] = Array.from({ length: SHORT_STRING + 1 }, (_, n) => new Array<number>(n).fill(0));

/**
 * A hash of a sample of `buf[start, end)` (its length, first, last and four inner bytes) for the
 * decoder's direct-mapped caches: cheap whatever the length, and a cache always compares the full
 * bytes on a hit, so a collision only costs a miss.
 */
export function sampledHash(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  const last = end - 1;
  let hash = Math.imul(len ^ buf[start]!, 0x01000193);
  hash = Math.imul(hash ^ buf[last]!, 0x01000193);
  hash = Math.imul(hash ^ buf[start + (len >> 1)]!, 0x01000193);
  hash = Math.imul(hash ^ buf[last - 1 < start ? start : last - 1]!, 0x01000193);
  hash = Math.imul(hash ^ buf[start + (len >> 2)]!, 0x01000193);
  return Math.imul(hash ^ buf[start + ((3 * len) >> 2)]!, 0x01000193);
}

/** UTF-8 text of `buf[start, end)` (invalid sequences become U+FFFD). */
export function utf8OfRange(buf: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (len === 0) return '';
  if (len > SHORT_STRING) return utf8Decoder.decode(buf.subarray(start, end));
  const hash = sampledHash(buf, start, end);
  const slot = (hash ^ (hash >>> 16)) & (CACHE_SLOTS - 1);
  const base = slot * SHORT_STRING;
  if (cachedLength[slot] === len) {
    let i = 0;
    while (i < len && cacheArena[base + i] === buf[start + i]) i++;
    if (i === len) return cachedText[slot]!;
  }
  const text = shortUtf8(buf, start, end);
  if (seenHash[slot] === hash) {
    for (let i = 0; i < len; i++) cacheArena[base + i] = buf[start + i]!;
    cachedLength[slot] = len;
    cachedText[slot] = text;
  } else seenHash[slot] = hash;
  return text;
}

/** A short string: ASCII straight from its char codes (no view to allocate), anything else through TextDecoder. */
function shortUtf8(buf: Uint8Array, start: number, end: number): string {
  const codes = asciiCodes[end - start]!;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b >= 0x80) return utf8Decoder.decode(buf.subarray(start, end));
    codes[i - start] = b;
  }
  return String.fromCharCode.apply(null, codes);
}

export function utf8Encode(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}
