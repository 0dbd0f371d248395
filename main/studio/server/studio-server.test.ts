import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { formatTraceFile } from '../../../shared/otlp';
import { makeTraces, resourceFor } from '../../store/test-spans';
import { StudioBackend } from '../backend';
import { startStudioServer, type StudioServer } from './studio-server';

let dir: string;
let backend: StudioBackend;
let server: StudioServer;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clnrm-studio-srv-'));
  const ui = join(dir, 'ui');
  mkdirSync(join(ui, 'assets'), { recursive: true });
  writeFileSync(join(ui, 'index.html'), '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body></body></html>');
  writeFileSync(join(ui, 'assets/app.js'), 'console.log("app")');
  writeFileSync(join(ui, 'assets/style.css'), 'body{}');
  writeFileSync(join(dir, 'secret.txt'), 'top secret');
  symlinkSync(join(dir, 'secret.txt'), join(ui, 'assets/link.txt'));
  writeFileSync(join(dir, 'client.js'), 'window.api = {}');
  backend = await StudioBackend.open({ inMemory: true, httpPort: false, grpcPort: false, cwd: dir, env: {} });
  server = await startStudioServer({ handlers: backend.handlers, hub: backend.hub, rendererDir: ui, clientScript: join(dir, 'client.js') });
});
afterEach(async () => {
  await server.close();
  await backend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request with full control of the headers (fetch would not let us set Host). */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const get = (path: string, headers: Record<string, string> = {}) => send('GET', path, headers);

/** The page's exchange: POST /session with the link's code, from our own origin unless told otherwise. */
function exchange(code: string, headers: Record<string, string> = {}): Promise<Answer> {
  return send('POST', '/session', { origin: `http://127.0.0.1:${server.port}`, 'content-type': 'application/json', ...headers }, JSON.stringify({ code }));
}

async function newSession(): Promise<string> {
  const code = new URL(server.newUrl()).searchParams.get('code')!;
  const answer = await exchange(code);
  expect(answer.status).toBe(200);
  return (JSON.parse(answer.body) as { session: string }).session;
}

function openSocket(protocols: string[], headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, protocols, { headers: { origin: `http://127.0.0.1:${server.port}`, ...headers } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}
const sessionProtocols = (session: string) => ['clnrm.studio', `clnrm.session.${session}`];

/** Sends one call and waits for the reply with the same id (bounded by the test timeout). */
function invoke(ws: WebSocket, id: number, call: string, req: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const m = JSON.parse(data.toString()) as { id?: number; reply?: never };
      if (m.id === id) {
        ws.off('message', onMessage);
        resolve(m.reply!);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, call, request: req }));
  });
}

function nextEvent(ws: WebSocket, event: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const m = JSON.parse(data.toString()) as { event?: string; payload?: Record<string, unknown> };
      if (m.event === event) {
        ws.off('message', onMessage);
        resolve(m.payload!);
      }
    };
    ws.on('message', onMessage);
  });
}

describe('browser-mode server: HTTP', () => {
  it('hands out loopback links, each with its own 32-byte base64url code', () => {
    const [one, two] = [server.newUrl(), server.newUrl()];
    expect(one).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?code=[A-Za-z0-9_-]{43}$`));
    expect(two).not.toBe(one);
  });

  it('serves the page with a strict CSP and the client script, and never sets a cookie', async () => {
    const page = await get(`/${new URL(server.newUrl()).search}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.body.indexOf('/__studio/browser-api.js')).toBeLessThan(page.body.indexOf('./assets/app.js'));
    const js = await get('/assets/app.js');
    expect(js).toMatchObject({ status: 200, body: 'console.log("app")' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/__studio/browser-api.js')).body).toBe('window.api = {}');
    expect((await get('/nothing-here.js')).status).toBe(404);
  });

  it('exchanges a code once, for a session key, and only for our own page', async () => {
    const code = new URL(server.newUrl()).searchParams.get('code')!;
    // Another site's page (or a request with no Origin at all) cannot spend it.
    expect((await exchange(code, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await send('POST', '/session', { 'content-type': 'application/json' }, JSON.stringify({ code }))).status).toBe(403);
    expect((await exchange(code, { host: `evil.example:${server.port}` })).status).toBe(403);
    const first = await exchange(code);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body).session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.headers['set-cookie']).toBeUndefined();
    const again = await exchange(code);
    expect(again.status).toBe(403);
    expect(JSON.parse(again.body).error).toMatch(/already used.*press Enter/);
    expect((await exchange('wrong')).status).toBe(403);
    expect((await send('POST', '/session', { origin: `http://127.0.0.1:${server.port}` }, 'not json')).status).toBe(400);
    expect((await send('POST', '/session', { origin: `http://127.0.0.1:${server.port}` }, 'x'.repeat(5000))).status).toBe(400);
    expect((await get('/session', { origin: `http://127.0.0.1:${server.port}` })).status).toBe(405);
  });

  it('refuses other Host and Origin headers (DNS rebinding, cross-site)', async () => {
    expect((await get('/', { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get('/', { host: `127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await get('/', { host: `localhost:${server.port}` })).status).toBe(200);
    expect((await get('/', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get('/', { origin: `http://localhost:${server.port}` })).status).toBe(403);
    expect((await get('/', { origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });

  it('never serves files outside the UI folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%5c..%5csecret.txt', '/assets/link.txt', '/%00', '/%E0%A4%A']) {
      const r = await get(path);
      expect([400, 403, 404], path).toContain(r.status);
      expect(r.body, path).not.toContain('top secret');
    }
  });
});

describe('browser-mode server: WebSocket', () => {
  it('refuses upgrades without a session key, with an unknown one, from another Host or Origin', async () => {
    const session = await newSession();
    await expect(openSocket([])).rejects.toThrow('HTTP 401');
    await expect(openSocket(['clnrm.studio'])).rejects.toThrow('HTTP 401');
    await expect(openSocket(sessionProtocols('wrong'))).rejects.toThrow('HTTP 403');
    // A launch code is not a session key.
    await expect(openSocket(sessionProtocols(new URL(server.newUrl()).searchParams.get('code')!))).rejects.toThrow('HTTP 403');
    await expect(openSocket(sessionProtocols(session), { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(openSocket(sessionProtocols(session), { host: 'attacker.example' })).rejects.toThrow('HTTP 403');
    const ws = await openSocket(sessionProtocols(session));
    expect(ws.protocol).toBe('clnrm.studio');
    ws.close();
  });

  it('runs contract calls round trip, and only contract calls', async () => {
    const ws = await openSocket(sessionProtocols(await newSession()));
    try {
      const text = formatTraceFile(makeTraces(2, 3, resourceFor('api')), 'otlp-json');
      const added = nextEvent(ws, 'spansAdded');
      const imported = await invoke(ws, 1, 'importFiles', { files: [{ name: 'a.json', text }] });
      expect(imported).toMatchObject({ ok: true, value: { imported: [{ spanCount: 6 }], problems: [] } });
      expect(await added).toMatchObject({ spanCount: 6, traces: [{ spanCount: 3 }, { spanCount: 3 }] });
      const list = await invoke(ws, 2, 'listTraces', { sort: 'oldest' });
      expect(list).toMatchObject({ ok: true, value: { total: 2 } });

      expect(await invoke(ws, 3, 'constructor', {})).toMatchObject({ ok: false, error: { code: 'ipc.invalid' } });
      expect(await invoke(ws, 4, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'ipc.invalid' } });
      expect(await invoke(ws, 5, 'getTrace', { traceId: 'zz' })).toMatchObject({ ok: false, error: { code: 'ipc.invalid' } });
      const garbage = new Promise<unknown>((resolve) => ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString()))));
      ws.send('not json');
      expect(await garbage).toMatchObject({ id: null, reply: { ok: false, error: { code: 'ipc.invalid' } } });
    } finally {
      ws.close();
    }
  });
});
