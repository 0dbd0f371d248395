import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSpan } from '../model';
import { encodeOtlpJson } from './json-encode';
import { prettyJsonArrayLines, prettyOtlpJsonLines, spanGroups } from './json-text-stream';
import { spansArb } from './fixtures/arbitraries';
import { OTHER_SCOPE, sampleSpans } from './fixtures/sample-spans';

async function joined(lines: AsyncIterable<string>): Promise<string> {
  const all: string[] = [];
  for await (const line of lines) all.push(line);
  return all.join('\n');
}
/** The spans in pages of `size` (the last may be smaller). */
const paged = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

// A resource and a scope with no schemaUrl, and one span whose strings hold newlines and quotes.
function plainSpans() {
  const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'line\nbreak "quoted"' } }] };
  return [1, 2, 3].map((i) =>
    buildSpan({ traceId: 'a'.repeat(32), spanId: `${i}`.repeat(16), name: `op\n${i}`, startTimeUnixNano: '1', endTimeUnixNano: '2', resource, scope: OTHER_SCOPE }),
  );
}

describe('pretty JSON streamed line by line', () => {
  it('gives exactly JSON.stringify(…, null, 2) of the OTLP document', async () => {
    for (const spans of [sampleSpans(), plainSpans(), [...sampleSpans(), ...plainSpans()], []]) {
      expect(await joined(prettyOtlpJsonLines(spanGroups(spans)))).toBe(JSON.stringify(encodeOtlpJson(spans), null, 2));
    }
  });

  it('gives exactly JSON.stringify(…, null, 2) of an array of spans, however it is paged', async () => {
    for (const spans of [sampleSpans(), plainSpans(), [], [sampleSpans()[0]]]) {
      for (const size of [1, 2, 1000]) expect(await joined(prettyJsonArrayLines(paged(spans, size)))).toBe(JSON.stringify(spans, null, 2));
    }
    expect(await joined(prettyJsonArrayLines([[], [sampleSpans()[0]], []]))).toBe(JSON.stringify([sampleSpans()[0]], null, 2));
  });

  it('agrees with JSON.stringify on arbitrary spans (any resources, scopes, values)', async () => {
    await fc.assert(
      fc.asyncProperty(spansArb(), async (spans) => {
        expect(await joined(prettyOtlpJsonLines(spanGroups(spans)))).toBe(JSON.stringify(encodeOtlpJson(spans), null, 2));
        expect(await joined(prettyJsonArrayLines(paged(spans, 3)))).toBe(JSON.stringify(spans, null, 2));
      }),
      { numRuns: 200 },
    );
  });
});
