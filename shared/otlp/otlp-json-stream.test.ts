import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { decodeOtlpJson, encodeOtlpJson } from './index';
import { sampleSpans } from './fixtures/sample-spans';
import { OtlpJsonStream, SecondDocument } from './otlp-json-stream';

/** Both passes over `text` cut into pieces of `size` characters. */
function streamDecode(text: string, size: number) {
  const stream = new OtlpJsonStream();
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  for (const p of pieces) stream.scanEnvelopes(p);
  stream.endEnvelopes();
  const spans = pieces.flatMap((p) => stream.decodeSpans(p));
  const last = stream.end();
  return { isOtlp: stream.isOtlp, spans: [...spans, ...last.spans], result: last.result };
}

const TRACE = '0af7651916cd43dd8448eb211c80319c';

describe('OtlpJsonStream', () => {
  it('decodes what decodeOtlpJson decodes, whatever the chunk size', () => {
    const text = JSON.stringify(encodeOtlpJson(sampleSpans()), null, 2);
    const expected = decodeOtlpJson(text).spans;
    for (const size of [1, 7, 64, 1000, text.length]) {
      const got = streamDecode(text, size);
      expect(got.isOtlp).toBe(true);
      expect(got.spans, `chunks of ${size}`).toEqual(expected);
    }
  });

  it('finds envelopes written after the spans, snake_case spellings, and counts rejected spans', () => {
    const doc = {
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                { traceId: TRACE, spanId: 'b7ad6b7169203331', name: 'ok' },
                { traceId: TRACE, spanId: '0000000000000000', name: 'zero id' },
              ],
              schema_url: 'scope-schema',
              scope: { name: 'late-scope' },
            },
          ],
          schemaUrl: 'resource-schema',
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'late' } }] },
        },
      ],
    };
    const text = JSON.stringify(doc);
    const got = streamDecode(text, 10);
    expect(got.spans).toEqual(decodeOtlpJson(text).spans);
    expect(got.spans[0]!.serviceName).toBe('late');
    expect(got.spans[0]!.scope).toEqual({ name: 'late-scope', schemaUrl: 'scope-schema' });
    expect(got.result.rejectedSpans).toBe(1);
  });

  it('reports shape errors by JSON path and envelope errors before any span', () => {
    const badKind = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: 'b7ad6b7169203331', name: 'x', kind: 'SIDEWAYS' }] }] }] });
    expect(() => streamDecode(badKind, 5)).toThrow(/resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.kind/);
    const badScope = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [], scope: { name: 5 } }] }] });
    const stream = new OtlpJsonStream();
    stream.scanEnvelopes(badScope);
    expect(() => stream.endEnvelopes()).toThrow(StudioError);
    expect(() => streamDecode(JSON.stringify({ resourceSpans: 3 }), 4)).toThrow(/expected an array/);
  });

  it('says when the top level is not an OTLP request, or is more than one document', () => {
    expect(streamDecode(JSON.stringify({ data: [{ traceID: 'x', spans: [] }] }), 8).isOtlp).toBe(false);
    expect(() => streamDecode('{"resourceSpans": []}\n{"resourceSpans": []}', 8)).toThrow(SecondDocument);
  });

  it('hands out each ResourceSpans read whole, to be decoded from its text, and leaves the rest to the second pass', () => {
    const doc = {
      resourceSpans: ['a', 'b', 'c'].map((service, i) => ({
        scopeSpans: [{ spans: [{ traceId: TRACE, spanId: `b7ad6b716920333${i}`, name: service }], scope: { name: 'late' }, schemaUrl: `scope-${i}` }],
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        schemaUrl: `resource-${i}`,
      })),
    };
    const text = JSON.stringify(doc);
    const expected = decodeOtlpJson(text).spans;
    const stream = new OtlpJsonStream();
    const early = [];
    for (let at = 0; at < text.length; at += 16) {
      stream.scanEnvelopes(text.slice(at, at + 16));
      // The first two are decoded as soon as they are read whole; the third is left to the second pass.
      for (const { index, start, end } of stream.takeResourcesRead()) {
        expect(text.slice(start, end)).toBe(JSON.stringify(doc.resourceSpans[index]));
        if (index < 2) for (const piece of stream.decodeResourceText(index, text.slice(start, end))) early.push(...piece);
      }
    }
    expect(early).toEqual(expected.slice(0, 2)); // complete: their late scope and schemaUrl included
    expect(stream.allDecoded).toBe(false);
    stream.endEnvelopes();
    const rest = [...stream.decodeSpans(text), ...stream.end().spans];
    expect(rest).toEqual(expected.slice(2));
  });
});
