// Browser mode in a real browser (Debian's Chromium through playwright-core): the launch-code flow,
// the Content-Security-Policy, the WebSocket client, a foreign site's attempt to reach the studio,
// what another local server receives from the same browser (no cookie, no secret), and the link
// as another user reads it from the opener's command line (/proc/<pid>/cmdline): already spent.
// The page's client is bundled here from renderer/api/ws-transport.ts exactly as the build does.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTraceFile } from '../../../shared/otlp';
import { makeTraces, resourceFor } from '../../store/test-spans';
import { StudioBackend } from '../backend';
import { openBrowser } from '../open-browser';
import { startStudioServer, type StudioServer } from './studio-server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.mjs';

const CHROMIUM = CHROMIUM_PATH;
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true') throw new Error(`Chromium is required under CI=true but ${CHROMIUM} is missing`);
if (!haveChromium) console.warn(`SKIPPING browser-mode browser tests: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);

const PAGE_SCRIPT = `
const out = document.getElementById('out');
window.addEventListener('securitypolicyviolation', (e) => { document.body.dataset.blocked = (document.body.dataset.blocked || '') + e.violatedDirective + ' '; });
const s = document.createElement('script');
s.textContent = 'document.body.dataset.inline = "ran"';
document.head.appendChild(s);
if (!window.api) out.textContent = 'no api';
else window.api.listTraces({}).then((r) => { out.textContent = 'traces:' + r.total; }, (e) => { out.textContent = 'error:' + e.message; });
`;

let dir: string;
let backend: StudioBackend;
let server: StudioServer;
let browser: Browser;
let foreign: Server;
/** Every request the foreign server received: its headers and URL. */
const foreignSaw: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

/** Spends a launch code the way the page does; the answer's status and body. */
async function exchange(code: string): Promise<{ status: number; body: { session?: string; error?: string } }> {
  const response = await fetch(`${server.origin}/session`, { method: 'POST', headers: { origin: server.origin, 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  return { status: response.status, body: (await response.json()) as { session?: string; error?: string } };
}

const codeOf = (url: string) => new URL(url).searchParams.get('code')!;

async function connected(page: Page): Promise<void> {
  await expect.poll(() => page.textContent('#out'), { timeout: 10_000 }).toBe('traces:3');
}

describe.skipIf(!haveChromium)('browser mode in Chromium', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clnrm-studio-browser-'));
    mkdirSync(join(dir, 'ui/assets'), { recursive: true });
    writeFileSync(join(dir, 'ui/index.html'), '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="./assets/page.js"></script></head><body><p id="out">loading</p></body></html>');
    writeFileSync(join(dir, 'ui/assets/page.js'), PAGE_SCRIPT);
    await build({
      stdin: { contents: "import { installBrowserApi } from './renderer/api/ws-transport';\ninstallBrowserApi();\n", resolveDir: process.cwd(), loader: 'ts' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outfile: join(dir, 'client.js'),
      logLevel: 'error',
    });
    backend = await StudioBackend.open({ inMemory: true, httpPort: false, grpcPort: false, cwd: dir, env: {} });
    await backend.handlers.importFiles({ files: [{ name: 'a.json', text: formatTraceFile(makeTraces(3, 2, resourceFor('api')), 'otlp-json') }] });
    server = await startStudioServer({ handlers: backend.handlers, hub: backend.hub, rendererDir: join(dir, 'ui'), clientScript: join(dir, 'client.js') });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
    // Another server on the same machine (another user's dev server, a container's published port) that logs what it gets.
    foreign = createServer((req, res) => {
      foreignSaw.push({ url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><body>foreign</body>');
    });
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (foreign ? foreign.close(() => r()) : r()));
    await server?.close();
    await backend?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with a link, spends its code, hides it, survives a reload and enforces the CSP', async () => {
    const page = await browser.newPage();
    try {
      const link = server.newUrl();
      await page.goto(link);
      await connected(page);
      expect(page.url()).toBe(`http://127.0.0.1:${server.port}/`);
      // The code worked once: the page has it spent.
      expect(await exchange(codeOf(link))).toMatchObject({ status: 403, body: { error: expect.stringMatching(/already used/) } });
      // The inline script was refused by the policy; our own module scripts ran.
      expect(await page.evaluate(() => document.body.dataset.inline)).toBeUndefined();
      await expect.poll(() => page.evaluate(() => document.body.dataset.blocked ?? ''), { timeout: 5000 }).toContain('script-src');
      // A reload keeps this tab's session key (sessionStorage); no cookie exists to carry it.
      await page.reload();
      await connected(page);
      expect(await page.context().cookies()).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('connects nothing without a link, and says so when the link was already used', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${server.port}/`);
      await expect.poll(() => page.textContent('#out'), { timeout: 10_000 }).toBe('no api');
      const spent = server.newUrl();
      expect((await exchange(codeOf(spent))).status).toBe(200);
      await page.goto(spent);
      await expect.poll(() => page.textContent('#out'), { timeout: 10_000 }).toMatch(/^error:.*already used/);
    } finally {
      await page.close();
    }
  });

  it('sends no cookie and no secret to another server on 127.0.0.1 visited by the same browser', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const link = server.newUrl();
      await page.goto(link);
      await connected(page);
      const session = await page.evaluate(() => sessionStorage.getItem('clnrm.studio.session'));
      expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
      foreignSaw.length = 0;
      const other = await context.newPage();
      const foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`;
      await other.goto(foreignUrl);
      await other.evaluate((url) => fetch(url + 'again', { credentials: 'include' }).then((r) => r.text()), foreignUrl);
      expect(foreignSaw.map((r) => r.url)).toEqual(expect.arrayContaining(['/', '/again']));
      const seen = JSON.stringify(foreignSaw);
      expect(foreignSaw.every((r) => r.headers.cookie === undefined)).toBe(true);
      expect(seen).not.toContain(session!);
      expect(seen).not.toContain(codeOf(link));
    } finally {
      await context.close();
    }
  });

  it('refuses a foreign page even when it has a session key (Origin check)', async () => {
    const { body } = await exchange(codeOf(server.newUrl()));
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
      const outcome = await page.evaluate(
        ({ port, session }) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, ['clnrm.studio', `clnrm.session.${session}`]);
            ws.onopen = () => resolve('opened');
            ws.onerror = () => resolve('refused');
          }),
        { port: server.port, session: body.session! },
      );
      expect(outcome).toBe('refused');
    } finally {
      await page.close();
    }
  });

  it.skipIf(process.platform !== 'linux')('the link in the opener\'s command line is spent once the browser used it', async () => {
    // A stand-in for xdg-open that records its pid and stays alive, so its command line can be read
    // the way any user of the machine can read it.
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    const record = join(dir, 'opener.pid');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho $$ > "${record}.tmp" && mv "${record}.tmp" "${record}"\nsleep 60\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const link = server.newUrl();
    expect(await openBrowser(link, 'linux', { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` })).toBeUndefined();
    await expect.poll(() => existsSync(record), { timeout: 10_000 }).toBe(true);
    const pid = Number(readFileSync(record, 'utf8'));
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const seen = argv.find((a) => a.startsWith('http://'))!;
      expect(seen).toBe(link);
      // The browser opens it (as xdg-open would have made it do) ...
      const page = await browser.newPage();
      try {
        await page.goto(seen);
        await connected(page);
      } finally {
        await page.close();
      }
      // ... and whoever read it from the process list has nothing.
      expect(await exchange(codeOf(seen))).toMatchObject({ status: 403 });
    } finally {
      process.kill(-pid, 'SIGKILL');
    }
  });
});
