// Span id → span indices, for resolving parent links over a million spans quickly: ids are parsed
// into two 32-bit halves and kept in an open-addressing table of typed arrays.
import type { Span } from '../model';

// Scratch output of idHalves (no allocation per span: a million small arrays cost more than the work).
let H = 0;
let L = 0;

/** Span id as two 32-bit halves in H/L; ids that are not 16 hex digits get a string hash (equality is re-checked). */
function idHalves(id: string): void {
  let hi = 0;
  let lo = 0;
  if (id.length === 16) {
    for (let k = 0; k < 16; k++) {
      const c = id.charCodeAt(k);
      const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (v < 0) return stringHalves(id);
      if (k < 8) hi = (hi << 4) | v;
      else lo = (lo << 4) | v;
    }
    H = hi;
    L = lo;
    return;
  }
  stringHalves(id);
}

function stringHalves(id: string): void {
  let h = 0x811c9dc5;
  for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x01000193);
  H = h;
  L = id.length;
}

/**
 * Open-addressing table from span id to span indices. A Map keyed by a million fresh id strings
 * costs about a second (hashing and rehashing); two Int32 halves in typed arrays cost ~50 ms.
 */
export class SpanIdTable {
  private readonly hi: Int32Array;
  private readonly lo: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  constructor(private readonly spans: readonly Span[]) {
    const n = spans.length;
    let cap = 16;
    while (cap < n * 2) cap *= 2;
    this.mask = cap - 1;
    this.slots = new Int32Array(cap).fill(-1);
    this.hi = new Int32Array(n);
    this.lo = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      idHalves(spans[i]!.spanId);
      const hi = H;
      const lo = L;
      this.hi[i] = hi;
      this.lo[i] = lo;
      let slot = SpanIdTable.slotOf(hi, lo) & this.mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
      this.slots[slot] = i;
    }
  }
  private static slotOf(hi: number, lo: number): number {
    return Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b) ^ (lo >>> 13);
  }
  /** Every span index whose id equals `id`. */
  find(id: string): number[] {
    idHalves(id);
    const hi = H;
    const lo = L;
    const out: number[] = [];
    for (let slot = SpanIdTable.slotOf(hi, lo) & this.mask; ; slot = (slot + 1) & this.mask) {
      const j = this.slots[slot]!;
      if (j === -1) return out;
      if (this.hi[j] === hi && this.lo[j] === lo && this.spans[j]!.spanId === id) out.push(j);
    }
  }
  /** The span with this id in the given trace (not `self`), or -1. */
  findInTrace(id: string, traceId: string, self: number): number {
    idHalves(id);
    const hi = H;
    const lo = L;
    for (let slot = SpanIdTable.slotOf(hi, lo) & this.mask; ; slot = (slot + 1) & this.mask) {
      const j = this.slots[slot]!;
      if (j === -1) return -1;
      if (j !== self && this.hi[j] === hi && this.lo[j] === lo) {
        const s = this.spans[j]!;
        if (s.spanId === id && s.traceId === traceId) return j;
      }
    }
  }
}
