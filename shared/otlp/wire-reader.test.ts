import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WireReader, uint64Decimal } from './wire-reader';

describe('64-bit decimal conversion', () => {
  it('uint64Decimal matches BigInt over the whole range', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (n) => {
        expect(uint64Decimal(Number(n & 0xffffffffn), Number(n >> 32n))).toBe(n.toString());
      }),
      { numRuns: 5000 },
    );
    for (const n of [0n, (1n << 53n) - 1n, 1n << 53n, 10n ** 19n, (1n << 64n) - 1n, 1700000000123456789n]) {
      expect(uint64Decimal(Number(n & 0xffffffffn), Number(n >> 32n))).toBe(n.toString());
    }
  });

  it('int64String reads two’s complement halves as signed', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (n) => {
        const u = BigInt.asUintN(64, n);
        const r = new WireReader(new Uint8Array(0));
        r.lo = Number(u & 0xffffffffn);
        r.hi = Number(u >> 32n);
        expect(r.int64String()).toBe(n.toString());
      }),
      { numRuns: 5000 },
    );
  });
});
