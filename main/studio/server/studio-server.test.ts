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

/** A raw HTTP GET with full control of the headers (fetch would not let us set Host). */
function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET', headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers: { origin: `http://127.0.0.1:${server.port}`, ...headers } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

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
  it('prints a loopback URL with a 32-byte base64url token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{43}$`));
  });

  it('serves the page with the token, a strict CSP, the client script and a cookie for its assets', async () => {
    const page = await get(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body.indexOf('/__studio/browser-api.js')).toBeLessThan(page.body.indexOf('./assets/app.js'));
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toBe(`clnrm_studio_${server.port}=${server.token}`);
    const js = await get('/assets/app.js', { cookie });
    expect(js).toMatchObject({ status: 200, body: 'console.log("app")' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/style.css', { cookie })).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/__studio/browser-api.js', { cookie })).body).toBe('window.api = {}');
    expect((await get('/nothing-here.js', { cookie })).status).toBe(404);
  });

  it('answers 401 without a token and 403 with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/assets/app.js')).status).toBe(401);
    expect((await get('/?token=')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(403);
    expect((await get(`/?token=${server.token.slice(0, -1)}A`)).status).toBe(403);
    expect((await get('/', { cookie: `clnrm_studio_${server.port}=nope` })).status).toBe(403);
    expect((await get('/', { cookie: `clnrm_studio_1=${server.token}` })).status).toBe(401);
  });

  it('refuses other Host and Origin headers even with the right token (DNS rebinding, cross-site)', async () => {
    const t = `/?token=${server.token}`;
    expect((await get(t, { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get(t, { host: `127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await get(t, { host: `localhost:${server.port}` })).status).toBe(200);
    expect((await get(t, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(t, { origin: `http://localhost:${server.port}` })).status).toBe(403);
    expect((await get(t, { origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });

  it('never serves files outside the UI folder', async () => {
    const t = `token=${server.token}`;
    for (const path of [`/../secret.txt?${t}`, `/%2e%2e/secret.txt?${t}`, `/assets/%2e%2e/%2e%2e/secret.txt?${t}`, `/..%2fsecret.txt?${t}`, `/assets/..%5c..%5csecret.txt?${t}`, `/assets/link.txt?${t}`, `/%00?${t}`, `/%E0%A4%A?${t}`]) {
      const r = await get(path);
      expect([400, 403, 404], path).toContain(r.status);
      expect(r.body, path).not.toContain('top secret');
    }
  });
});

describe('browser-mode server: WebSocket', () => {
  it('refuses upgrades without the token, with a wrong one, from another Host or Origin', async () => {
    await expect(openSocket('')).rejects.toThrow('HTTP 401');
    await expect(openSocket('?token=wrong')).rejects.toThrow('HTTP 403');
    await expect(openSocket(`?token=${server.token}`, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(openSocket(`?token=${server.token}`, { host: 'attacker.example' })).rejects.toThrow('HTTP 403');
    // The cookie alone does not open the socket: the page must send the token explicitly.
    await expect(openSocket('', { cookie: `clnrm_studio_${server.port}=${server.token}` })).rejects.toThrow('HTTP 401');
  });

  it('runs contract calls round trip, and only contract calls', async () => {
    const ws = await openSocket(`?token=${server.token}`);
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
