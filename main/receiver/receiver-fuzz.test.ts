// Fuzzing the running HTTP receiver with mutated valid payloads and random bytes/JSON for both
// content types: it must never crash or answer 5xx, every refusal is a 4xx with a reason, and it
// keeps serving valid requests afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOtlpProtobuf, encodeOtlpJson, encodeOtlpProtobuf } from '../../shared/otlp';
import { makeSpan, makeTraces, resourceFor } from '../store/test-spans';
import { createReceiver, type Receiver } from './index';
import { post, type HttpReply } from './test-client';

let receiver: Receiver;
let accepted = 0;
beforeAll(async () => {
  receiver = await createReceiver({ sink: (s) => void (accepted += s.length), httpPort: 0, grpcPort: false, maxBodyBytes: 256 * 1024 });
});
afterAll(async () => {
  await receiver.dispose();
});

const spans = [...makeTraces(2, 3, resourceFor('fuzz', { 'clnrm.run_id': 'f' })), makeSpan({ trace: 9, span: 9, resource: resourceFor('x'), attrs: { a: 1, b: 'two', c: 0.5, d: true } })];
const validProto = encodeOtlpProtobuf(spans);
const validJson = JSON.stringify(encodeOtlpJson(spans));

function checkReply(reply: HttpReply, format: 'protobuf' | 'json'): void {
  expect([200, 400, 413]).toContain(reply.status);
  if (reply.status !== 200) {
    const text = reply.body.toString('utf8');
    // A google.rpc.Status with a human reason in both encodings.
    if (format === 'json') expect((JSON.parse(text) as { message: string }).message.length).toBeGreaterThan(10);
    else expect(text).toMatch(/[A-Za-z]{5,}/);
  }
}

/** Byte-level mutations of a valid payload: flips, truncation, splices, duplication. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(input: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = Buffer.from(input);
  for (const m of mutations) {
    if (bytes.length === 0) break;
    const at = m.at % bytes.length;
    if (m.kind === 'flip') bytes[at] = bytes[at]! ^ m.xor;
    else if (m.kind === 'truncate') bytes = bytes.subarray(0, at);
    else if (m.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    else bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + m.length), bytes.subarray(at)]);
  }
  return bytes;
}

describe('receiver fuzz', () => {
  it('survives mutated protobuf payloads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        const body = mutate(validProto, mutations);
        checkReply(await post(receiver.http!.port, '/v1/traces', body, { 'content-type': 'application/x-protobuf' }), 'protobuf');
      }),
      { numRuns: 300, seed: 4318 },
    );
  });

  it('survives random bytes as protobuf', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (body) => {
        checkReply(await post(receiver.http!.port, '/v1/traces', body, { 'content-type': 'application/x-protobuf' }), 'protobuf');
      }),
      { numRuns: 200, seed: 17 },
    );
  });

  it('survives mutated and random JSON payloads', async () => {
    const text = Buffer.from(validJson);
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        checkReply(await post(receiver.http!.port, '/v1/traces', mutate(text, mutations), { 'content-type': 'application/json' }), 'json');
      }),
      { numRuns: 300, seed: 99 },
    );
    await fc.assert(
      fc.asyncProperty(fc.json({ maxDepth: 4 }), async (json) => {
        checkReply(await post(receiver.http!.port, '/v1/traces', json, { 'content-type': 'application/json' }), 'json');
      }),
      { numRuns: 200, seed: 7 },
    );
    // Structure-aware: valid envelope with random values in every span field.
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('traceId', 'spanId', 'name', 'kind', 'startTimeUnixNano', 'attributes', 'events', 'status', 'links'), fc.jsonValue({ maxDepth: 3 })), async (fields) => {
        const payload = { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans: [fields] }] }] };
        checkReply(await post(receiver.http!.port, '/v1/traces', JSON.stringify(payload), { 'content-type': 'application/json' }), 'json');
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('keeps serving valid requests exactly afterwards', async () => {
    await receiver.drained();
    const before = accepted;
    const r = await post(receiver.http!.port, '/v1/traces', validProto, { 'content-type': 'application/x-protobuf' });
    expect(r.status).toBe(200);
    await receiver.drained();
    expect(accepted - before).toBe(decodeOtlpProtobuf(validProto).spans.length);
    expect(receiver.stats.httpErrors).toBe(0);
    // The fuzzing really hit the error paths (not only payloads that still decode).
    expect(receiver.stats.decodeErrors).toBeGreaterThan(300);
  });
});
