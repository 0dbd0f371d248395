// Property tests: every codec gives back exactly the spans it was given, including nanosecond
// timestamps and int64 values over their whole range.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSpan, EMPTY_RESOURCE, EMPTY_SCOPE } from '../model';
import { decodeOtlpJson, decodeOtlpProtobuf, decodeSpanMessage, encodeOtlpJson, encodeOtlpProtobuf } from './index';
import { spansArb } from './fixtures/arbitraries';

describe('round trips', () => {
  it('JSON object: decodeOtlpJson(encodeOtlpJson(x)) equals x', () => {
    fc.assert(
      fc.property(spansArb(), (spans) => {
        const result = decodeOtlpJson(encodeOtlpJson(spans));
        expect(result).toEqual({ spans, rejectedSpans: 0 });
      }),
      { numRuns: 300 },
    );
  });

  it('JSON text: through JSON.stringify and back', () => {
    fc.assert(
      fc.property(spansArb({ textSafe: true }), (spans) => {
        expect(decodeOtlpJson(JSON.stringify(encodeOtlpJson(spans))).spans).toEqual(spans);
      }),
      { numRuns: 300 },
    );
  });

  it('protobuf: decodeOtlpProtobuf(encodeOtlpProtobuf(x)) equals x', () => {
    fc.assert(
      fc.property(spansArb(), (spans) => {
        const bytes = encodeOtlpProtobuf(spans);
        const { wire, ...result } = decodeOtlpProtobuf(bytes);
        expect(result).toEqual({ spans, rejectedSpans: 0 });
        // Each span's recorded Span message decodes on its own to the same span.
        expect(wire!.ranges.length).toBe(2 * spans.length);
        result.spans.forEach((span, i) => {
          const message = bytes.subarray(wire!.ranges[2 * i], wire!.ranges[2 * i + 1]);
          expect(decodeSpanMessage(message, span.resource, span.scope)).toEqual(span);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('nanosecond timestamps stay exact up to 2^64-1 in every codec', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (a, b) => {
        const span = buildSpan({
          traceId: '0123456789abcdef0123456789abcdef',
          spanId: '0123456789abcdef',
          name: 't',
          startTimeUnixNano: a.toString(),
          endTimeUnixNano: b.toString(),
          events: [{ name: 'e', timeUnixNano: b.toString(), attributes: [] }],
          resource: EMPTY_RESOURCE,
          scope: EMPTY_SCOPE,
        });
        for (const decoded of [
          decodeOtlpProtobuf(encodeOtlpProtobuf([span])).spans[0]!,
          decodeOtlpJson(JSON.stringify(encodeOtlpJson([span]))).spans[0]!,
        ]) {
          expect(decoded.startTimeUnixNano).toBe(a.toString());
          expect(decoded.endTimeUnixNano).toBe(b.toString());
          expect(decoded.events[0]!.timeUnixNano).toBe(b.toString());
        }
      }),
      { numRuns: 500 },
    );
  });
});
