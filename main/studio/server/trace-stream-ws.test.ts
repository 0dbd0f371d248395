// getTrace as bytes over a real WebSocket: the page's transport asks for a stream, the studio
// sends binary frames then its answer; a frame the page cannot read fails the stream clearly.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { decodeTraceFrame, spansOfTraceFrame } from '../../../shared/ipc/trace-frame';
import { createWebSocketTransport, streamOver, type WebSocketTransport } from '../../../renderer/api/ws-transport';
import { hexId, makeSpan, resourceFor } from '../../store/test-spans';
import { StudioBackend } from '../backend';
import { FIRST_RUN } from '../trace-stream';
import { startStudioServer, type StudioServer } from './studio-server';

let dir: string;
let backend: StudioBackend;
let server: StudioServer;
let transport: WebSocketTransport | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clnrm-studio-tsw-'));
  mkdirSync(join(dir, 'ui'));
  writeFileSync(join(dir, 'ui/index.html'), '<!doctype html>');
  backend = await StudioBackend.open({ inMemory: true, httpPort: false, grpcPort: false, cwd: dir, env: {} });
  server = await startStudioServer({ handlers: backend.handlers, hub: backend.hub, traceStream: backend.traceStream, rendererDir: join(dir, 'ui') });
});
afterEach(async () => {
  transport?.close();
  await server.close();
  await backend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function sessionKey(): Promise<string> {
  const code = new URL(server.newUrl()).searchParams.get('code')!;
  const response = await fetch(`${server.origin}/session`, { method: 'POST', headers: { origin: server.origin, 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  return ((await response.json()) as { session: string }).session;
}

describe('trace stream over the WebSocket', () => {
  it('delivers every span of the trace as binary frames, in start order, then a checked answer', async () => {
    const api = resourceFor('api');
    const spans = Array.from({ length: 9000 }, (_, i) => makeSpan({ trace: 3, span: i + 1, ...(i ? { parent: 1 } : {}), resource: api, startMs: 1_700_000_000_000 + i }));
    backend.store.ingest(spans);
    transport = createWebSocketTransport(`ws://127.0.0.1:${server.port}/ws`, sessionKey, (url, protocols) => new WebSocket(url, protocols, { headers: { origin: server.origin } }) as never);
    const frames: Uint8Array[] = [];
    const done = await streamOver(transport)({ traceId: hexId(3, 32) }, (f) => frames.push(f));
    // Runs double from FIRST_RUN: as many frames as it takes to reach 9000 spans.
    let expected = 0;
    for (let run = FIRST_RUN, sent = 0; sent < 9000; run *= 2, expected++) sent += run;
    expect(done).toEqual({ traceId: hexId(3, 32), spans: 9000, frames: expected });
    expect(frames.length).toBe(expected);
    const got = frames.flatMap((f) => spansOfTraceFrame(decodeTraceFrame(f)));
    expect(got.map((s) => s.spanId)).toEqual(spans.map((s) => s.spanId));
    await expect(streamOver(transport)({ traceId: hexId(4, 32) }, () => undefined)).rejects.toMatchObject({ code: 'trace.not-found' });
    await expect(streamOver(transport)({ traceId: 'nope' }, () => undefined)).rejects.toMatchObject({ code: 'ipc.invalid' });
  });
});

describe('a malformed frame', () => {
  it('fails the open stream with ipc.frame instead of crashing the page', async () => {
    let socket: { onopen: ((e: unknown) => void) | null; onmessage: ((e: { data: unknown }) => void) | null; sent: string[] } | undefined;
    transport = createWebSocketTransport('ws://x', async () => 'key', () => {
      const fake = { readyState: 1, binaryType: '', sent: [] as string[], send: (d: string) => fake.sent.push(d), close: () => undefined, onopen: null, onclose: null, onerror: null, onmessage: null };
      socket = fake;
      return fake;
    });
    const pending = streamOver(transport)({ traceId: hexId(1, 32) }, () => undefined);
    await vi.waitFor(() => expect(socket).toBeDefined());
    socket!.onopen!({});
    await vi.waitFor(() => expect(socket!.sent).toHaveLength(1));
    expect(JSON.parse(socket!.sent[0]!)).toMatchObject({ stream: 'trace', request: { traceId: hexId(1, 32) } });
    socket!.onmessage!({ data: new Uint8Array([1, 2, 3]).buffer });
    await expect(pending).rejects.toMatchObject({ code: 'ipc.frame', message: expect.stringContaining('shorter than the 24-byte frame head') });
  });
});
