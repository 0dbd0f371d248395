import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOtlpProtobuf, decodeSpanMessage, encodeOtlpProtobuf, encodeSpanAttributeField, encodeSpanMessages, SpanScanner } from './index';
import { spansArb } from './fixtures/arbitraries';
import { sampleSpans } from './fixtures/sample-spans';

describe('stored Span messages', () => {
  it('encodeSpanMessages ranges decode back to each span, and the scanner reads its columns', () => {
    fc.assert(
      fc.property(spansArb(), (spans) => {
        const wire = encodeSpanMessages(spans);
        const scanner = new SpanScanner(wire.bytes);
        spans.forEach((span, i) => {
          const start = wire.ranges[2 * i]!;
          const end = wire.ranges[2 * i + 1]!;
          expect(decodeSpanMessage(wire.bytes.subarray(start, end), span.resource, span.scope)).toEqual(span);
          scanner.scan(start, end);
          expect({
            traceId: scanner.traceId,
            spanId: scanner.spanId,
            parentSpanId: scanner.parentSpanId || undefined,
            name: scanner.name,
            kind: scanner.kind,
            statusCode: scanner.statusCode,
            startUs: scanner.startUs,
            durationUs: Math.max(0, scanner.endUs - scanner.startUs),
          }).toEqual({
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId,
            name: span.name,
            kind: span.kind,
            statusCode: span.status.code,
            startUs: span.startUs,
            durationUs: span.durationUs,
          });
        });
      }),
      { numRuns: 200 },
    );
  });

  it('the request decoder and encodeSpanMessages produce the same Span message bytes', () => {
    const spans = sampleSpans();
    const bytes = encodeOtlpProtobuf(spans);
    const { wire } = decodeOtlpProtobuf(bytes);
    const own = encodeSpanMessages(spans);
    spans.forEach((_, i) => {
      expect(bytes.subarray(wire!.ranges[2 * i], wire!.ranges[2 * i + 1])).toEqual(own.bytes.subarray(own.ranges[2 * i], own.ranges[2 * i + 1]));
    });
  });

  it('a span attribute field is found inside the stored bytes of spans that carry it, and only those', () => {
    const spans = sampleSpans();
    const wire = encodeSpanMessages(spans);
    const contains = (hay: Uint8Array, needle: Uint8Array) => Buffer.from(hay).includes(Buffer.from(needle));
    spans.forEach((span, i) => {
      const message = wire.bytes.subarray(wire.ranges[2 * i], wire.ranges[2 * i + 1]);
      for (const kv of span.attributes) expect(contains(message, encodeSpanAttributeField(kv))).toBe(true);
      for (const event of span.events) for (const kv of event.attributes) {
        if (!span.attributes.some((a) => a.key === kv.key)) expect(contains(message, encodeSpanAttributeField(kv))).toBe(false);
      }
    });
  });

  it('the scanner refuses bytes without valid ids', () => {
    const wire = encodeSpanMessages(sampleSpans().slice(0, 1));
    const scanner = new SpanScanner(wire.bytes.slice(0, 2));
    expect(() => scanner.scan(0, 2)).toThrow(/truncated|length|valid trace id/);
  });
});
