// Payloads produced by the official OpenTelemetry JS serializers (@opentelemetry/otlp-transformer,
// installed with the OTLP exporters) must decode with our codecs, protobuf and JSON alike.
import { SpanKind, SpanStatusCode, type Link } from '@opentelemetry/api';
import { ProtobufTraceSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { decodeOtlpJson, decodeOtlpProtobuf, encodeExportTraceServiceResponse } from './index';
import { deserializeExportTraceServiceResponse } from '@opentelemetry/otlp-transformer/build/src/trace/protobuf/response-deserializer';

function recordSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop', 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('shop-tracer', '2.0.0');
  const parent = tracer.startSpan('checkout', { kind: SpanKind.SERVER, startTime: [1700000000, 123456789] });
  const link: Link = { context: parent.spanContext(), attributes: { why: 'batch' } };
  const child = tracer.startSpan('charge', {
    kind: SpanKind.CLIENT,
    startTime: [1700000000, 200000000],
    links: [link],
    attributes: { 'http.status_code': 502, ratio: 0.25, ok: false, tags: ['a', 'b'], big: 9007199254740991 },
  }, undefined);
  child.addEvent('retry', { attempt: 2 }, [1700000000, 250000000]);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'gateway' });
  child.end([1700000000, 300000001]);
  parent.setStatus({ code: SpanStatusCode.OK });
  parent.end([1700000001, 0]);
  return exporter.getFinishedSpans();
}

describe('official OpenTelemetry JS serializer payloads', () => {
  const spans = recordSpans();

  it('decode with our protobuf decoder', () => {
    const result = decodeOtlpProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!);
    expect(result.rejectedSpans).toBe(0);
    const charge = result.spans.find((s) => s.name === 'charge')!;
    const checkout = result.spans.find((s) => s.name === 'checkout')!;
    expect(checkout.kind).toBe('server');
    expect(checkout.status).toEqual({ code: 'ok' });
    expect(checkout.startTimeUnixNano).toBe('1700000000123456789');
    expect(checkout.endTimeUnixNano).toBe('1700000001000000000');
    expect(checkout.traceId).toBe(spans.find((s) => s.name === 'checkout')!.spanContext().traceId);
    expect(charge.serviceName).toBe('shop');
    expect(charge.scope).toMatchObject({ name: 'shop-tracer', version: '2.0.0' });
    expect(charge.kind).toBe('client');
    expect(charge.status).toEqual({ code: 'error', message: 'gateway' });
    expect(charge.endTimeUnixNano).toBe('1700000000300000001');
    expect(charge.attributes).toEqual([
      { key: 'http.status_code', value: { intValue: '502' } },
      { key: 'ratio', value: { doubleValue: 0.25 } },
      { key: 'ok', value: { boolValue: false } },
      { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } } },
      { key: 'big', value: { intValue: '9007199254740991' } },
    ]);
    expect(charge.events).toEqual([{ name: 'retry', timeUnixNano: '1700000000250000000', attributes: [{ key: 'attempt', value: { intValue: '2' } }] }]);
    expect(charge.links).toHaveLength(1);
    expect(charge.links[0]).toMatchObject({ traceId: checkout.traceId, spanId: checkout.spanId, attributes: [{ key: 'why', value: { stringValue: 'batch' } }] });
  });

  it('decode with our JSON decoder to the same spans as the protobuf form', () => {
    const text = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!);
    const fromJson = decodeOtlpJson(text);
    const fromProto = decodeOtlpProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!);
    expect(fromJson.rejectedSpans).toBe(0);
    expect(fromJson.spans).toEqual(fromProto.spans);
  });

  it('read our export responses back with the official response deserializer', () => {
    expect(deserializeExportTraceServiceResponse(encodeExportTraceServiceResponse())).toEqual({});
    const partial = deserializeExportTraceServiceResponse(encodeExportTraceServiceResponse({ rejectedSpans: 3, errorMessage: 'bad ids' }));
    expect(partial.partialSuccess?.errorMessage).toBe('bad ids');
    expect(Number(partial.partialSuccess?.rejectedSpans)).toBe(3);
  });
});
