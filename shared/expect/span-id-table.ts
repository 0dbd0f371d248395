// Span id → span indices, for resolving parent links over a million spans quickly: ids are parsed
// into two 32-bit halves and kept in an open-addressing table of typed arrays. Spans are added one
// at a time during the index's single pass over the span objects, so later lookups compare halves
// and trace numbers in typed arrays instead of touching span objects again.
import type { Span } from '../model';

// Scratch output of idHalves (no allocation per span: a million small arrays cost more than the work).
// EXACT is 1 when the id was 16 lowercase hex digits: then equal halves mean equal strings.
let H = 0;
let L = 0;
let EXACT = 0;

/** Span id as two 32-bit halves in H/L; other ids get a string hash (EXACT = 0: equality is re-checked on the strings). */
export function idHalves(id: string): void {
  let hi = 0;
  let lo = 0;
  if (id.length === 16) {
    for (let k = 0; k < 16; k++) {
      const c = id.charCodeAt(k);
      const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (v < 0) return stringHalves(id);
      if (k < 8) hi = (hi << 4) | v;
      else lo = (lo << 4) | v;
    }
    H = hi;
    L = lo;
    EXACT = 1;
    return;
  }
  stringHalves(id);
}

function stringHalves(id: string): void {
  let h = 0x811c9dc5;
  for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x01000193);
  H = h;
  L = id.length;
  EXACT = 0;
}

/** Halves of the id last parsed by idHalves (read right after the call). */
export function lastHi(): number {
  return H;
}
export function lastLo(): number {
  return L;
}
export function lastExact(): number {
  return EXACT;
}

function slotOf(hi: number, lo: number): number {
  return Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b) ^ (lo >>> 13);
}

/**
 * Open-addressing table from span id to span indices. A Map keyed by a million fresh id strings
 * costs about a second (hashing and rehashing); two Int32 halves in typed arrays cost ~50 ms.
 * Equal ids share a probe chain in insertion order, so lookups meet lower span indices first.
 */
export class SpanIdTable {
  private readonly hi: Int32Array;
  private readonly lo: Int32Array;
  private readonly exact: Uint8Array;
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
    this.exact = new Uint8Array(n);
  }
  /** Adds span i under the id last parsed by idHalves (span ids are added in index order). */
  addParsed(i: number): void {
    const hi = H;
    const lo = L;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.exact[i] = EXACT;
    let slot = slotOf(hi, lo) & this.mask;
    while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
    this.slots[slot] = i;
  }
  /** Every span index whose id equals `id`. */
  find(id: string): number[] {
    idHalves(id);
    const hi = H;
    const lo = L;
    const out: number[] = [];
    for (let slot = slotOf(hi, lo) & this.mask; ; slot = (slot + 1) & this.mask) {
      const j = this.slots[slot]!;
      if (j === -1) return out;
      if (this.hi[j] === hi && this.lo[j] === lo && this.spans[j]!.spanId === id) out.push(j);
    }
  }
  /**
   * The first added span (not `self`) whose id equals `id` (given as parsed halves) and whose trace
   * number equals `trace`, or -1. `id` is only compared as a string when either side is not plain hex.
   */
  findParsed(hi: number, lo: number, exact: number, id: string, trace: number, traceNo: Int32Array, self: number): number {
    for (let slot = slotOf(hi, lo) & this.mask; ; slot = (slot + 1) & this.mask) {
      const j = this.slots[slot]!;
      if (j === -1) return -1;
      if (j !== self && this.hi[j] === hi && this.lo[j] === lo && traceNo[j] === trace) {
        if ((exact & this.exact[j]!) === 1 || this.spans[j]!.spanId === id) return j;
      }
    }
  }
}
