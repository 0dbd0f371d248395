// Span id → span index for the tree builder. A Map<string, number> over a million ids costs
// about a second (hashing fresh strings twice per span); ids are 16 hex digits, so we parse them
// into two 32-bit halves and use an open-addressing table over typed arrays instead. Anything
// that is not 16 hex digits (never produced by our codecs, but possible in hand-made data) falls
// back to a Map, so behaviour is the same either way.

export interface SpanIndex {
  /** Index of the first span with this id, or -1. */
  get(spanId: string): number;
  /** Records `index` for `spanId` unless the id is already present; returns false for a duplicate. */
  add(spanId: string, index: number): boolean;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** The 32-bit value of 8 hex digits at `from`, or -1. */
function hex32(s: string, from: number): number {
  let v = 0;
  for (let k = 0; k < 8; k++) {
    const d = hexDigit(s.charCodeAt(from + k));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

export function createSpanIndex(expected: number): SpanIndex {
  let capacity = 16;
  while (capacity < expected * 2) capacity *= 2;
  const mask = capacity - 1;
  const hi = new Uint32Array(capacity);
  const lo = new Uint32Array(capacity);
  const val = new Int32Array(capacity).fill(-1);
  const other = new Map<string, number>();

  const slotOf = (h: number, l: number): number => {
    let slot = Math.imul(l ^ Math.imul(h, 0x9e3779b1), 0x85ebca6b) & mask;
    while (val[slot] !== -1 && (hi[slot] !== h || lo[slot] !== l)) slot = (slot + 1) & mask;
    return slot;
  };
  // Parsed halves of the last id, kept in locals rather than a tuple: no garbage per lookup.
  let ph = 0;
  let pl = 0;
  const parse = (id: string): boolean => {
    if (id.length !== 16) return false;
    ph = hex32(id, 0);
    pl = ph < 0 ? -1 : hex32(id, 8);
    return pl >= 0;
  };
  let used = 0;

  return {
    get(spanId) {
      if (!parse(spanId)) return other.get(spanId) ?? -1;
      return val[slotOf(ph, pl)]!;
    },
    add(spanId, index) {
      if (!parse(spanId) || used >= capacity / 2) {
        // Not hex, or more ids than announced: the Map takes it (and still reports duplicates).
        if (this.get(spanId) !== -1) return false;
        other.set(spanId, index);
        return true;
      }
      const slot = slotOf(ph, pl);
      if (val[slot] !== -1) return false;
      hi[slot] = ph;
      lo[slot] = pl;
      val[slot] = index;
      used++;
      return true;
    },
  };
}
