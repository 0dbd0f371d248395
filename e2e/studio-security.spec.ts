// Browser mode's doors, tried from outside against a real `clnrm studio`: the page and the
// WebSocket need the printed token (none → 401, wrong → 403); a wrong Host header (DNS rebinding)
// and a foreign Origin on the WebSocket are refused even with the right token; a foreign web page
// in the same browser cannot connect; and the page's `window.api` is exactly the IPC contract
// (one function per call in shared/ipc/contract.ts plus `on`), nothing more.
import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { CALL_NAMES } from '../shared/ipc/contract';
import { openStudio } from './fixtures/page';
import { startStudio, type Studio } from './fixtures/studio';

let studio: Studio;
let foreign: Server;

test.beforeAll(async () => {
  studio = await startStudio();
  // Another site on this machine that knows (or guessed) the token.
  foreign = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title><body>foreign</body>'));
  await new Promise<void>((done) => foreign.listen(0, '127.0.0.1', () => done()));
});
test.afterAll(async () => {
  await new Promise<void>((done) => (foreign ? foreign.close(() => done()) : done()));
  await studio?.stop();
});

/** A plain GET with exactly these headers (node:http lets us set Host, which fetch would not). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; setCookie: string[]; csp: string }> {
  return new Promise((done, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port: studio.port, path, method: 'GET', headers: { host: `127.0.0.1:${studio.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => done({ status: res.statusCode ?? 0, body, setCookie: res.headers['set-cookie'] ?? [], csp: String(res.headers['content-security-policy'] ?? '') }));
    });
    req.on('error', fail);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.end();
  });
}

/** Opens the WebSocket from Node with the given token and Origin: 'open' or the refusal's HTTP status. */
function connect(token: string | undefined, origin: string | undefined): Promise<'open' | number> {
  return new Promise((done, fail) => {
    const ws = new WebSocket(`ws://127.0.0.1:${studio.port}/ws${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`, {
      ...(origin ? { origin } : {}),
      handshakeTimeout: 10_000,
    });
    ws.once('open', () => {
      ws.close();
      done('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      done(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('error', (e) => fail(e));
  });
}

test('the page needs the token and our Host', async () => {
  const noToken = await get('/');
  expect(noToken.status).toBe(401);
  expect(noToken.body).not.toContain('<div id="root">');
  const wrong = await get(`/?token=${'x'.repeat(studio.token.length)}`);
  expect(wrong.status).toBe(403);
  expect(wrong.body).not.toContain('<div id="root">');
  const assetWithoutToken = await get('/assets/');
  expect(assetWithoutToken.status).toBe(401);

  const right = await get(`/?token=${studio.token}`);
  expect(right.status).toBe(200);
  expect(right.body).toContain('<div id="root">');
  // Only our own scripts, no framing by another site.
  expect(right.csp).toContain("script-src 'self'");
  expect(right.csp).not.toContain("'unsafe-eval'");
  expect(right.csp).toContain("frame-ancestors 'none'");
  const cookie = right.setCookie.find((c) => c.startsWith(`clnrm_studio_${studio.port}=`));
  expect(cookie).toBeDefined();
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Strict/i);
  // The cookie alone lets the page reload without the token in the address.
  expect((await get('/', { cookie: cookie!.split(';')[0]! })).status).toBe(200);

  // DNS rebinding: a name that resolves to 127.0.0.1 but is not ours, with the right token.
  const rebound = await get(`/?token=${studio.token}`, { host: `attacker.example:${studio.port}` });
  expect(rebound.status).toBe(403);
  expect(rebound.body).toContain('Host');
  expect((await get(`/?token=${studio.token}`, { host: `127.0.0.1:${studio.port + 1}` })).status).toBe(403);
});

test('the WebSocket needs the token and our Origin', async () => {
  const own = `http://127.0.0.1:${studio.port}`;
  expect(await connect(studio.token, own)).toBe('open');
  expect(await connect(undefined, own)).toBe(401);
  expect(await connect('wrong-token', own)).toBe(403);
  expect(await connect(studio.token, 'http://attacker.example')).toBe(403);
  expect(await connect(studio.token, `http://127.0.0.1:${studio.port + 1}`)).toBe(403);
  expect(await connect(studio.token, 'null')).toBe(403);
});

test('a foreign page in the browser cannot reach the studio, even with the token', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
  const outcome = await page.evaluate(
    ({ port, token }) =>
      new Promise<string>((done) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`);
        ws.onopen = () => done('opened');
        ws.onerror = () => done('refused');
      }),
    { port: studio.port, token: studio.token },
  );
  expect(outcome).toBe('refused');
  // Reading the page cross-origin is refused too (no CORS grant), so the token cannot leak that way.
  const read = await page.evaluate(
    (url) =>
      fetch(url).then(
        () => 'read',
        () => 'blocked',
      ),
    studio.url,
  );
  expect(read).toBe('blocked');
});

test('window.api is exactly the contract: one function per call, plus on()', async ({ page }) => {
  const errors = await openStudio(page, studio);
  // The token left the address bar once the page had it.
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);
  const exposed = await page.evaluate(() => {
    const api = (window as unknown as { api: object }).api;
    const names = new Set<string>();
    for (let o: object | null = api; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
      for (const key of Object.getOwnPropertyNames(o)) if (key !== 'constructor') names.add(key);
    }
    const w = window as unknown as Record<string, unknown>;
    return {
      names: [...names].sort(),
      allFunctions: [...names].every((n) => typeof (api as Record<string, unknown>)[n] === 'function'),
      nodeGlobals: ['require', 'process', 'module', 'ipcRenderer', 'electron', 'Buffer'].filter((n) => n in w),
    };
  });
  expect(exposed.names).toEqual([...CALL_NAMES, 'on'].sort());
  expect(exposed.allFunctions).toBe(true);
  expect(exposed.nodeGlobals).toEqual([]);
  // A call outside the contract cannot be smuggled through the socket either.
  const smuggled = await page.evaluate(
    ({ port, token }) =>
      new Promise<string>((done) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`);
        ws.onmessage = (m) => {
          const data = String(m.data);
          if (data.includes('"id":1')) done(data);
        };
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, call: 'readFile', request: { path: '/etc/passwd' } }));
        ws.onerror = () => done('socket error');
      }),
    { port: studio.port, token: studio.token },
  );
  expect(smuggled).not.toContain('root:');
  expect(JSON.parse(smuggled)).toMatchObject({ id: 1, reply: { ok: false, error: { code: 'ipc.invalid' } } });
  expect(errors).toEqual([]);
});
