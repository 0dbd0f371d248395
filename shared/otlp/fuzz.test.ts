// Fuzz-ish robustness: random bytes and mutated valid payloads either decode or fail with
// StudioError 'otlp.decode' — never another exception, never a hang (each run is bounded by the
// payload size, so a loop that never advanced would show up as a test timeout).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { StudioError } from '../errors';
import { decodeOtlpJson, decodeOtlpProtobuf, encodeOtlpJson, encodeOtlpProtobuf } from './index';
import { sampleSpans } from './fixtures/sample-spans';

function decodesOrFailsCleanly(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof StudioError) || error.code !== 'otlp.decode') throw error;
  }
}

const valid = encodeOtlpProtobuf(sampleSpans());

describe('decoders on hostile input', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => decodesOrFailsCleanly(() => decodeOtlpProtobuf(bytes))),
      { numRuns: 3000 },
    );
  });

  it('valid payloads with bytes flipped, truncated or spliced', () => {
    const mutation = fc.record({
      flips: fc.array(fc.record({ at: fc.nat(valid.length - 1), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 6 }),
      cut: fc.option(fc.nat(valid.length), { nil: undefined }),
      insertAt: fc.nat(valid.length),
      insert: fc.uint8Array({ maxLength: 8 }),
    });
    fc.assert(
      fc.property(mutation, ({ flips, cut, insertAt, insert }) => {
        let bytes = Uint8Array.from(valid);
        for (const f of flips) bytes[f.at] = f.value;
        bytes = Uint8Array.from([...bytes.subarray(0, insertAt), ...insert, ...bytes.subarray(insertAt)]);
        if (cut !== undefined) bytes = bytes.subarray(0, cut);
        decodesOrFailsCleanly(() => decodeOtlpProtobuf(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('every truncation of a valid payload', () => {
    for (let n = 0; n < valid.length; n++) decodesOrFailsCleanly(() => decodeOtlpProtobuf(valid.subarray(0, n)));
  });

  it('JSON: random values and mutated valid requests', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => decodesOrFailsCleanly(() => decodeOtlpJson(value))), { numRuns: 1000 });
    const text = JSON.stringify(encodeOtlpJson(sampleSpans()));
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.string({ maxLength: 3 }), (at, insert) =>
        decodesOrFailsCleanly(() => decodeOtlpJson(text.slice(0, at) + insert + text.slice(at + 1))),
      ),
      { numRuns: 2000 },
    );
  });
});
