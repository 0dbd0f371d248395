// Browser mode's doors, tried from outside against a real `clnrm studio`: a printed link's code
// works once and only from our own origin; the WebSocket needs the session key it was exchanged for
// (none → 401, unknown → 403); a wrong Host header (DNS rebinding) and a foreign Origin are refused
// even with the right key; no cookie is ever set; a foreign web page in the same browser cannot
// connect; and the page's `window.api` is exactly the IPC contract
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
  // Another site on this machine that knows (or guessed) a session key.
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

/** The page's exchange of a link's code for a session key, with the given Origin. */
async function exchange(link: string, origin = studio.origin): Promise<{ status: number; session?: string }> {
  const code = new URL(link).searchParams.get('code');
  const response = await fetch(`${studio.origin}/session`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  const body = (await response.json()) as { session?: string };
  return { status: response.status, ...(body.session ? { session: body.session } : {}) };
}

/** Opens the WebSocket from Node with the given session key and Origin: 'open' or the refusal's HTTP status. */
function connect(session: string | undefined, origin: string | undefined): Promise<'open' | number> {
  return new Promise((done, fail) => {
    const ws = new WebSocket(`ws://127.0.0.1:${studio.port}/ws`, session === undefined ? [] : ['clnrm.studio', `clnrm.session.${session}`], {
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

test('the page is served only for our Host, and never sets a cookie', async () => {
  const page = await get(`/${new URL(await studio.newLink()).search}`);
  expect(page.status).toBe(200);
  expect(page.setCookie).toEqual([]);
  expect(page.csp).toContain("script-src 'self'");
  // DNS rebinding: a name that resolves to 127.0.0.1 but is not ours.
  const rebound = await get('/', { host: `attacker.example:${studio.port}` });
  expect(rebound.status).toBe(403);
  expect(rebound.body).not.toContain('<script');
  expect((await get('/', { host: `127.0.0.1:${studio.port + 1}` })).status).toBe(403);
});

test('a link works once, from our own origin only', async () => {
  const link = await studio.newLink();
  expect((await exchange(link, 'http://attacker.example')).status).toBe(403);
  expect((await exchange(link, `http://127.0.0.1:${studio.port + 1}`)).status).toBe(403);
  const first = await exchange(link);
  expect(first.status).toBe(200);
  expect(first.session).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect((await exchange(link)).status).toBe(403);
});

test('the WebSocket needs a session key and our Origin', async () => {
  const { session } = await exchange(await studio.newLink());
  const own = studio.origin;
  expect(await connect(session, own)).toBe('open');
  expect(await connect(undefined, own)).toBe(401);
  expect(await connect('wrong-session', own)).toBe(403);
  expect(await connect(session, 'http://attacker.example')).toBe(403);
  expect(await connect(session, `http://127.0.0.1:${studio.port + 1}`)).toBe(403);
  expect(await connect(session, 'null')).toBe(403);
});

test('a foreign page in the browser cannot reach the studio, even with a session key', async ({ page }) => {
  const { session } = await exchange(await studio.newLink());
  await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
  const outcome = await page.evaluate(
    ({ port, session }) =>
      new Promise<string>((done) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, ['clnrm.studio', `clnrm.session.${session}`]);
        ws.onopen = () => done('opened');
        ws.onerror = () => done('refused');
      }),
    { port: studio.port, session: session! },
  );
  expect(outcome).toBe('refused');
  // Spending a link from there is refused too (Origin check, no CORS grant).
  const link = await studio.newLink();
  const spent = await page.evaluate(
    ({ origin, code }) =>
      fetch(`${origin}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) }).then(
        () => 'answered',
        () => 'blocked',
      ),
    { origin: studio.origin, code: new URL(link).searchParams.get('code')! },
  );
  expect(spent).toBe('blocked');
  // It never reached the exchange: the link is still unspent for its owner.
  expect((await exchange(link)).status).toBe(200);
});

test('window.api is exactly the contract: one function per call, plus on() and streamTrace()', async ({ page }) => {
  const errors = await openStudio(page, studio);
  // The code left the address bar once the page had it.
  expect(new URL(page.url()).searchParams.has('code')).toBe(false);
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
  // streamTrace is the one call outside `calls`: a trace as binary frames (shared/ipc/trace-stream.ts), its request checked the same way.
  expect(exposed.names).toEqual([...CALL_NAMES, 'on', 'streamTrace'].sort());
  expect(exposed.allFunctions).toBe(true);
  expect(exposed.nodeGlobals).toEqual([]);
  // A call outside the contract cannot be smuggled through the socket either.
  const smuggled = await page.evaluate(
    ({ port }) =>
      new Promise<string>((done) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, ['clnrm.studio', `clnrm.session.${sessionStorage.getItem('clnrm.studio.session')}`]);
        ws.onmessage = (m) => {
          const data = String(m.data);
          if (data.includes('"id":1')) done(data);
        };
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, call: 'readFile', request: { path: '/etc/passwd' } }));
        ws.onerror = () => done('socket error');
      }),
    { port: studio.port },
  );
  expect(smuggled).not.toContain('root:');
  expect(JSON.parse(smuggled)).toMatchObject({ id: 1, reply: { ok: false, error: { code: 'ipc.invalid' } } });
  expect(errors).toEqual([]);
});
