import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { millisToUnixNano, nanoToMicros, toUnixNano } from './time';

describe('nanoToMicros', () => {
  it('is exact to the microsecond up to year 2255 (within one float step of the true value)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 9_000_000_000_000_000_000n }), (ns) => {
        const micros = nanoToMicros(ns.toString());
        const whole = Number(ns / 1000n);
        const exact = whole + Number(ns % 1000n) / 1000;
        // The float spacing at this magnitude bounds the error (0.5 µs at ~4.5e15 µs).
        const step = Math.max(Number.EPSILON * whole * 2, 1e-9);
        expect(Math.abs(micros - exact)).toBeLessThanOrEqual(step);
      }),
    );
  });
  it('keeps whole microseconds exact for present-day timestamps', () => {
    expect(nanoToMicros('1763790000123456789')).toBeCloseTo(1763790000123456.789, 0);
    expect(Math.trunc(nanoToMicros('1763790000123456000'))).toBe(1763790000123456);
  });
  it('handles short values', () => {
    expect(nanoToMicros('0')).toBe(0);
    expect(nanoToMicros('999')).toBe(0.999);
    expect(nanoToMicros('1000')).toBe(1);
  });
});

describe('toUnixNano / millisToUnixNano', () => {
  it('normalises numbers, bigints and strings', () => {
    expect(toUnixNano(12n)).toBe('12');
    expect(toUnixNano(-1)).toBe('0');
    expect(toUnixNano('000123')).toBe('123');
    expect(millisToUnixNano(1.5)).toBe('1500000');
  });
});
