import { gzipSync } from 'node:zlib';
import { connect, createServer, type Server } from 'node:net';
import { credentials, Client, Metadata, status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeOtlpJson, encodeOtlpProtobuf } from '../../shared/otlp';
import type { Span } from '../../shared/model';
import { makeTraces, resourceFor } from '../store/test-spans';
import { createReceiver, TRACE_SERVICE, type Receiver } from './index';
import { post } from './test-client';

const receivers: Receiver[] = [];
const blockers: Server[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.dispose({ drainTimeoutMs: 2000 });
  for (const b of blockers.splice(0)) await new Promise((res) => b.close(res));
});

async function start(options: Partial<Parameters<typeof createReceiver>[0]> = {}): Promise<{ receiver: Receiver; got: Span[] }> {
  const got: Span[] = [];
  const receiver = await createReceiver({ sink: (s) => void got.push(...s), httpPort: 0, grpcPort: 0, ...options });
  receivers.push(receiver);
  return { receiver, got };
}

function plain<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

const spans = makeTraces(3, 4, resourceFor('api', { 'clnrm.run_id': 'r1' }));
const PB = { 'content-type': 'application/x-protobuf' };
const JSON_CT = { 'content-type': 'application/json' };

describe('OTLP/HTTP receiver', () => {
  it('accepts protobuf, JSON and gzip and answers in the request content type', async () => {
    const { receiver, got } = await start();
    const port = receiver.http!.port;
    const pb = await post(port, '/v1/traces', encodeOtlpProtobuf(spans), PB);
    expect(pb.status).toBe(200);
    expect(pb.headers['content-type']).toBe('application/x-protobuf');
    expect(pb.body.length).toBe(0); // an empty ExportTraceServiceResponse
    const js = await post(port, '/v1/traces', JSON.stringify(encodeOtlpJson(spans)), { 'content-type': 'application/json; charset=utf-8' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('application/json');
    expect(JSON.parse(js.body.toString())).toEqual({});
    const gz = await post(port, '/v1/traces', gzipSync(encodeOtlpProtobuf(spans)), { ...PB, 'content-encoding': 'gzip' });
    expect(gz.status).toBe(200);
    await receiver.drained();
    expect(got).toHaveLength(spans.length * 3);
    expect(plain(got.slice(0, spans.length))).toEqual(plain(spans));
    expect(plain(got.slice(spans.length, 2 * spans.length))).toEqual(plain(spans));
    expect(receiver.stats.spansAccepted).toBe(spans.length * 3);
  });

  it('reports partial success with rejected spans', async () => {
    const { receiver, got } = await start();
    const payload = encodeOtlpJson(spans) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string }> }> }> };
    payload.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.traceId = '00000000000000000000000000000000';
    const r = await post(receiver.http!.port, '/v1/traces', JSON.stringify(payload), JSON_CT);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body.toString()) as { partialSuccess: { rejectedSpans: string | number; errorMessage: string } };
    expect(Number(body.partialSuccess.rejectedSpans)).toBe(1);
    expect(body.partialSuccess.errorMessage).toMatch(/trace id/);
    await receiver.drained();
    expect(got).toHaveLength(spans.length - 1);
  });

  it('answers errors with the right status and a google.rpc.Status reason', async () => {
    const { receiver } = await start({ maxBodyBytes: 64 * 1024 });
    const port = receiver.http!.port;
    const bad = await post(port, '/v1/traces', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), PB);
    expect(bad.status).toBe(400);
    expect(bad.body.toString('latin1')).toMatch(/Undecodable OTLP protobuf/);
    const badJson = await post(port, '/v1/traces', '{"resourceSpans": [', JSON_CT);
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body.toString())).toMatchObject({ code: 3, message: expect.stringMatching(/Undecodable OTLP json/) });
    expect((await post(port, '/v1/nope', '{}', JSON_CT)).status).toBe(404);
    const get = await post(port, '/v1/traces', '', JSON_CT, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect((await post(port, '/v1/traces', 'x', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(port, '/v1/traces', 'x', { ...JSON_CT, 'content-encoding': 'br' })).status).toBe(415);
    expect((await post(port, '/v1/traces', Buffer.alloc(70 * 1024), PB)).status).toBe(413);
    // A gzip bomb: 1 MiB of zeros compresses to about 1 KiB; the inflated size trips the cap.
    const bomb = await post(port, '/v1/traces', gzipSync(Buffer.alloc(1024 * 1024)), { ...PB, 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    expect((await post(port, '/v1/traces', Buffer.from('not gzip'), { ...PB, 'content-encoding': 'gzip' })).status).toBe(400);
    // Still serving.
    expect((await post(port, '/v1/traces', encodeOtlpProtobuf(spans), PB)).status).toBe(200);
  });

  it('acknowledges and counts logs and metrics with an empty response', async () => {
    const { receiver } = await start();
    const logs = await post(receiver.http!.port, '/v1/logs', '{}', JSON_CT);
    expect(logs.status).toBe(200);
    expect(logs.body.toString()).toBe('{}');
    const metrics = await post(receiver.http!.port, '/v1/metrics', new Uint8Array(0), PB);
    expect(metrics.status).toBe(200);
    expect(metrics.body.length).toBe(0);
    expect(receiver.stats).toMatchObject({ logsRequests: 1, metricsRequests: 1 });
  });

  it('refuses with 429 and Retry-After while the ingest queue is full, then recovers', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const got: Span[] = [];
    const { receiver } = await start({
      maxQueuedSpans: spans.length * 2,
      sink: async (s) => {
        await gate;
        got.push(...s);
      },
    });
    const port = receiver.http!.port;
    const body = encodeOtlpProtobuf(spans);
    expect((await post(port, '/v1/traces', body, PB)).status).toBe(200); // taken by the (blocked) sink
    expect((await post(port, '/v1/traces', body, PB)).status).toBe(200); // waits in the queue
    const refused = await post(port, '/v1/traces', body, PB);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    release();
    await receiver.drained();
    expect(receiver.queued).toBe(0);
    expect(got).toHaveLength(spans.length * 2);
    expect((await post(port, '/v1/traces', body, PB)).status).toBe(200);
    expect(receiver.stats.throttled).toBe(1);
  });

  it('answers 503 with Retry-After while the sink fails, and recovers when it works again', async () => {
    let broken = true;
    const got: Span[] = [];
    const errors: unknown[] = [];
    const { receiver } = await start({
      sink: (s) => {
        if (broken) throw new Error('store closed');
        got.push(...s);
      },
      onError: (e) => errors.push(e),
    });
    const port = receiver.http!.port;
    const body = encodeOtlpProtobuf(spans);
    expect((await post(port, '/v1/traces', body, PB)).status).toBe(200); // accepted, then the sink fails
    await receiver.drained();
    expect(errors).toHaveLength(1);
    const refused = await post(port, '/v1/traces', body, PB);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    broken = false;
    // After the Retry-After window a request is let through again, and success clears the state.
    const deadline = Date.now() + 5000;
    let status = 503;
    while (status === 503 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await post(port, '/v1/traces', body, PB)).status;
    }
    expect(status).toBe(200);
    await receiver.drained();
    expect(got).toHaveLength(spans.length);
    expect((await post(port, '/v1/traces', body, PB)).status).toBe(200);
  });

  it('drops a body that arrives too slowly instead of hanging', async () => {
    const { receiver } = await start({ bodyTimeoutMs: 300 });
    const socket = connect(receiver.http!.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nContent-Length: 1000\r\n\r\nabc');
    const started = Date.now();
    await closed; // bounded by the test timeout; the receiver must close it after ~300 ms
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect((await post(receiver.http!.port, '/v1/traces', encodeOtlpProtobuf(spans), PB)).status).toBe(200);
  });

  it('names the taken port and a free one', async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port: 0 }, () => r()));
    const taken = (blocker.address() as { port: number }).port;
    await expect(createReceiver({ sink: () => undefined, httpPort: taken, grpcPort: 0 })).rejects.toMatchObject({
      code: 'port.in-use',
      message: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${taken}.*--http-port \\(\\d+ is free\\)`)),
    });
    await expect(createReceiver({ sink: () => undefined, httpPort: 0, grpcPort: taken })).rejects.toMatchObject({
      code: 'port.in-use',
      message: expect.stringMatching(/--grpc-port/),
    });
  });
});

describe('OTLP/gRPC receiver', () => {
  function grpcExport(port: number, payload: Uint8Array, gzip = false): Promise<{ error: ServiceError | null; response?: Buffer }> {
    const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure(), gzip ? { 'grpc.default_compression_algorithm': 2 } : {});
    return new Promise((resolve) => {
      client.makeUnaryRequest(
        `/${TRACE_SERVICE}/Export`,
        (b: Uint8Array) => Buffer.from(b),
        (b: Buffer) => b,
        payload,
        new Metadata(),
        (error, response) => {
          client.close();
          resolve({ error, ...(response ? { response } : {}) });
        },
      );
    });
  }

  it('accepts Export (plain and gzip), rejects garbage with INVALID_ARGUMENT and oversize with RESOURCE_EXHAUSTED', async () => {
    const { receiver, got } = await start({ maxBodyBytes: 64 * 1024 });
    const port = receiver.grpc!.port;
    const ok = await grpcExport(port, encodeOtlpProtobuf(spans));
    expect(ok.error).toBeNull();
    expect(ok.response!.length).toBe(0);
    expect((await grpcExport(port, encodeOtlpProtobuf(spans), true)).error).toBeNull();
    const bad = await grpcExport(port, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    expect(bad.error?.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(bad.error?.details).toMatch(/^Undecodable OTLP protobuf payload: (?!.*Undecodable)/);
    const big = await grpcExport(port, Buffer.alloc(70 * 1024));
    expect(big.error?.code).toBe(grpcStatus.RESOURCE_EXHAUSTED);
    await receiver.drained();
    expect(plain(got)).toEqual(plain([...spans, ...spans]));
  });

  it('returns partial success in the response and UNAVAILABLE while saturated', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { receiver } = await start({ maxQueuedSpans: spans.length * 2, sink: () => gate });
    const port = receiver.grpc!.port;
    // One span with an all-zero span id: rejected, the rest kept, reason in partial_success.
    const bad = spans.map((s, i) => (i === 0 ? { ...s, spanId: '0000000000000000' } : s));
    const partial = await grpcExport(port, encodeOtlpProtobuf(bad));
    expect(partial.error).toBeNull();
    const reply = partial.response!;
    // ExportTracePartialSuccess (field 1) { rejected_spans (1) = 1, error_message (2) }
    expect(reply[0]).toBe(0x0a);
    expect(reply.includes(Buffer.from([0x08, 0x01]))).toBe(true);
    expect(reply.toString('utf8')).toMatch(/span id/);
    expect((await grpcExport(port, encodeOtlpProtobuf(spans))).error).toBeNull(); // fills the queue
    const busy = await grpcExport(port, encodeOtlpProtobuf(spans));
    expect(busy.error?.code).toBe(grpcStatus.UNAVAILABLE);
    release();
    await receiver.drained();
    expect((await grpcExport(port, encodeOtlpProtobuf(spans))).error).toBeNull();
    expect(receiver.stats).toMatchObject({ throttled: 1, spansRejected: 1 });
  });
});
