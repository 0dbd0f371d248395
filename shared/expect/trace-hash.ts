// The determinism hash: FNV-1a 64 over each span's canonical content (see normalize.ts for which
// attributes are ignored), combined with its children's subtree hashes by 64-bit addition — which
// is order-independent, so sibling order, ids and timestamps never change it, while identical
// siblings still count by multiplicity. Works on 32-bit halves in typed arrays: no strings are
// built per span (a million spans hash in well under a second's worth of string garbage).
import { SPAN_KINDS, toText } from '../model';
import type { AnyValue, KeyValue, Span } from '../model';
import { buildTraceIndex } from './trace-index';
import type { TraceIndex } from './trace-index';
import { keepAttribute } from './normalize';
import type { NormalizeOptions } from './normalize';

// FNV-1a state in two 32-bit halves; prime = 2^40 + 0x1b3, so h·prime = h·0x1b3 + (h << 40).
let HI = 0;
let LO = 0;

function fnvStart(): void {
  HI = 0xcbf29ce4;
  LO = 0x84222325;
}

function fnvCode(code: number): void {
  const lo = (LO ^ code) >>> 0;
  const loProd = lo * 0x1b3;
  HI = (HI * 0x1b3 + Math.floor(loProd / 0x100000000) + ((lo << 8) >>> 0)) >>> 0;
  LO = loProd >>> 0;
}

// The loops below are fnvCode written out with the state in locals: module-level `let`s are
// context slots, loaded and stored on every character otherwise (the hash runs per iteration of
// every test over every span). All products stay below 2^53, so the arithmetic is exact.

function fnvText(text: string): void {
  let hi = HI;
  let lo = LO;
  const len = text.length;
  for (let i = 0; i <= len; i++) {
    // 0xffff after the text: a separator no UTF-16 text contains.
    const l = (lo ^ (i < len ? text.charCodeAt(i) : 0xffff)) >>> 0;
    const prod = l * 0x1b3;
    hi = (hi * 0x1b3 + Math.floor(prod / 0x100000000) + ((l << 8) >>> 0)) >>> 0;
    lo = prod >>> 0;
  }
  HI = hi;
  LO = lo;
}

function fnvWord(word: number): void {
  let hi = HI;
  let l = (LO ^ (word & 0xffff)) >>> 0;
  let prod = l * 0x1b3;
  hi = (hi * 0x1b3 + Math.floor(prod / 0x100000000) + ((l << 8) >>> 0)) >>> 0;
  l = ((prod >>> 0) ^ (word >>> 16)) >>> 0;
  prod = l * 0x1b3;
  HI = (hi * 0x1b3 + Math.floor(prod / 0x100000000) + ((l << 8) >>> 0)) >>> 0;
  LO = prod >>> 0;
}

/** FNV-1a 64 of a string (UTF-16 code units), as 16 hex digits. */
export function fnv1a64(text: string): string {
  fnvStart();
  for (let i = 0; i < text.length; i++) fnvCode(text.charCodeAt(i));
  return hex(HI, LO);
}

function hex(hi: number, lo: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** Adds the current FNV state into slot i of a 64-bit sum kept as two Uint32 halves. */
function addInto(sumHi: Uint32Array | number[], sumLo: Uint32Array | number[], i: number, hi: number, lo: number): void {
  const l = sumLo[i]! + lo;
  sumLo[i] = l >>> 0;
  sumHi[i] = (sumHi[i]! + hi + (l > 0xffffffff ? 1 : 0)) >>> 0;
}

const scratchHi = new Uint32Array(1);
const scratchLo = new Uint32Array(1);

function typeTag(value: AnyValue): number {
  if ('boolValue' in value) return 2;
  if ('intValue' in value) return 3;
  if ('doubleValue' in value) return 4;
  if ('bytesValue' in value) return 5;
  if ('arrayValue' in value) return 6;
  if ('kvlistValue' in value) return 7;
  return 8;
}

/** Hash of one attribute's value, continuing from the state after its key; result in HI/LO. */
function valueHash(value: AnyValue): void {
  // The value's type counts: int 1 and string "1" differ.
  if ('stringValue' in value) {
    fnvCode(1);
    fnvText(value.stringValue);
  } else {
    fnvCode(typeTag(value));
    fnvText(toText(value));
  }
}

/** Order-independent hash of attributes: sum of per-attribute hashes (keys are unique per list). */
function attributesSum(attributes: readonly KeyValue[], keep: (key: string) => boolean): void {
  scratchHi[0] = 0;
  scratchLo[0] = 0;
  for (let k = 0; k < attributes.length; k++) {
    const kv = attributes[k]!;
    if (!keep(kv.key)) continue;
    fnvStart();
    fnvText(kv.key);
    valueHash(kv.value);
    addInto(scratchHi, scratchLo, 0, HI, LO);
  }
}

/**
 * Per-key and per-(name, kind, status, service) hash states, computed once per distinct value:
 * a span's own hash starts from a fresh FNV state with exactly these strings, and an attribute's
 * hash from a fresh state with its key, so the states after them depend on those values alone.
 */
interface HashCaches {
  readonly keyStart: Int32Array | readonly number[];
  readonly keyId: Int32Array | readonly number[];
  /** Per attribute key id: 1 when kept, and the FNV state after the key. */
  readonly keyKeep: Uint8Array;
  readonly keyHi: Uint32Array;
  readonly keyLo: Uint32Array;
  /** (nameId, kind, status, serviceId) → slot in prefixHi/prefixLo. */
  readonly prefixSlot: Map<number, number>;
  readonly prefixHi: number[];
  readonly prefixLo: number[];
}

function hashCaches(index: TraceIndex, keep: (key: string) => boolean): HashCaches {
  const { keyStart, keyId, keys } = index.attributeKeys();
  const keyKeep = new Uint8Array(keys.length);
  const keyHi = new Uint32Array(keys.length);
  const keyLo = new Uint32Array(keys.length);
  for (let k = 0; k < keys.length; k++) {
    keyKeep[k] = keep(keys[k]!) ? 1 : 0;
    fnvStart();
    fnvText(keys[k]!);
    keyHi[k] = HI;
    keyLo[k] = LO;
  }
  return { keyStart, keyId, keyKeep, keyHi, keyLo, prefixSlot: new Map(), prefixHi: [], prefixLo: [] };
}

const STATUS_NAMES = ['unset', 'ok', 'error'];

/** Hash of span i without its children (name, kind, status code, service, attributes, events). */
function spanOwnHash(index: TraceIndex, i: number, c: HashCaches, keep: (key: string) => boolean): void {
  const span = index.spans[i]!;
  const attrs = span.attributes;
  let aHi = 0;
  let aLo = 0;
  const from = c.keyStart[i]!;
  for (let a = 0; a < attrs.length; a++) {
    const k = c.keyId[from + a]!;
    if (c.keyKeep[k] === 0) continue;
    HI = c.keyHi[k]!;
    LO = c.keyLo[k]!;
    valueHash(attrs[a]!.value);
    const sum = aLo + LO;
    aLo = sum >>> 0;
    aHi = (aHi + HI + (sum > 0xffffffff ? 1 : 0)) >>> 0;
  }
  let eHi = 0;
  let eLo = 0;
  for (const e of span.events) {
    attributesSum(e.attributes, keep);
    const h = scratchHi[0]!;
    const l = scratchLo[0]!;
    fnvStart();
    fnvText(e.name);
    fnvWord(h);
    fnvWord(l);
    const sum = eLo + LO;
    eLo = sum >>> 0;
    eHi = (eHi + HI + (sum > 0xffffffff ? 1 : 0)) >>> 0;
  }
  const kind = index.kind[i]!;
  const status = index.status[i]!;
  // The index folds unknown kinds/codes into 'unspecified'/'unset': hash those spans' strings directly.
  if (SPAN_KINDS[kind] === span.kind && STATUS_NAMES[status] === span.status.code) {
    const combo = ((index.nameId[i]! * 8 + kind) * 4 + status) * (index.services.length + 1) + index.serviceId[i]!;
    let slot = c.prefixSlot.get(combo);
    if (slot === undefined) {
      fnvStart();
      fnvText(span.name);
      fnvText(span.kind);
      fnvText(span.status.code);
      fnvText(span.serviceName);
      slot = c.prefixHi.length;
      c.prefixHi.push(HI);
      c.prefixLo.push(LO);
      c.prefixSlot.set(combo, slot);
    }
    HI = c.prefixHi[slot]!;
    LO = c.prefixLo[slot]!;
  } else {
    fnvStart();
    fnvText(span.name);
    fnvText(span.kind);
    fnvText(span.status.code);
    fnvText(span.serviceName);
  }
  fnvWord(aHi);
  fnvWord(aLo);
  fnvWord(eHi);
  fnvWord(eLo);
}

export interface SubtreeHashes {
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  /** 1 for spans reached from a root; 0 for spans caught in parent cycles (hashed alone). */
  readonly reached: Uint8Array;
}

/** Subtree hash of every span, bottom-up over the index's top-down order (no recursion). */
export function subtreeHashes(index: TraceIndex, keep: (key: string) => boolean): SubtreeHashes {
  const n = index.spans.length;
  const caches = hashCaches(index, keep);
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  // Scratch sums as JS arrays of doubles (NaN fill makes them double arrays at once, then zeroed):
  // with the index's typed columns, three more typed arrays would pass V8's 64 MB external-memory
  // trigger and start marking the whole heap (see Column in trace-index.ts).
  const kidsHi = new Array<number>(n).fill(NaN).fill(0);
  const kidsLo = new Array<number>(n).fill(NaN).fill(0);
  const kidCount = new Array<number>(n).fill(0);
  const reached = new Uint8Array(n);
  const order = index.topDown();
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    reached[i] = 1;
    spanOwnHash(index, i, caches, keep);
    fnvWord(kidsHi[i]!);
    fnvWord(kidsLo[i]!);
    fnvWord(kidCount[i]!);
    hi[i] = HI;
    lo[i] = LO;
    const p = index.parent[i]!;
    if (p >= 0) {
      addInto(kidsHi, kidsLo, p, HI, LO);
      kidCount[p]!++;
    }
  }
  for (let i = 0; i < n; i++) {
    if (reached[i]) continue;
    spanOwnHash(index, i, caches, keep);
    fnvText('cycle');
    hi[i] = HI;
    lo[i] = LO;
  }
  return { hi, lo, reached };
}

/**
 * One hash for a whole run: the sum of the subtree hashes of all roots (a span whose parent is not
 * in the data counts as a root) and of spans caught in parent cycles. Trace ids are dropped, so
 * traces are matched by content only.
 */
export function normalizedTraceHash(spans: readonly Span[], options: NormalizeOptions = {}): string {
  return normalizedTraceHashOfIndex(buildTraceIndex(spans), options);
}

/** normalizedTraceHash over an index already built (e.g. the one the expectations were evaluated with). */
export function normalizedTraceHashOfIndex(index: TraceIndex, options: NormalizeOptions = {}): string {
  const h = subtreeHashes(index, keepAttribute(options));
  const sumHi = new Uint32Array(1);
  const sumLo = new Uint32Array(1);
  let roots = 0;
  for (let i = 0; i < index.spans.length; i++) {
    if (index.parent[i]! < 0 || !h.reached[i]) {
      addInto(sumHi, sumLo, 0, h.hi[i]!, h.lo[i]!);
      roots++;
    }
  }
  fnvStart();
  fnvText('run');
  fnvWord(sumHi[0]!);
  fnvWord(sumLo[0]!);
  fnvWord(roots);
  return hex(HI, LO);
}
