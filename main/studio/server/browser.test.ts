// Browser mode in a real browser (Debian's Chromium through playwright-core): the token flow, the
// Content-Security-Policy, the WebSocket client, and a foreign site's attempt to reach the studio.
// The page's client is bundled here from renderer/api/ws-transport.ts exactly as the build does.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTraceFile } from '../../../shared/otlp';
import { makeTraces, resourceFor } from '../../store/test-spans';
import { StudioBackend } from '../backend';
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
window.api.listTraces({}).then((r) => { out.textContent = 'traces:' + r.total; }, (e) => { out.textContent = 'error:' + e.message; });
`;

let dir: string;
let backend: StudioBackend;
let server: StudioServer;
let browser: Browser;
let foreign: Server;

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
    // Another site on the same machine that knows (or guessed) the token.
    foreign = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><body>foreign</body>'));
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (foreign ? foreign.close(() => r()) : r()));
    await server?.close();
    await backend?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with the printed URL, hides the token, survives a reload and enforces the CSP', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(server.url);
      await expect.poll(() => page.textContent('#out'), { timeout: 10_000 }).toBe('traces:3');
      expect(page.url()).toBe(`http://127.0.0.1:${server.port}/`);
      // The inline script was refused by the policy; our own module scripts ran.
      expect(await page.evaluate(() => document.body.dataset.inline)).toBeUndefined();
      await expect.poll(() => page.evaluate(() => document.body.dataset.blocked ?? ''), { timeout: 5000 }).toContain('script-src');
      await page.reload();
      await expect.poll(() => page.textContent('#out'), { timeout: 10_000 }).toBe('traces:3');
    } finally {
      await page.close();
    }
  });

  it('shows nothing without the token', async () => {
    const page = await browser.newPage();
    try {
      const response = await page.goto(`http://127.0.0.1:${server.port}/`);
      expect(response?.status()).toBe(401);
    } finally {
      await page.close();
    }
  });

  it('refuses a foreign page even when it has the token (Origin check)', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
      const outcome = await page.evaluate(
        ({ port, token }) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`);
            ws.onopen = () => resolve('opened');
            ws.onerror = () => resolve('refused');
          }),
        { port: server.port, token: server.token },
      );
      expect(outcome).toBe('refused');
    } finally {
      await page.close();
    }
  });
});
