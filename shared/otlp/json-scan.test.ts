import { describe, expect, it } from 'vitest';
import { JsonScanError, JsonStreamScanner, type Interest, type JsonPathPart } from './json-scan';

const DOC = '\ufeff'.slice(1) + `{
  "a": [1, -2.5e3, true, false, null, "x\\"y\\\\"],
  "b\\u0041": {"c": {"d": "é😀"}, "e": []},
  "list": [{"k": 1}, {"k": [2, {"z": null}]}, "s"],
  "tail": 0
}`;

/** Captures every element of "list" and the value of "bA".c, descends the rest of the top level. */
function scan(chunks: string[]): Array<[string, string]> {
  const got: Array<[string, string]> = [];
  const scanner = new JsonStreamScanner({
    interest(path: readonly JsonPathPart[]): Interest {
      if (path.length <= 1) return 'descend';
      if (path[0] === 'list' && path.length === 2) return 'capture';
      if (path[0] === 'bA' && path[1] === 'c') return 'capture';
      return path[0] === 'bA' ? 'descend' : 'skip';
    },
    value: (path, text) => got.push([path.join('.'), text]),
  });
  for (const c of chunks) scanner.push(c);
  scanner.end();
  return got;
}

function failure(text: string, at?: number): JsonScanError {
  try {
    if (at === undefined) scan([text]);
    else scan([text.slice(0, at), text.slice(at)]);
  } catch (error) {
    expect(error).toBeInstanceOf(JsonScanError);
    return error as JsonScanError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('JsonStreamScanner', () => {
  it('captures the same values wherever the chunks are split', () => {
    const whole = scan([DOC]);
    expect(whole).toEqual([
      ['bA.c', '{"d": "é😀"}'],
      ['list.0', '{"k": 1}'],
      ['list.1', '{"k": [2, {"z": null}]}'],
      ['list.2', '"s"'],
    ]);
    for (let a = 0; a <= DOC.length; a++) expect(scan([DOC.slice(0, a), DOC.slice(a)]), `split at ${a}`).toEqual(whole);
    expect(scan([...DOC])).toEqual(whole);
  });

  it('skims values by their brackets, whatever the chunk split, and still sees what follows', () => {
    const skimmed = (chunks: string[]): Array<[string, string]> => {
      const got: Array<[string, string]> = [];
      const scanner = new JsonStreamScanner({
        interest: (path) => (path.length === 0 ? 'descend' : path[0] === 'list' || path[0] === 'a' ? 'skim' : 'capture'),
        value: (path, text) => got.push([path.join('.'), text]),
      });
      for (const c of chunks) scanner.push(c);
      scanner.end();
      return got;
    };
    const whole = skimmed([DOC]);
    expect(whole).toEqual([
      ['bA', '{"c": {"d": "é😀"}, "e": []}'],
      ['tail', '0'],
    ]);
    for (let a = 0; a <= DOC.length; a++) expect(skimmed([DOC.slice(0, a), DOC.slice(a)]), `split at ${a}`).toEqual(whole);
    expect(() => skimmed(['{"list": [{"x": "]"}, ['])).toThrow(/ends early/);
  });

  it('rejects malformed JSON with its line and column, wherever the chunks are split', () => {
    const cases: Array<[string, number, number, RegExp]> = [
      ['{"a": 1,\n "b" 2}', 2, 6, /expected ":"/],
      ['{"a": [1, 2}', 1, 12, /expected "," or "]"/],
      ['{"a": tru}', 1, 7, /unexpected character/],
      ['{"a": 01}', 1, 7, /malformed number/],
      ['{"a": "x\ny"}', 1, 9, /control character/],
      ['{"a": [1,\n2', 2, 2, /ends early/],
      ['{"a": "unclosed', 1, 7, /ends inside a value/],
      ['', 1, 1, /no JSON value/],
    ];
    for (const [text, line, column, message] of cases) {
      for (const at of [undefined, Math.floor(text.length / 2), text.length - 1]) {
        const e = failure(text, at);
        expect([e.line, e.column], `${JSON.stringify(text)} split at ${at}`).toEqual([line, column]);
        expect(e.message).toMatch(message);
      }
    }
  });

  it('keeps only the unfinished part between chunks', () => {
    const scanner = new JsonStreamScanner({ interest: (p) => (p.length === 0 ? 'descend' : 'skip'), value: () => undefined });
    scanner.push('[');
    const item = `{"name": "${'x'.repeat(100)}", "n": [1, 2, 3]},`;
    for (let i = 0; i < 20_000; i++) scanner.push(item);
    scanner.push('0]');
    scanner.end();
    expect(scanner.offset).toBe(1 + item.length * 20_000 + 2);
    // The buffer holds at most one chunk: nothing of the 2.6 MB pushed is kept.
    expect((scanner as unknown as { buf: string }).buf.length).toBeLessThan(item.length);
  });
});
