// The receiver's security and durability contract (security suite): a Host header that is not ours
// is refused (DNS rebinding); requests are admitted by size before they are decoded, so a burst of
// large requests is refused with 429 instead of being decoded into memory at once; and with a
// commit (durable acknowledgement) no request is answered before a commit covering its spans —
// one commit answers many concurrent requests — and a failed commit is a 503, never a 200.
import { connect } from 'node:net';
import { credentials, Client, Metadata, status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { refuseHost } from './host-check';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeOtlpProtobuf } from '../../shared/otlp';
import { makeTraces, resourceFor } from '../store/test-spans';
import { createReceiver, TRACE_SERVICE, type Receiver, type ReceiverOptions } from './index';
import { post } from './test-client';

const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.dispose({ drainTimeoutMs: 2000 });
});

async function start(options: Partial<ReceiverOptions>): Promise<Receiver> {
  const receiver = await createReceiver({ sink: () => undefined, httpPort: 0, grpcPort: 0, ...options });
  receivers.push(receiver);
  return receiver;
}

const PB = { 'content-type': 'application/x-protobuf' };
const body = encodeOtlpProtobuf(makeTraces(2, 3, resourceFor('api')));

/** A raw request with exactly this Host header (node:http would fill in its own). */
function statusWithHost(port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString()));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1] ?? 0)));
    socket.on('error', reject);
    const head = `POST /v1/traces HTTP/1.1\r\n${host === undefined ? '' : `Host: ${host}\r\n`}Content-Type: application/x-protobuf\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    socket.end(Buffer.concat([Buffer.from(head), body]));
  });
}

function grpcExport(port: number, payload: Uint8Array): Promise<ServiceError | null> {
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(`/${TRACE_SERVICE}/Export`, (b: Uint8Array) => Buffer.from(b), (b: Buffer) => b, payload, new Metadata(), (error) => {
      client.close();
      resolve(error);
    });
  });
}

/** A commit the test opens by hand; counts how often the receiver asked for one. */
function gatedCommit() {
  const gate = { commits: 0, open: () => undefined as void, waiting: [] as Array<() => void> };
  const commit = () => {
    gate.commits++;
    return new Promise<void>((resolve) => gate.waiting.push(resolve));
  };
  gate.open = () => {
    for (const go of gate.waiting.splice(0)) go();
  };
  return { gate, commit };
}

describe('receiver Host check (DNS rebinding)', () => {
  it('answers loopback names, IP addresses, host.docker.internal and its bound address; refuses other names', async () => {
    const receiver = await start({});
    const port = receiver.http!.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `host.docker.internal:${port}`, `172.17.0.1:${port}`, 'LOCALHOST']) {
      expect(await statusWithHost(port, host), host).toBe(200);
    }
    for (const host of [`attacker.example:${port}`, `127.0.0.1.attacker.example:${port}`, `localhost.attacker.example`]) {
      expect(await statusWithHost(port, host), host).toBe(403);
    }
    // No Host at all: Node's HTTP/1.1 server refuses it before we see it.
    expect(await statusWithHost(port, undefined)).toBe(400);
    const named = await start({ host: 'localhost' });
    expect(await statusWithHost(named.http!.port, `localhost:${named.http!.port}`)).toBe(200);
  });

  it('bound to every interface (exposed on purpose, e.g. clnrm collect in a container), answers the name it is reached by', () => {
    // Decided from the bound address alone (a test server never binds beyond loopback).
    for (const bound of ['0.0.0.0', '::']) expect(refuseHost('jaeger:4318', bound)).toBeUndefined();
    expect(refuseHost('jaeger:4318', '127.0.0.1')).toMatch(/is not this receiver/);
  });
});

describe('receiver admission before decoding', () => {
  it('refuses requests over the byte budget with 429 undecoded, and bounds what is held', async () => {
    const { gate, commit } = gatedCommit();
    const receiver = await start({ commit, maxQueuedBytes: 4 * body.length });
    const port = receiver.http!.port;
    // Garbage that would be a 400 if it were decoded: refused as 429 shows it never was.
    const garbage = Buffer.alloc(body.length, 0xff);
    const held = Array.from({ length: 4 }, () => post(port, '/v1/traces', body, PB));
    await expect.poll(() => receiver.admittedBytes).toBe(4 * body.length);
    const refused = await Promise.all(Array.from({ length: 12 }, (_, i) => post(port, '/v1/traces', i % 2 ? garbage : body, PB)));
    expect(refused.map((r) => r.status)).toEqual(Array(12).fill(429));
    expect(refused[0]!.headers['retry-after']).toBe('1');
    expect(receiver.stats.decodeErrors).toBe(0);
    expect(receiver.admittedBytes).toBe(4 * body.length);
    expect((await grpcExport(receiver.grpc!.port, body))?.code).toBe(grpcStatus.UNAVAILABLE);
    await expect.poll(() => gate.waiting.length).toBeGreaterThan(0);
    gate.open();
    await expect.poll(() => (gate.open(), receiver.admittedBytes)).toBe(0);
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it('still admits one request larger than the whole budget when nothing else is waiting', async () => {
    const receiver = await start({ maxQueuedBytes: 10 });
    expect((await post(receiver.http!.port, '/v1/traces', body, PB)).status).toBe(200);
  });
});

describe('durable acknowledgement', () => {
  it('answers no request before a commit covering it, and one commit answers many (group commit)', async () => {
    const { gate, commit } = gatedCommit();
    const receiver = await start({ commit });
    const port = receiver.http!.port;
    let answered = 0;
    const first = post(port, '/v1/traces', body, PB).then((r) => (answered++, r));
    await expect.poll(() => gate.waiting.length).toBe(1);
    // These arrive while the first commit is under way: they share the next one.
    const more = Array.from({ length: 8 }, () => post(port, '/v1/traces', body, PB).then((r) => (answered++, r)));
    const viaGrpc = grpcExport(receiver.grpc!.port, body).then((e) => (answered++, e));
    await expect.poll(() => receiver.queued).toBe(9 * 6 + 6);
    expect(answered).toBe(0);
    gate.open();
    expect((await first).status).toBe(200);
    await expect.poll(() => gate.waiting.length).toBe(1);
    expect(answered).toBe(1);
    gate.open();
    expect((await Promise.all(more)).map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(await viaGrpc).toBeNull();
    expect(gate.commits).toBe(2);
    expect(receiver.stats.spansAccepted).toBe(10 * 6);
  });

  it('answers 503 (HTTP) and UNAVAILABLE (gRPC), never success, when the commit fails', async () => {
    const errors: unknown[] = [];
    const receiver = await start({ commit: () => Promise.reject(new Error('disk full')), onError: (e) => errors.push(e) });
    const http = post(receiver.http!.port, '/v1/traces', body, PB);
    const grpc = grpcExport(receiver.grpc!.port, body);
    const refused = await http;
    expect(refused.status).toBe(503);
    expect(refused.body.toString()).toMatch(/could not be stored \(disk full\)/);
    expect((await grpc)?.code).toBe(grpcStatus.UNAVAILABLE);
    expect(receiver.stats.spansAccepted).toBe(0);
    expect(errors.length).toBeGreaterThan(0);
  });
});
