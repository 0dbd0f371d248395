import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Encode } from './bytes';
import { WireWriter, splitInt64 } from './wire-writer';

/** The reference encoding: varint length, then TextEncoder's bytes. */
function reference(text: string): number[] {
  const bytes = [...utf8Encode(text)];
  const out: number[] = [];
  for (let v = bytes.length; ; v = Math.floor(v / 128)) {
    if (v < 0x80) {
      out.push(v);
      break;
    }
    out.push((v & 0x7f) | 0x80);
  }
  return [...out, ...bytes];
}

describe('WireWriter.string', () => {
  it('writes the same bytes as TextEncoder inline and past the inline limit, ASCII or not', () => {
    const cases = ['', 'a', 'x'.repeat(127), 'x'.repeat(128), `${'x'.repeat(60)}é${'y'.repeat(60)}`, 'ünïcode', '\u{1F600}', 'tail é'];
    for (const text of cases) {
      const w = new WireWriter();
      w.varint(300); // something before, so a fallback must rewind to the right place
      const before = w.pos;
      w.string(text);
      expect([...w.finish().subarray(before)], JSON.stringify(text)).toEqual(reference(text));
    }
  });
});

describe('splitInt64', () => {
  const reference = (decimal: string): { lo: number; hi: number } => {
    const n = BigInt.asUintN(64, BigInt(decimal));
    return { lo: Number(n & 0xffffffffn), hi: Number(n >> 32n) };
  };

  it('gives the two halves BigInt.asUintN(64) gives, for any decimal int64, uint64 or wider', () => {
    const fixed = ['0', '-0', '1', '-1', '4294967295', '4294967296', '-4294967296', '9223372036854775807', '-9223372036854775808', '18446744073709551615', '18446744073709551616', '1700000000123456789', '007', ' 12', '+5', ''];
    for (const decimal of fixed) expect(splitInt64(decimal), JSON.stringify(decimal)).toEqual(reference(decimal));
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), (n) => {
        expect(splitInt64(n.toString())).toEqual(reference(n.toString()));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('WireWriter.hex', () => {
  it('writes the bytes hex spells, length first, in either case', () => {
    const w = new WireWriter();
    expect(w.hex('00ff7A')).toBe(true);
    expect([...w.finish()]).toEqual([3, 0x00, 0xff, 0x7a]);
  });

  it('writes nothing and says so for text that is not hex of whole bytes', () => {
    for (const text of ['abc', '0g', 'zz00', '0\u0100']) {
      const w = new WireWriter();
      w.varint(5);
      expect(w.hex(text), text).toBe(false);
      expect([...w.finish()]).toEqual([5]);
    }
  });
});
