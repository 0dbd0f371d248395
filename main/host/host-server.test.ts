// The store host's API against a real in-memory store: who may call (secret, Host, Origin, method,
// content type), what is checked (every request's schema, body size), and the CLI's client on top
// (answers checked, a studio gone or hung is `host.unreachable`, never a hang).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type TraceStore } from '../store';
import { makeSpan, resourceFor } from '../store/test-spans';
import { EventHub } from '../studio/events';
import { HostClient } from './host-client';
import { createHostHandlers } from './host-handlers';
import { sameSecret, startHostServer, type HostServer } from './host-server';
import type { RunRecord } from '../../shared/run/records';
import { encodeOtlpProtobuf } from '../../shared/otlp';

let store: TraceStore;
let hub: EventHub;
let server: HostServer;
let events: Array<{ event: string; payload: unknown }>;
const others: Server[] = [];

beforeEach(async () => {
  store = await openStore({ inMemory: true });
  hub = new EventHub();
  events = [];
  hub.connect({ send: (event, payload) => void events.push({ event, payload }) });
  server = await startHostServer(createHostHandlers(store, hub, '/data/folder'));
});

afterEach(async () => {
  await server.close();
  await store.dispose();
  for (const s of others.splice(0)) s.close();
});

interface Raw {
  status: number;
  body: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

function raw(path: string, body: string, headers: Record<string, string>, method = 'POST'): Promise<Raw> {
  return rawBytes(path, Buffer.from(body), headers, method);
}

function rawBytes(path: string, body: Buffer, headers: Record<string, string>, method = 'POST'): Promise<Raw> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Raw['body'] }));
    });
    req.on('error', reject);
    // A GET's body would be unframed (no length): the next request on the socket would be garbled.
    req.end(method === 'GET' ? undefined : body);
  });
}

const auth = () => ({ authorization: `Bearer ${server.secret}`, 'content-type': 'application/json' });
const client = () => new HostClient({ version: 1, pid: process.pid, url: server.url, secret: server.secret, dataDir: '/data/folder', startedAt: 0 }, '/data/folder/traces.duckdb');
const environment = { host: 'h', platform: 'linux 6', engine: 'unix:///var/run/docker.sock', clnrmVersion: '0.1.0', ci: false };
const run: RunRecord = { id: 'r1', origin: 'cli', startedAt: 1_700_000_000_000, environment, files: ['/t/a.clnrm.toml'], passed: 0, failed: 0, errors: 0, skipped: 0 };

describe('store host: who may call', () => {
  it('compares secrets in constant time, whatever their lengths', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('', 'abc')).toBe(false);
  });

  it('refuses a missing or wrong secret, a foreign Host, any Origin, other methods and content types', async () => {
    const cases: Array<[Record<string, string>, number, RegExp, string?]> = [
      [{ 'content-type': 'application/json' }, 401, /needs the secret/],
      [{ ...auth(), authorization: `Bearer ${'x'.repeat(43)}` }, 401, /wrong secret/],
      [{ ...auth(), authorization: server.secret }, 401, /needs the secret/],
      [{ ...auth(), host: 'evil.example:80' }, 403, /Host header "evil.example:80"/],
      [{ ...auth(), origin: server.url }, 403, /not web pages/],
      [{ ...auth(), 'content-type': 'text/plain' }, 415, /application\/json/],
      [auth(), 405, /GET is not allowed/, 'GET'],
    ];
    for (const [headers, status, message, method] of cases) {
      const answer = await raw('/v1/hello', method === 'GET' ? '' : '{}', headers, method);
      expect(answer.status, JSON.stringify(headers)).toBe(status);
      expect(answer.body.ok).toBe(false);
      expect(answer.body.error!.message).toMatch(message);
    }
    expect((await raw('/v1/hello', '{}', auth())).body).toMatchObject({ ok: true, value: { pid: process.pid, dataDir: '/data/folder', version: 1 } });
  });
});

describe('store host: every request is checked', () => {
  it('answers unknown calls, bad JSON and invalid requests with ipc.invalid saying what is wrong', async () => {
    expect(await raw('/v1/dropTables', '{}', auth())).toMatchObject({ status: 404, body: { error: { code: 'ipc.invalid', message: expect.stringContaining('unknown call') } } });
    expect(await raw('/v1/listTraces', '{not json', auth())).toMatchObject({ status: 400, body: { error: { code: 'ipc.invalid', message: expect.stringContaining('listTraces request is not JSON') } } });
    expect(await raw('/v1/getTrace', JSON.stringify({ traceId: 'xyz' }), auth())).toMatchObject({
      status: 400,
      body: { error: { code: 'ipc.invalid', message: expect.stringMatching(/getTrace request is invalid: traceId: expected 32 lowercase hex/) } },
    });
    expect(await raw('/v1/listTraces', JSON.stringify({ limit: 5, drop: true }), auth())).toMatchObject({ status: 400, body: { error: { code: 'ipc.invalid' } } });
    expect(await raw('/v1/importFile', JSON.stringify({ path: 'relative/file.json' }), auth())).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('absolute path') } } });
  });

  it('takes spans only as OTLP protobuf, every span of it valid', async () => {
    const protobuf = { ...auth(), 'content-type': 'application/x-protobuf' };
    expect(await raw('/v1/ingest', JSON.stringify({ spans: [] }), auth())).toMatchObject({ status: 415, body: { error: { code: 'ipc.invalid', message: 'ingest requests are application/x-protobuf' } } });
    expect(await raw('/v1/listTraces', '{}', protobuf)).toMatchObject({ status: 415 });
    const garbage = await rawBytes('/v1/ingest', Buffer.from([0x0a, 0xff, 0xff, 0xff]), protobuf);
    expect(garbage).toMatchObject({ status: 400, body: { error: { code: 'ipc.invalid', message: expect.stringContaining('not OTLP protobuf') } } });
    const span = makeSpan({ trace: 1, span: 1, resource: resourceFor('api') });
    const badId = encodeOtlpProtobuf([{ ...span, spanId: '0000000000000000' }]);
    expect(await rawBytes('/v1/ingest', Buffer.from(badId), protobuf)).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('1 invalid span(s)') } } });
    expect(await rawBytes('/v1/ingest', Buffer.from(encodeOtlpProtobuf([])), protobuf)).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('ingest request is invalid: spans') } } });
    expect(await store.listTraces()).toMatchObject({ total: 0 });
  });

  it('refuses a body over the bound without reading it all', async () => {
    const answer = await raw('/v1/ingest', '', { ...auth(), 'content-type': 'application/x-protobuf', 'content-length': String(65 * 1024 * 1024) });
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'ipc.invalid', message: expect.stringContaining('larger than') } } });
  });

  it('passes a handler’s own error on with its code', async () => {
    await expect(client().call('finishRun', { id: 'nope', patch: { verdict: 'passed' } })).rejects.toMatchObject({ code: 'store.not-found' });
  });
});

describe('store host: the CLI client', () => {
  it('stores spans and history in the studio’s store and announces runs', async () => {
    const spans = [1, 2, 3].map((n) => makeSpan({ trace: 7, span: n, resource: resourceFor('api') }));
    expect(await client().ingest(spans)).toEqual({ stored: 3 });
    expect((await store.getTrace(spans[0]!.traceId)).map((s) => s.spanId)).toEqual(spans.map((s) => s.spanId));
    await client().call('recordRun', run);
    await client().call('finishRun', { id: 'r1', patch: { verdict: 'passed', passed: 1, endedAt: run.startedAt + 10 } });
    expect((await store.listRuns())[0]!.run).toMatchObject({ id: 'r1', verdict: 'passed', passed: 1 });
    expect(events.filter((e) => e.event === 'runsChanged')).toEqual([
      { event: 'runsChanged', payload: { runId: 'r1' } },
      { event: 'runsChanged', payload: { runId: 'r1' } },
    ]);
    const listed = await client().call('listTraces', { limit: 5 });
    expect(listed).toMatchObject({ total: 1, traces: [{ spanCount: 3 }] });
  });

  it('checks answers: a value of the wrong shape is ipc.invalid', async () => {
    const fake = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, value: { traces: 'all of them' } }));
    });
    others.push(fake);
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const c = new HostClient({ version: 1, pid: 1, url: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`, secret: 'x'.repeat(43), dataDir: '/d', startedAt: 0 }, '');
    await expect(c.call('listTraces', {})).rejects.toMatchObject({ code: 'ipc.invalid', message: expect.stringContaining('answered listTraces with an invalid value: traces') });
  });

  it('says the studio stopped answering when it is gone, and when it hangs past the deadline', async () => {
    const c = client();
    await server.close();
    await expect(c.call('listTraces', {})).rejects.toMatchObject({ code: 'host.unreachable', message: expect.stringMatching(/the studio \(pid \d+, \/data\/folder\) stopped answering \(ECONNREFUSED\)/) });
    const hung = createServer(() => undefined);
    others.push(hung);
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const h = new HostClient({ ...c.host, url: `http://127.0.0.1:${(hung.address() as AddressInfo).port}` }, '');
    await expect(h.call('hello', {}, 200)).rejects.toMatchObject({ code: 'host.unreachable', message: expect.stringContaining('no answer within 0.2 s') });
    hung.closeAllConnections();
  });
});
