// A real WebSocket round trip through the page's own transport (renderer/api/ws-transport.ts) and
// the typed client, against the real server, handlers and store.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { StudioError } from '../../../shared/errors';
import { createStudioClient } from '../../../shared/ipc/validate';
import { formatTraceFile } from '../../../shared/otlp';
import type { EventPayload } from '../../../shared/ipc/contract';
import { createWebSocketTransport, type WebSocketTransport } from '../../../renderer/api/ws-transport';
import { makeTraces, resourceFor, hexId } from '../../store/test-spans';
import { StudioBackend } from '../backend';
import { startStudioServer, type StudioServer } from './studio-server';

let dir: string;
let backend: StudioBackend;
let server: StudioServer;
let transport: WebSocketTransport | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clnrm-studio-wsc-'));
  mkdirSync(join(dir, 'ui'));
  writeFileSync(join(dir, 'ui/index.html'), '<!doctype html>');
  backend = await StudioBackend.open({ inMemory: true, httpPort: false, grpcPort: false, cwd: dir, env: {} });
  server = await startStudioServer({ handlers: backend.handlers, hub: backend.hub, rendererDir: join(dir, 'ui') });
});
afterEach(async () => {
  transport?.close();
  await server.close();
  await backend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The page's exchange, as renderer/api/ws-transport.ts does it (Node's fetch sends no Origin: set ours). */
async function sessionKey(): Promise<string> {
  const code = new URL(server.newUrl()).searchParams.get('code')!;
  const response = await fetch(`${server.origin}/session`, { method: 'POST', headers: { origin: server.origin, 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  return ((await response.json()) as { session: string }).session;
}

function connect(session: () => Promise<string>): WebSocketTransport {
  transport = createWebSocketTransport(`ws://127.0.0.1:${server.port}/ws`, session, (url, protocols) => new WebSocket(url, protocols, { headers: { origin: server.origin } }) as never);
  return transport;
}

describe('browser transport round trip', () => {
  it('uploads a file\'s bytes as binary messages, cut inside characters, and imports them', async () => {
    const api = createStudioClient(connect(sessionKey));
    const spans = makeTraces(3, 5, resourceFor('größe-日本'));
    const bytes = new TextEncoder().encode(formatTraceFile(spans, 'otlp-json'));
    const { uploadId } = await api.importUploadStart({ name: 'bytes.json', size: bytes.length });
    let seq = 0;
    for (let at = 0; at < bytes.length; at += 1001) await api.importUploadChunk({ uploadId, seq: seq++, bytes: bytes.subarray(at, at + 1001) });
    const result = await api.importUploadFinish({ uploadId });
    expect(result.problems).toEqual([]);
    expect(result.imported[0]).toMatchObject({ file: 'bytes.json', spanCount: 15 });
    const { traces } = await api.listTraces({});
    expect(traces.map((t) => t.rootService)).toEqual(['größe-日本', 'größe-日本', 'größe-日本']);
  });

  it('calls the studio and receives live spansAdded events', async () => {
    const api = createStudioClient(connect(sessionKey));
    expect(await api.listTraces({})).toEqual({ traces: [], total: 0 });
    const events: Array<EventPayload<'spansAdded'>> = [];
    const got = new Promise<void>((resolve) =>
      api.on('spansAdded', (e) => {
        events.push(e);
        if (events.reduce((n, x) => n + x.spanCount, 0) >= 40) resolve();
      }),
    );
    // Spans arriving from the receiver side (store ingest) reach the page as events.
    backend.store.ingest(makeTraces(10, 4, resourceFor('checkout')));
    await got;
    expect(new Set(events.flatMap((e) => e.traces.map((t) => t.traceId))).size).toBe(10);
    const trace = await api.getTrace({ traceId: hexId(3, 32) });
    expect(trace.spans).toHaveLength(4);
    expect(trace.spans[0]!.serviceName).toBe('checkout');
    // Errors keep their code across the socket.
    const missing = await api.getTrace({ traceId: hexId(99, 32) }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(StudioError);
    expect((missing as StudioError).code).toBe('trace.not-found');
  });

  it('fails calls with ipc.unavailable when the socket is refused (unknown session)', async () => {
    const api = createStudioClient(connect(() => Promise.resolve('wrong-session')));
    const error = await api.listTraces({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('ipc.unavailable');
    expect((error as StudioError).message).toMatch(/Cannot connect to the studio/);
  });

  it('fails calls with the reason when the session cannot be had (a spent link)', async () => {
    const api = createStudioClient(connect(() => Promise.reject(new Error('The studio refused this link: this link was already used'))));
    const error = await api.listTraces({}).catch((e: unknown) => e);
    expect((error as StudioError).code).toBe('ipc.unavailable');
    expect((error as StudioError).message).toMatch(/already used/);
  });
});
