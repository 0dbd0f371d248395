import { describe, expect, it } from 'vitest';
import { utf8Encode } from './bytes';
import { WireWriter } from './wire-writer';

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
