// bench:ui — builds the renderer with Vite, drives Debian's Chromium with playwright-core and
// PRINTS figures (no assertions), in two parts:
// REAL PATH (./ui-studio.ts): the real `clnrm studio` with its own data folder; a generated OTLP JSON
//   trace through the Import control (file → listed), click → first rows painted → all loaded,
//   scroll p95 at 120 px/frame, peak RSS of the studio's processes; 100k wide, 1M wide (imported
//   with `clnrm import` first), 50k deep.
// SYNTHETIC (marked so): traces generated INSIDE the page (harness.html), so those figures measure
//   the UI alone (tree build, flatten, render, paint), not the store, transfer or decoding.
// Flags: --real-only, --synthetic-only, --old-path (real path without the stream: getTrace as JSON,
// the "before" figure), --cases=100k,1m,deep (real cases to run).
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { resolve } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { serveStatic } from './ui-server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import type { HarnessTimings as Timings, ScrollStats as Scroll } from '../renderer/harness/probe';
import { REAL_CASES, runRealCase } from './ui-studio';

const root = resolve(import.meta.dirname, '..');
const ARGS = [
  ...CHROMIUM_ARGS,
  // Let requestAnimationFrame run as fast as frames are produced, so frame deltas show the work
  // per frame instead of the 16.7 ms vsync interval.
  '--disable-frame-rate-limit',
  '--disable-gpu-vsync',
];

const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function open(context: BrowserContext, url: string): Promise<{ page: Page; timings: Timings }> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url, { timeout: 120_000 });
  const timings = await page.evaluate(() => (window as unknown as { __harness: { painted: Promise<Timings> } }).__harness.painted);
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  return { page, timings };
}

const flag = (name: string) => process.argv.includes(name);
const CASE_KEYS = ['100k', '1m', 'deep'];

async function main(): Promise<void> {
  const started = Date.now();
  await build({ configFile: resolve(root, 'vite.config.ts'), logLevel: 'warn' });
  console.log(`bench:ui — renderer built in ${Date.now() - started} ms`);
  const load = () => `load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min)`;
  console.log(`machine: ${cpus().length} cores, ${load()} — frame times include whatever else runs`);
  const profile = mkdtempSync(resolve(tmpdir(), 'clnrm-bench-ui-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
  try {
    if (!flag('--synthetic-only')) {
      const wanted = process.argv.find((a) => a.startsWith('--cases='))?.slice('--cases='.length).split(',') ?? CASE_KEYS;
      console.log('\n=== REAL PATH: clnrm studio + Import control + click (store → WebSocket → page) ===');
      for (const [k, c] of REAL_CASES.entries()) if (wanted.includes(CASE_KEYS[k]!)) await runRealCase(context, c, flag('--old-path'));
      console.log(`\nafter the real path: ${load()}`);
    }
    if (!flag('--real-only')) await synthetic(context);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The in-page figures (harness.html generates the trace in the page): the UI alone. */
async function synthetic(context: BrowserContext): Promise<void> {
  console.log('\n=== SYNTHETIC (in-page generated traces; no store, no transfer, no decode) ===');
  const server = await serveStatic(resolve(root, 'dist/renderer'));
  try {
    // 100k: three fresh page loads, median.
    const runs: Timings[] = [];
    for (let k = 0; k < 3; k++) {
      const { page, timings } = await open(context, `${server.url}/harness.html?spans=100000&shape=wide&seed=${11 + k}`);
      runs.push(timings);
      await page.close();
    }
    console.log('\n[synthetic] 100,000 spans (wide), median of 3 page loads');
    console.log(`  first rows painted after open   ${fmt(median(runs.map((r) => r.openToPaintMs)))}   target < 1000 ms`);
    console.log(`    of which tree build           ${fmt(median(runs.map((r) => r.buildTreeMs)))}`);
    console.log(`  page load → rows, minus gen     ${fmt(median(runs.map((r) => r.pageToPaintMinusGenerateMs)))}`);
    console.log(`  (synthetic generation in page   ${fmt(median(runs.map((r) => r.generateMs)))}, not counted)`);

    // 1M: open, then scroll programmatically for 4 s.
    const big = await open(context, `${server.url}/harness.html?spans=1000000&shape=wide&seed=5`);
    console.log('\n[synthetic] 1,000,000 spans (wide)');
    console.log(`  time to open (rows painted)     ${fmt(big.timings.openToPaintMs)}   target < 5000 ms`);
    console.log(`    of which tree build           ${fmt(big.timings.buildTreeMs)}`);
    console.log(`  (synthetic generation in page   ${fmt(big.timings.generateMs)}, not counted)`);
    for (const px of [120, 2400]) {
      const s = await big.page.evaluate(
        ([ms, step]) => (window as unknown as { __harness: { scroll(a: number, b: number): Promise<Scroll> } }).__harness.scroll(ms, step),
        [4000, px] as const,
      );
      console.log(
        `  scroll ${String(px).padStart(4)} px/frame for 4 s:   frame time p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms (target < 16), max ${s.max.toFixed(1)} ms over ${s.frames} frames, ${s.rowsTravelled.toLocaleString('en-US')} rows passed`,
      );
      console.log(`        our render per frame (JS + React commit): p50 ${s.renderP50.toFixed(2)} ms, p95 ${s.renderP95.toFixed(2)} ms`);
    }
    await big.page.close();

    // 50k-deep chain: End key to the last span, read its aria-level.
    const deep = await open(context, `${server.url}/harness.html?spans=50000&shape=deep`);
    await deep.page.getByRole('treegrid', { name: 'Span waterfall' }).focus();
    await deep.page.keyboard.press('End');
    const level = await deep.page.locator('[role="row"][aria-selected="true"]').getAttribute('aria-level', { timeout: 10_000 });
    console.log('\n[synthetic] 50,000-deep parent chain');
    console.log(`  first rows painted after open   ${fmt(deep.timings.openToPaintMs)}`);
    console.log(`  depth reached (End key)         ${Number(level).toLocaleString('en-US')} levels, no errors`);
    await deep.page.close();
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:ui failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
