import { describe, expect, it } from 'vitest';
import { buildSpan, type Resource, type Span } from '../model';
import { encodeSpanMessages } from '../otlp';
import { decodeTraceFrame, encodeTraceFrame, spansOfTraceFrame, traceFrameStreamId, type TraceFrameInput } from './trace-frame';

const TRACE = 'ab'.repeat(16);
const api: Resource = { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] };
const db: Resource = { attributes: [{ key: 'service.name', value: { stringValue: 'db' } }] };
const scope = { name: 'test', version: '1' };

function span(i: number, resource: Resource, parent?: number): Span {
  const start = BigInt(1_700_000_000_000_000_000 + i * 1000);
  return buildSpan({
    traceId: TRACE,
    spanId: (i + 1).toString(16).padStart(16, '0'),
    parentSpanId: parent === undefined ? undefined : (parent + 1).toString(16).padStart(16, '0'),
    name: `op-${i}`,
    kind: 'server',
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + 5000n).toString(),
    attributes: [{ key: 'n', value: { intValue: String(i) } }],
    resource,
    scope,
  });
}

function input(spans: Span[], streamId = 7): TraceFrameInput {
  const wire = encodeSpanMessages(spans);
  const lengths = spans.map((_, i) => wire.ranges[2 * i + 1]! - wire.ranges[2 * i]!);
  // The encoder's buffer has field tags between messages: pack the messages back to back.
  const bodies = new Uint8Array(lengths.reduce((a, b) => a + b, 0));
  let at = 0;
  spans.forEach((_, i) => {
    bodies.set(wire.bytes.subarray(wire.ranges[2 * i]!, wire.ranges[2 * i + 1]!), at);
    at += lengths[i]!;
  });
  return {
    streamId,
    traceId: TRACE,
    first: 10,
    total: 100,
    origins: [
      { id: 1, resource: api, scope },
      { id: 4, resource: db, scope },
    ],
    originIds: spans.map((s) => (s.resource === api ? 1 : 4)),
    lengths,
    bodies,
  };
}

const spans = [span(0, api), span(1, db, 0), span(2, api, 0)];

describe('trace frames', () => {
  it('round-trips spans, origins and position', () => {
    const bytes = encodeTraceFrame(input(spans));
    expect(traceFrameStreamId(bytes)).toBe(7);
    const frame = decodeTraceFrame(bytes);
    expect(frame.header).toMatchObject({ traceId: TRACE, first: 10, total: 100 });
    const back = spansOfTraceFrame(frame);
    expect(back.map((s) => [s.spanId, s.parentSpanId, s.name, s.serviceName, s.startUs, s.durationUs])).toEqual(
      spans.map((s) => [s.spanId, s.parentSpanId, s.name, s.serviceName, s.startUs, s.durationUs]),
    );
    expect(back[0]!.attributes).toEqual(spans[0]!.attributes);
    // Spans of one origin share one resource object (the tree groups services by identity).
    expect(back[0]!.resource).toBe(back[2]!.resource);
  });

  it('decodes a frame inside a larger buffer (a WebSocket message view)', () => {
    const bytes = encodeTraceFrame(input(spans));
    const padded = new Uint8Array(bytes.length + 5);
    padded.set(bytes, 3);
    expect(spansOfTraceFrame(decodeTraceFrame(padded.subarray(3, 3 + bytes.length)))).toHaveLength(3);
  });

  it('carries an empty frame', () => {
    const frame = decodeTraceFrame(encodeTraceFrame({ ...input([]), origins: [] }));
    expect(spansOfTraceFrame(frame)).toEqual([]);
  });

  it('refuses truncated, padded and foreign frames with ipc.frame', () => {
    const bytes = encodeTraceFrame(input(spans));
    const cases: Array<[Uint8Array, RegExp]> = [
      [bytes.subarray(0, 10), /shorter than the 24-byte frame head/],
      [bytes.subarray(0, bytes.length - 1), /truncated or padded/],
      [new Uint8Array([...bytes, 0]), /truncated or padded/],
      [Uint8Array.from(bytes, (b, i) => (i === 0 ? 0x58 : b)), /does not start with "CLTF"/],
      [Uint8Array.from(bytes, (b, i) => (i === 4 ? 9 : b)), /version 9/],
    ];
    for (const [frame, message] of cases) {
      expect(() => decodeTraceFrame(frame)).toThrow(message);
      try {
        decodeTraceFrame(frame);
      } catch (error) {
        expect((error as { code?: string }).code).toBe('ipc.frame');
      }
    }
  });

  it('refuses a frame whose lengths or origins do not add up', () => {
    const good = input(spans);
    expect(() => decodeTraceFrame(encodeTraceFrame({ ...good, originIds: [1, 2, 1] }))).toThrow(/names origin 2/);
    const bytes = encodeTraceFrame(good);
    // Move one byte from span 0's length to span 1's: total unchanged, so framing passes; then swap sum.
    const view = new DataView(bytes.buffer);
    const headerBytes = view.getUint32(12, true);
    const lengthAt = 24 + headerBytes + 4 * 3;
    view.setUint32(lengthAt, view.getUint32(lengthAt, true) + 1, true);
    expect(() => decodeTraceFrame(bytes)).toThrow(/add up to/);
  });

  it('refuses a header that is not the expected JSON', () => {
    const bytes = encodeTraceFrame(input(spans));
    bytes[24] = 0x5b; // '{' → '['
    expect(() => decodeTraceFrame(bytes)).toThrow(/header is not JSON|header is invalid/);
    const other = encodeTraceFrame({ ...input(spans), traceId: 'xyz' });
    expect(() => decodeTraceFrame(other)).toThrow(/header is invalid at traceId/);
  });

  it('refuses spans of another trace', () => {
    const foreign = buildSpan({ ...spans[0]!, traceId: 'cd'.repeat(16), resource: api, scope });
    const frame = decodeTraceFrame(encodeTraceFrame(input([foreign])));
    expect(() => spansOfTraceFrame(frame)).toThrow(/belongs to trace cdcd/);
  });
});
