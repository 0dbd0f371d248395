// `npm run screenshots`: refreshes the README's screenshots (docs/screenshots/*.png) from the real
// studio. Starts browser mode (`clnrm studio`, built by `npm run build`) on free ports with a fresh
// data folder, loads the bundled demo through the first-run screen the way a newcomer would, and
// captures each view in Debian's Chromium. Running a test needs Docker; without it the Tests shot
// shows validation results only (said on the console).
// Options: --out <dir> (default docs/screenshots), --no-run (skip running a test).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const outDir = resolve(root, args.includes('--out') ? args[args.indexOf('--out') + 1] : 'docs/screenshots');
const wantRun = !args.includes('--no-run');
const STEP_MS = 30_000;
const MAX_BYTES = 300 * 1024;

function fail(message) {
  console.error(`screenshots: ${message}`);
  process.exit(1);
}

if (!existsSync(join(root, 'dist/cli.js')) || !existsSync(join(root, 'dist/renderer/index.html'))) fail('the studio is not built: run `npm run build` first.');

/** Starts `clnrm studio` and resolves with its URL once printed (bounded). */
function startStudio(dataDir) {
  const child = spawn(process.execPath, [join(root, 'bin/clnrm.js'), 'studio', '--no-open', '--port', '0', '--http-port', '0', '--grpc-port', '0', '--data-dir', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((done, reject) => {
    const timer = setTimeout(() => reject(new Error(`clnrm studio printed no URL within ${STEP_MS} ms:\n${output}`)), STEP_MS);
    const onData = (d) => {
      output += d;
      const url = /Cleanroom Studio: (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        done({ child, url });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`clnrm studio exited (${code}) before printing its URL:\n${output}`));
    });
  });
}

function stopStudio(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done();
    }, 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

const dockerReady = () => spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0;

async function shoot(page, name) {
  // Let fonts, transitions and React Flow's fit settle: wait for two animation frames, not a fixed time.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const path = join(outDir, `${name}.png`);
  await page.screenshot({ path });
  const size = statSync(path).size;
  console.log(`screenshots: ${relative(root, path)} ${(size / 1024).toFixed(0)} KB${size > MAX_BYTES ? ' — OVER 300 KB' : ''}`);
  return size <= MAX_BYTES;
}

async function capture(page, url) {
  let ok = true;
  await page.goto(url);
  const getStarted = page.getByRole('region', { name: 'Get started' });
  await getStarted.waitFor({ timeout: STEP_MS });
  ok = (await shoot(page, 'first-run')) && ok;

  // Traces list with the demo loaded.
  await getStarted.getByRole('button', { name: 'Load the demo' }).click();
  const rows = page.getByRole('grid', { name: 'Traces' }).getByRole('row').filter({ has: page.getByRole('gridcell') });
  await rows.first().waitFor({ timeout: STEP_MS });
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByLabel('Sort').selectOption('most-spans');
  await page.getByRole('row').filter({ hasText: 'error' }).first().waitFor({ timeout: STEP_MS });
  ok = (await shoot(page, 'traces-list')) && ok;

  // A trace with an error: its waterfall and the failing span's details.
  await rows.filter({ hasText: 'error' }).first().click();
  const waterfall = page.getByRole('treegrid', { name: 'Span waterfall' });
  await waterfall.waitFor({ timeout: STEP_MS });
  const errorRow = waterfall.locator('[role="row"]').filter({ has: page.getByLabel('error') }).last();
  if ((await errorRow.count()) > 0) await errorRow.click();
  await page.getByTestId('span-detail').waitFor({ timeout: STEP_MS });
  ok = (await shoot(page, 'trace-waterfall')) && ok;

  // Dark theme on the same trace.
  await page.getByLabel('Theme').selectOption('dark');
  await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached', timeout: STEP_MS });
  ok = (await shoot(page, 'trace-waterfall-dark')) && ok;
  await page.getByLabel('Theme').selectOption('light');

  // The same trace as its operations graph.
  await page.getByRole('tab', { name: 'Operations graph' }).click();
  await page.getByRole('region', { name: 'Operations graph' }).locator('.react-flow__node').first().waitFor({ timeout: STEP_MS });
  ok = (await shoot(page, 'trace-graph')) && ok;
  await page.getByRole('tab', { name: 'Waterfall' }).click();

  // Service map of everything stored.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /Service map/ }).click();
  await page.locator('.svc-node').first().waitFor({ timeout: STEP_MS });
  ok = (await shoot(page, 'service-map')) && ok;

  // Tests: the example folder, validated, and (with Docker) one passing and one failing run.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /Tests/ }).click();
  await page.getByLabel('Test folder path').fill('examples');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  const items = page.getByRole('list', { name: 'Test files' }).getByRole('listitem');
  await items.first().waitFor({ timeout: STEP_MS });
  for (const item of await items.filter({ has: page.getByRole('button', { name: 'Validate' }) }).all()) await item.getByRole('button', { name: 'Validate' }).click();
  await page.locator('.tests-item .chip').first().waitFor({ timeout: STEP_MS });
  if (wantRun && dockerReady()) {
    for (const name of ['demo-read-through', 'demo-fails-on-purpose']) {
      const item = items.filter({ has: page.getByText(name, { exact: true }) });
      await item.getByRole('button', { name: 'Run' }).click();
      await item.getByRole('status', { name: /^Verdict: / }).waitFor({ timeout: 180_000 });
    }
  } else console.log(`screenshots: ${wantRun ? 'Docker is not available' : '--no-run'}: the Tests shot shows validation only.`);
  ok = (await shoot(page, 'tests')) && ok;
  return ok;
}

mkdirSync(outDir, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'clnrm-screenshots-'));
let studio;
let browser;
let ok = false;
try {
  studio = await startStudio(dataDir);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1, colorScheme: 'light' });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  ok = await capture(page, studio.url);
  if (pageErrors.length > 0) {
    ok = false;
    console.error(`screenshots: the page threw:\n${pageErrors.join('\n')}`);
  }
} catch (error) {
  console.error(`screenshots: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await browser?.close();
  if (studio) await stopStudio(studio.child);
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
