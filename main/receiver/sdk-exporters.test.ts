// The real OpenTelemetry JS SDK exporters (OTLP/HTTP JSON, OTLP/HTTP protobuf, OTLP/gRPC) send to
// our receiver; every span must arrive exactly as the SDK's in-memory exporter saw it.
import { SpanKind, SpanStatusCode, context, trace, type Attributes, type HrTime } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromPlain, type Span } from '../../shared/model';
import { createReceiver, type Receiver } from './index';

const KINDS = ['internal', 'server', 'client', 'producer', 'consumer'];
const STATUS = ['unset', 'ok', 'error'];

function nanos(t: HrTime): string {
  return (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();
}

function attrs(a: Attributes | undefined): unknown[] {
  return Object.entries(a ?? {}).map(([key, value]) => ({ key, value: fromPlain(value) }));
}

/** What our receiver must produce for one SDK span (the fields the SDK controls). */
function expected(rs: ReadableSpan): unknown {
  const ctx = rs.spanContext();
  return JSON.parse(
    JSON.stringify({
      traceId: ctx.traceId,
      spanId: ctx.spanId,
      parentSpanId: rs.parentSpanContext?.spanId,
      traceState: ctx.traceState?.serialize() || undefined,
      name: rs.name,
      kind: KINDS[rs.kind],
      startTimeUnixNano: nanos(rs.startTime),
      endTimeUnixNano: nanos(rs.endTime),
      attributes: attrs(rs.attributes),
      events: rs.events.map((e) => ({ name: e.name, timeUnixNano: nanos(e.time), attributes: attrs(e.attributes) })),
      links: rs.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, attributes: attrs(l.attributes) })),
      status: { code: STATUS[rs.status.code], ...(rs.status.message ? { message: rs.status.message } : {}) },
      resource: attrs(rs.resource.attributes),
      scope: { name: rs.instrumentationScope.name, version: rs.instrumentationScope.version },
    }),
  );
}

function actual(s: Span): unknown {
  return JSON.parse(
    JSON.stringify({
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      traceState: s.traceState,
      name: s.name,
      kind: s.kind,
      startTimeUnixNano: s.startTimeUnixNano,
      endTimeUnixNano: s.endTimeUnixNano,
      attributes: s.attributes,
      events: s.events.map((e) => ({ name: e.name, timeUnixNano: e.timeUnixNano, attributes: e.attributes })),
      links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: l.attributes })),
      status: { code: s.status.code, ...(s.status.message ? { message: s.status.message } : {}) },
      resource: s.resource.attributes,
      scope: { name: s.scope.name, version: s.scope.version },
    }),
  );
}

let readable: ReadableSpan[] = [];
let receiver: Receiver;
const received: Span[] = [];

beforeAll(async () => {
  receiver = await createReceiver({ sink: (spans) => void received.push(...spans), httpPort: 0, grpcPort: 0 });
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'clnrm.run_id': 'run-42', 'host.cpus': 8, 'deployment.canary': false, 'region.weights': [0.25, 0.75] }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('cleanroom-test', '1.2.3');
  const root = tracer.startSpan('GET /checkout', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.method': 'GET',
      'http.status_code': 200,
      'http.ok': true,
      'latency.ratio': 0.125,
      'big.int': 9007199254740991,
      'negative.int': -42,
      'tags': ['a', 'b', ''],
      'codes': [1, 2, 3],
      'ratios': [0.5, 1.5],
      'flags': [true, false],
      'unicode': 'żółć ✓ 🚀',
      'empty': '',
    },
  });
  const rootCtx = trace.setSpan(context.active(), root);
  const child = tracer.startSpan('SELECT orders', { kind: SpanKind.CLIENT, links: [{ context: root.spanContext(), attributes: { 'link.reason': 'retry', 'link.n': 2 } }] }, rootCtx);
  child.addEvent('query.start', { 'db.rows': 12, 'db.cached': false });
  child.addEvent('bare-event');
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock detected' });
  child.end();
  const producer = tracer.startSpan('enqueue', { kind: SpanKind.PRODUCER }, rootCtx);
  producer.setStatus({ code: SpanStatusCode.OK });
  producer.end();
  tracer.startSpan('consume', { kind: SpanKind.CONSUMER }, rootCtx).end();
  tracer.startSpan('work', { kind: SpanKind.INTERNAL }, rootCtx).end();
  root.end();
  readable = memory.getFinishedSpans();
  // The SDK's span API accepts only primitives and arrays, but its OTLP transformer also encodes
  // bytes (Uint8Array) and maps (kvlist): hand the exporters a span carrying those too.
  const base = readable[0]!;
  const exotic: ReadableSpan = {
    name: 'exotic-values',
    kind: SpanKind.INTERNAL,
    spanContext: () => ({ ...base.spanContext(), spanId: '00f067aa0ba902b7' }),
    parentSpanContext: root.spanContext(),
    startTime: [1_700_000_000, 123_456_789],
    endTime: [1_700_000_001, 987_654_321],
    status: { code: SpanStatusCode.UNSET },
    attributes: {
      payload: new Uint8Array([0, 1, 2, 250, 255]),
      nested: { a: 'x', b: 2, c: { deep: true }, d: [1, 'two'] },
    } as unknown as Attributes,
    links: [],
    events: [],
    duration: [1, 864_197_532],
    ended: true,
    resource: base.resource,
    instrumentationScope: base.instrumentationScope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  readable = [...readable, exotic];
  await provider.shutdown();
});

afterAll(async () => {
  await receiver.dispose();
});

function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

describe.each([
  ['OTLP/HTTP JSON', () => new JsonExporter({ url: `http://127.0.0.1:${receiver.http!.port}/v1/traces` })],
  ['OTLP/HTTP protobuf', () => new ProtoExporter({ url: `http://127.0.0.1:${receiver.http!.port}/v1/traces` })],
  ['OTLP/HTTP protobuf + gzip', () => new ProtoExporter({ url: `http://127.0.0.1:${receiver.http!.port}/v1/traces`, compression: 'gzip' as never })],
  ['OTLP/gRPC', () => new GrpcExporter({ url: `http://127.0.0.1:${receiver.grpc!.port}` })],
  ['OTLP/gRPC + gzip', () => new GrpcExporter({ url: `http://127.0.0.1:${receiver.grpc!.port}`, compression: 'gzip' as never })],
])('%s exporter', (_name, makeExporter) => {
  it('delivers every span exactly as the SDK recorded it', async () => {
    received.length = 0;
    const exporter = makeExporter();
    const result = await exportWith(exporter, readable);
    await exporter.shutdown();
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    await receiver.drained();
    expect(received).toHaveLength(readable.length);
    const bySpanId = new Map(received.map((s) => [s.spanId, s]));
    for (const rs of readable) {
      const got = bySpanId.get(rs.spanContext().spanId);
      expect(got, rs.name).toBeDefined();
      expect(actual(got!)).toEqual(expected(rs));
    }
    // Side by side, the types that matter most, spelled out.
    const root = bySpanId.get(readable.find((r) => r.name === 'GET /checkout')!.spanContext().spanId)!;
    expect(root.attributes.find((a) => a.key === 'big.int')!.value).toEqual({ intValue: '9007199254740991' });
    expect(root.attributes.find((a) => a.key === 'latency.ratio')!.value).toEqual({ doubleValue: 0.125 });
    expect(root.serviceName).toBe('checkout');
    const exotic = bySpanId.get('00f067aa0ba902b7')!;
    expect(exotic.attributes[0]!.value).toEqual({ bytesValue: 'AAEC+v8=' });
    expect(exotic.startTimeUnixNano).toBe('1700000000123456789');
  });
});
