import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSpan } from '../model';
import { encodeOtlpJson } from './json-encode';
import { prettyJsonArrayLines, prettyOtlpJsonLines } from './json-text-stream';
import { spansArb } from './fixtures/arbitraries';
import { OTHER_SCOPE, sampleSpans } from './fixtures/sample-spans';

const joined = (lines: Iterable<string>): string => [...lines].join('\n');

// A resource and a scope with no schemaUrl, and one span whose strings hold newlines and quotes.
function plainSpans() {
  const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'line\nbreak "quoted"' } }] };
  return [1, 2, 3].map((i) =>
    buildSpan({ traceId: 'a'.repeat(32), spanId: `${i}`.repeat(16), name: `op\n${i}`, startTimeUnixNano: '1', endTimeUnixNano: '2', resource, scope: OTHER_SCOPE }),
  );
}

describe('pretty JSON streamed line by line', () => {
  it('gives exactly JSON.stringify(…, null, 2) of the OTLP document', () => {
    for (const spans of [sampleSpans(), plainSpans(), [...sampleSpans(), ...plainSpans()], []]) {
      expect(joined(prettyOtlpJsonLines(spans))).toBe(JSON.stringify(encodeOtlpJson(spans), null, 2));
    }
  });

  it('gives exactly JSON.stringify(…, null, 2) of an array of spans', () => {
    for (const spans of [sampleSpans(), plainSpans(), [], [sampleSpans()[0]]]) {
      expect(joined(prettyJsonArrayLines(spans))).toBe(JSON.stringify(spans, null, 2));
    }
  });

  it('agrees with JSON.stringify on arbitrary spans (any resources, scopes, values)', () => {
    fc.assert(
      fc.property(spansArb(), (spans) => {
        expect(joined(prettyOtlpJsonLines(spans))).toBe(JSON.stringify(encodeOtlpJson(spans), null, 2));
        expect(joined(prettyJsonArrayLines(spans))).toBe(JSON.stringify(spans, null, 2));
      }),
      { numRuns: 200 },
    );
  });
});
