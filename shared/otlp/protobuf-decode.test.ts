import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { buildSpan } from '../model';
import { decodeOtlpProtobuf, decodeSpanMessage, encodeExportTraceServiceResponse, encodeOtlpProtobuf } from './index';
import { sampleSpans } from './fixtures/sample-spans';
import { WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_SGROUP, WIRE_EGROUP, WIRE_VARINT } from './wire-reader';
import { WireWriter } from './wire-writer';

function decodeFailure(bytes: Uint8Array): StudioError {
  try {
    decodeOtlpProtobuf(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('otlp.decode');
    return error as StudioError;
  }
  throw new Error('expected the payload to be rejected');
}

/** request { resource_spans { scope_spans { spans { <body> } } } } */
function requestWithSpan(body: (w: WireWriter) => void): Uint8Array {
  const w = new WireWriter();
  w.tag(1, WIRE_LEN);
  w.begin();
  w.tag(2, WIRE_LEN);
  w.begin();
  w.tag(2, WIRE_LEN);
  w.begin();
  body(w);
  w.end();
  w.end();
  w.end();
  return w.finish();
}

function ids(w: WireWriter, trace = 0xab, span = 0xcd): void {
  w.tag(1, WIRE_LEN);
  w.bytes(new Uint8Array(16).fill(trace));
  w.tag(2, WIRE_LEN);
  w.bytes(new Uint8Array(8).fill(span));
}

describe('decodeOtlpProtobuf', () => {
  it('decodes an empty request to no spans', () => {
    const { wire, ...result } = decodeOtlpProtobuf(new Uint8Array(0));
    expect(result).toEqual({ spans: [], rejectedSpans: 0 });
    expect(wire!.ranges).toEqual(new Int32Array(0));
  });

  it('shares one frozen KeyValue between spans whose attribute bytes repeat', () => {
    const base = sampleSpans()[0]!;
    const shared = { key: 'http.request.method', value: { stringValue: 'GET' } };
    // The cache takes a KeyValue the second time it is seen; from the third on, spans share it.
    const spans = [1, 2, 3, 4].map((n) => ({ ...base, spanId: `00000000000000${n}0`, parentSpanId: undefined, attributes: [shared, { key: 'n', value: { intValue: String(n) } }] }));
    const decoded = decodeOtlpProtobuf(encodeOtlpProtobuf(spans)).spans;
    expect(decoded.map((s) => s.attributes)).toEqual(spans.map((s) => s.attributes));
    expect(decoded[2]!.attributes[0]).toBe(decoded[1]!.attributes[0]);
    expect(decoded[3]!.attributes[0]).toBe(decoded[1]!.attributes[0]);
    expect(Object.isFrozen(decoded[3]!.attributes[0])).toBe(true);
    expect(Object.isFrozen(decoded[3]!.attributes[0]!.value)).toBe(true);
    // Values seen once are not shared with anything.
    expect(new Set(decoded.map((s) => s.attributes[1])).size).toBe(4);
  });

  it('rejects stored span bytes with invalid ids when decoding one Span message', () => {
    const bytes = encodeOtlpProtobuf(sampleSpans().slice(0, 1));
    const { wire, spans } = decodeOtlpProtobuf(bytes);
    const message = bytes.slice(wire!.ranges[0], wire!.ranges[1]);
    message.fill(0, 2, 18); // the 16 trace id bytes after tag and length
    expect(() => decodeSpanMessage(message, spans[0]!.resource, spans[0]!.scope)).toThrow(/trace id/);
  });

  it('round-trips every part of the model through our encoder', () => {
    const spans = sampleSpans();
    const decoded = decodeOtlpProtobuf(encodeOtlpProtobuf(spans));
    expect(decoded.rejectedSpans).toBe(0);
    expect(decoded.spans).toEqual(spans);
    // one shared Resource object per ResourceSpans, one scope object per ScopeSpans
    expect(decoded.spans[0]!.resource).toBe(decoded.spans[1]!.resource);
    expect(decoded.spans[0]!.scope).not.toBe(decoded.spans[1]!.scope);
    expect(decoded.spans[0]!.serviceName).toBe('checkout');
  });

  it('reads a Node Buffer that is a slice of a larger pooled buffer', () => {
    const spans = sampleSpans();
    const bytes = encodeOtlpProtobuf(spans);
    const pool = Buffer.alloc(bytes.length + 100, 0xff);
    pool.set(bytes, 37);
    expect(decodeOtlpProtobuf(pool.subarray(37, 37 + bytes.length)).spans).toEqual(spans);
  });

  it('skips unknown fields of every wire type, groups included', () => {
    const bytes = requestWithSpan((w) => {
      w.tag(100, WIRE_VARINT);
      w.varint64(0xffffffff, 0xffffffff);
      ids(w);
      w.tag(101, WIRE_I64);
      w.fixed64(1, 2);
      w.tag(102, WIRE_LEN);
      w.string('ignored');
      w.tag(103, WIRE_I32);
      w.fixed32(7);
      w.tag(104, WIRE_SGROUP);
      w.tag(1, WIRE_VARINT);
      w.varint(5);
      w.tag(2, WIRE_SGROUP);
      w.tag(2, WIRE_EGROUP);
      w.tag(104, WIRE_EGROUP);
      w.tag(5, WIRE_LEN);
      w.string('op');
    });
    const { spans } = decodeOtlpProtobuf(bytes);
    expect(spans).toHaveLength(1);
    expect(spans[0]!.name).toBe('op');
    expect(spans[0]!.traceId).toBe('ab'.repeat(16));
    expect(spans[0]!.spanId).toBe('cd'.repeat(8));
  });

  it('fills defaults for missing optional fields and an absent resource and scope', () => {
    const { spans } = decodeOtlpProtobuf(requestWithSpan((w) => ids(w)));
    expect(spans[0]).toMatchObject({
      name: '',
      kind: 'unspecified',
      startTimeUnixNano: '0',
      endTimeUnixNano: '0',
      attributes: [],
      events: [],
      links: [],
      status: { code: 'unset' },
      resource: { attributes: [] },
      scope: { name: '' },
      serviceName: 'unknown_service',
    });
    expect(spans[0]!.parentSpanId).toBeUndefined();
  });

  it('decodes a present but empty resource and scope', () => {
    const w = new WireWriter();
    w.tag(1, WIRE_LEN);
    w.begin();
    w.tag(1, WIRE_LEN); // resource {}
    w.begin();
    w.end();
    w.tag(2, WIRE_LEN);
    w.begin();
    w.tag(1, WIRE_LEN); // scope {}
    w.begin();
    w.end();
    w.tag(2, WIRE_LEN);
    w.begin();
    ids(w);
    w.end();
    w.end();
    w.end();
    const { spans } = decodeOtlpProtobuf(w.finish());
    expect(spans).toHaveLength(1);
    expect(spans[0]!.resource).toEqual({ attributes: [] });
    expect(spans[0]!.scope).toEqual({ name: '' });
  });

  it('keeps timestamps exact up to 2^64-1', () => {
    const { spans } = decodeOtlpProtobuf(
      requestWithSpan((w) => {
        ids(w);
        w.tag(7, WIRE_I64);
        w.fixed64(0xffffffff, 0xffffffff);
        w.tag(8, WIRE_I64);
        w.fixed64(0x00000001, 0x00200000);
      }),
    );
    expect(spans[0]!.startTimeUnixNano).toBe('18446744073709551615');
    expect(spans[0]!.endTimeUnixNano).toBe(String((1n << 53n) + 1n));
  });

  it('rejects spans with invalid ids and keeps the rest (partial success)', () => {
    const w = new WireWriter();
    w.tag(1, WIRE_LEN);
    w.begin();
    w.tag(2, WIRE_LEN);
    w.begin();
    const span = (body: () => void) => {
      w.tag(2, WIRE_LEN);
      w.begin();
      body();
      w.end();
    };
    span(() => {
      ids(w, 0, 1);
      w.tag(5, WIRE_LEN);
      w.string('zero-trace');
    });
    span(() => {
      w.tag(1, WIRE_LEN);
      w.bytes(new Uint8Array(16).fill(1));
      w.tag(2, WIRE_LEN);
      w.bytes(new Uint8Array(4).fill(1));
      w.tag(5, WIRE_LEN);
      w.string('short-span');
    });
    span(() => ids(w));
    w.end();
    w.end();
    const result = decodeOtlpProtobuf(w.finish());
    expect(result.spans).toHaveLength(1);
    expect(result.rejectedSpans).toBe(2);
    expect(result.errorMessage).toBe(
      "2 spans rejected: span 'zero-trace' has an all-zero trace id; span 'short-span' has a 4-byte span id (expected 8)",
    );
  });

  it('treats an all-zero parent span id as a root span', () => {
    const { spans } = decodeOtlpProtobuf(
      requestWithSpan((w) => {
        ids(w);
        w.tag(4, WIRE_LEN);
        w.bytes(new Uint8Array(8));
      }),
    );
    expect(spans[0]!.parentSpanId).toBeUndefined();
  });

  it('reports a truncated varint with its byte offset', () => {
    const error = decodeFailure(Uint8Array.of(0x0a, 0x80));
    expect(error.message).toContain('truncated varint at byte offset 1');
    expect(error.problem.details).toEqual({ offset: 1 });
  });

  it('reports a length that runs past the end', () => {
    expect(decodeFailure(Uint8Array.of(0x0a, 0x05, 0x12)).message).toContain('length 5 runs past the end of its message (1 bytes left) at byte offset 1');
  });

  it('reports a length that runs past its enclosing message, not only the buffer', () => {
    // resource_spans of length 2 holding scope_spans claiming 3 bytes, followed by padding
    expect(decodeFailure(Uint8Array.of(0x0a, 0x02, 0x12, 0x03, 0, 0, 0)).message).toContain('runs past the end');
  });

  it('reports a known field with the wrong wire type', () => {
    const error = decodeFailure(requestWithSpan((w) => {
      w.tag(5, WIRE_VARINT);
      w.varint(1);
    }));
    expect(error.message).toContain('field Span.name (5) has wire type varint, expected length-delimited');
  });

  it('reports invalid wire types, field 0 and unbalanced groups', () => {
    expect(decodeFailure(Uint8Array.of(0x0e)).message).toContain('wire type invalid (6)');
    expect(decodeFailure(Uint8Array.of(0x16)).message).toContain('invalid wire type 6 for field 2');
    expect(decodeFailure(Uint8Array.of(0x02, 0x00)).message).toContain('field number 0');
    expect(decodeFailure(Uint8Array.of(0x1c)).message).toContain('end-group for field 3 without a start-group');
    expect(decodeFailure(Uint8Array.of(0x1b, 0x08, 0x01)).message).toContain('unterminated group');
  });

  it('refuses attribute values nested deeper than 64 levels instead of overflowing the stack', () => {
    const deep = (levels: number) =>
      requestWithSpan((w) => {
        ids(w);
        w.tag(9, WIRE_LEN);
        w.begin();
        w.tag(1, WIRE_LEN);
        w.string('k');
        w.tag(2, WIRE_LEN);
        for (let i = 0; i < levels; i++) {
          w.begin();
          w.tag(5, WIRE_LEN);
          w.begin();
          w.tag(1, WIRE_LEN);
        }
        w.begin();
        w.tag(1, WIRE_LEN);
        w.string('leaf');
        w.end();
        for (let i = 0; i < levels; i++) {
          w.end();
          w.end();
        }
        w.end();
      });
    expect(decodeOtlpProtobuf(deep(20)).spans).toHaveLength(1);
    expect(decodeFailure(deep(10_000)).message).toContain('nested deeper than 64 levels');
  });
});

describe('encodeExportTraceServiceResponse', () => {
  it('is an empty message when nothing was rejected', () => {
    expect(encodeExportTraceServiceResponse()).toEqual(new Uint8Array(0));
    expect(encodeExportTraceServiceResponse({ rejectedSpans: 0 })).toEqual(new Uint8Array(0));
  });

  it('carries rejected_spans and error_message in partial_success', () => {
    const bytes = encodeExportTraceServiceResponse({ rejectedSpans: 2, errorMessage: 'ab' });
    expect(Array.from(bytes)).toEqual([0x0a, 0x06, 0x08, 0x02, 0x12, 0x02, 0x61, 0x62]);
  });
});

describe('decodeOtlpProtobuf: strings', () => {
  it('keeps a leading U+FEFF (not a byte-order mark inside a protobuf string)', () => {
    const span = buildSpan({
      traceId: '0'.repeat(31) + '1',
      spanId: 'b7ad6b7169203331',
      name: '\uFEFFname',
      startTimeUnixNano: '0',
      endTimeUnixNano: '0',
      events: [{ name: '\uFEFF', timeUnixNano: '0', attributes: [] }],
      resource: { attributes: [] },
      scope: { name: '' },
    });
    const [decoded] = decodeOtlpProtobuf(encodeOtlpProtobuf([span])).spans;
    expect(decoded!.name).toBe('\uFEFFname');
    expect(decoded!.events[0]!.name).toBe('\uFEFF');
  });
});
