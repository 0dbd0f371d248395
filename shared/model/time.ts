// Exact nanosecond timestamps kept as decimal strings; these helpers derive the numbers we compute
// with without going through a lossy float of the whole nanosecond value.

const DECIMAL = /^\d{1,20}$/;

export function isUnixNano(value: string): boolean {
  return DECIMAL.test(value);
}

/**
 * Microseconds since the epoch as a number: exact to the µs for any date before year 2255.
 * Digits are read directly (no substrings): this runs once per span and event at ingest.
 * `nano` must be a decimal string (see `isUnixNano`).
 */
export function nanoToMicros(nano: string): number {
  const n = nano.length;
  if (n <= 3) return Number(nano) / 1000;
  const e = n - 3;
  let whole = 0;
  for (let i = 0; i < e; i++) whole = whole * 10 + (nano.charCodeAt(i) - 48);
  const rest = (nano.charCodeAt(e) - 48) * 100 + (nano.charCodeAt(e + 1) - 48) * 10 + (nano.charCodeAt(e + 2) - 48);
  return whole + rest / 1000;
}

/** Normalise a nanosecond value given as number, bigint or string into the canonical decimal string. */
export function toUnixNano(value: string | number | bigint): string {
  if (typeof value === 'bigint') return value < 0n ? '0' : value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return '0';
    return BigInt(Math.trunc(value)).toString();
  }
  const trimmed = value.replace(/^0+(?=\d)/, '');
  return trimmed;
}

/** Milliseconds since the epoch (float) to the nanosecond decimal string, rounding to whole ns. */
export function millisToUnixNano(ms: number): string {
  const wholeMs = Math.floor(ms);
  const fracNs = Math.round((ms - wholeMs) * 1e6);
  return (BigInt(wholeMs) * 1_000_000n + BigInt(fracNs)).toString();
}
