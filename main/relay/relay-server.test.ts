// The relay in-process: what it accepts (protobuf, JSON) comes out as relay records that decode back to
// the same spans; a slow reader fills its bounded queue and senders get 429; finish() writes what is
// left and an end marker with the accepted count; damaged records are refused by the reader's parser.
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Span } from '../../shared/model';
import { decodeOtlpProtobuf, encodeOtlpJson, encodeOtlpProtobuf } from '../../shared/otlp';
import { post } from '../receiver/test-client';
import { makeTraces, resourceFor } from '../store/test-spans';
import { endLine, parseRelayLine, spansLine, type RelayRecord } from './frames';
import { startRelay, type Relay } from './relay-server';

const relays: Relay[] = [];
afterEach(async () => {
  for (const r of relays.splice(0)) await r.finish().catch(() => undefined);
});

const spans = makeTraces(2, 3, resourceFor('api', { 'clnrm.execution_id': 'e1' }));
const PB = { 'content-type': 'application/x-protobuf' };
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function records(text: string): RelayRecord[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => parseRelayLine(l)!);
}

describe('OTLP relay', () => {
  it('writes each accepted request as a record, then the end marker with the accepted count', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const relay = await startRelay({ out, host: '127.0.0.1', port: 0 });
    relays.push(relay);
    expect((await post(relay.port, '/v1/traces', encodeOtlpProtobuf(spans), PB)).status).toBe(200);
    expect((await post(relay.port, '/v1/traces', JSON.stringify(encodeOtlpJson(spans)), { 'content-type': 'application/json' })).status).toBe(200);
    expect((await post(relay.port, '/v1/traces', 'not otlp', PB)).status).toBe(400);
    expect(await relay.finish()).toBe(spans.length * 2);
    const got = records(text);
    expect(got.map((r) => r.kind)).toEqual(['ready', 'spans', 'spans', 'end']);
    const relayed: Span[] = got.flatMap((r) => (r.kind === 'spans' ? decodeOtlpProtobuf(r.otlp).spans : []));
    expect(plain(relayed)).toEqual(plain([...spans, ...spans]));
    expect(got[3]).toEqual({ kind: 'end', accepted: spans.length * 2 });
  });

  it('refuses with 429 while its output does not take records (bounded buffer), and delivers all it accepted', async () => {
    const lines: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    // An output that takes the ready line, then holds the first record until released.
    const out = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        if (lines.length === 1) callback();
        else void gate.then(() => callback());
      },
    });
    const relay = await startRelay({ out, host: '127.0.0.1', port: 0, maxQueuedSpans: spans.length * 2 });
    relays.push(relay);
    const body = encodeOtlpProtobuf(spans);
    try {
      expect((await post(relay.port, '/v1/traces', body, PB)).status).toBe(200); // being written, not yet taken
      expect((await post(relay.port, '/v1/traces', body, PB)).status).toBe(200); // queued: the bound is reached
      const refused = await post(relay.port, '/v1/traces', body, PB);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('1');
    } finally {
      release();
    }
    expect(await relay.finish()).toBe(spans.length * 2);
    const got = records(lines.join(''));
    expect(got.filter((r) => r.kind === 'spans').reduce((n, r) => n + (r.kind === 'spans' ? r.count : 0), 0)).toBe(spans.length * 2);
    expect(got.at(-1)).toEqual({ kind: 'end', accepted: spans.length * 2 });
  });

  it('parses its own records back and refuses damaged ones', () => {
    const otlp = encodeOtlpProtobuf(spans);
    const line = spansLine(spans.length, otlp).trimEnd();
    expect(parseRelayLine(line)).toEqual({ kind: 'spans', count: spans.length, otlp });
    expect(parseRelayLine(endLine(7).trimEnd())).toEqual({ kind: 'end', accepted: 7 });
    expect(parseRelayLine('some log line')).toBeUndefined();
    expect(() => parseRelayLine('CLNRM-RELAY/1 spans x AAAA')).toThrow(/no count/);
    expect(() => parseRelayLine('CLNRM-RELAY/1 spans 3 not*base64')).toThrow(/damaged/);
  });
});
