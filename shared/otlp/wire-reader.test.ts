import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nanoToMicros } from '../model/time';
import { WireReader, uint64Decimal } from './wire-reader';

describe('64-bit decimal conversion', () => {
  it('uint64Micros gives exactly what nanoToMicros gives for the decimal string', () => {
    const r = new WireReader(new Uint8Array(0));
    const check = (n: bigint) => {
      r.lo = Number(n & 0xffffffffn);
      r.hi = Number(n >> 32n);
      expect(r.uint64Micros()).toBe(nanoToMicros(n.toString()));
    };
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), check), { numRuns: 5000 });
    fc.assert(fc.property(fc.bigInt({ min: 1600000000000000000n, max: 1900000000000000000n }), check), { numRuns: 5000 });
    for (const n of [0n, 999n, 1000n, 1001n, (0x7d000000n << 32n) - 1n, 0x7d000000n << 32n, (1n << 64n) - 1n]) check(n);
  });

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

  it('uint64Decimal stays exact for runs of values sharing their high 32 bits, across the 10^10 carry', () => {
    for (const base of [1700000000000000000n, (1n << 64n) - (1n << 32n), 18446744069414584320n, 10n ** 19n]) {
      const hi = Number(base >> 32n);
      for (const lo of [0, 1, 999_999_999, 1_000_000_000, 2 ** 31, 4_000_000_000, 2 ** 32 - 1]) {
        const n = (BigInt(hi) << 32n) + BigInt(lo);
        expect(uint64Decimal(lo, hi)).toBe(n.toString());
      }
    }
    fc.assert(
      fc.property(fc.integer({ min: 0x200000, max: 0xffffffff }), fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 20 }), (hi, los) => {
        for (const lo of los) expect(uint64Decimal(lo, hi)).toBe(((BigInt(hi) << 32n) + BigInt(lo)).toString());
      }),
      { numRuns: 2000 },
    );
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
