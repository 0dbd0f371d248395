// Deterministic pseudo-random numbers (mulberry32): small, fast, good enough for test data and
// synthetic traces, never for secrets.

/** A generator of uniform 32-bit unsigned integers from a 32-bit seed. */
export function mulberry32U32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A generator of uniform floats in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  const next = mulberry32U32(seed);
  return () => next() / 0x100000000;
}
