// bench:ui's real path: the real `clnrm studio` (spawned as a user runs it, with its own data folder,
// see e2e/fixtures/studio.ts) in Debian's Chromium. A generated OTLP JSON trace goes in through the
// Import control (file → listed) — or, for a million spans, through `clnrm import` first — then a
// click on it (→ first rows painted, → all spans loaded), then scrolling at 120 px/frame. Peak RSS
// of the studio's processes is sampled throughout each case. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT, startStudio } from '../e2e/fixtures/studio';
import { writeBigTrace } from './big-trace-files';
import { IMPORT_MARKS_INIT, importMarks, printImportMarks } from './ui-import-marks';
import { sampleMemory } from './process-memory';

export interface RealCase {
  label: string;
  spans: number;
  shape: 'wide' | 'deep';
  /** Import with `clnrm import` before the studio starts (a file too large for the page to hold). */
  viaCli: boolean;
  targets: { listedMs?: number; rowsMs: number };
}

export const REAL_CASES: RealCase[] = [
  { label: '100,000 spans (wide)', spans: 100_000, shape: 'wide', viaCli: false, targets: { listedMs: 1000, rowsMs: 500 } },
  { label: '1,000,000 spans (wide)', spans: 1_000_000, shape: 'wide', viaCli: true, targets: { rowsMs: 5000 } },
  { label: '50,000-deep parent chain', spans: 50_000, shape: 'deep', viaCli: false, targets: { listedMs: 1000, rowsMs: 500 } },
];

const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
const target = (ms: number | undefined) => (ms === undefined ? '' : `   target < ${ms} ms`);

/**
 * Before the page's scripts run: note when the user clicks and when rows first paint after it, and
 * the import's milestones (./ui-import-marks.ts). With
 * `old`, the page's API loses `streamTrace`, so the same build opens traces with getTrace as JSON (the
 * "before" figure). Sent as source text: tsx would wrap inner functions in a helper the page lacks.
 */
async function instrument(page: Page, oldPath: boolean): Promise<void> {
  await page.addInitScript(IMPORT_MARKS_INIT);
  await page.addInitScript(`(() => {
    const b = (window.__bench = { clickAt: -1, rowsAt: -1 });
    window.addEventListener('pointerdown', () => { b.clickAt = performance.now(); b.rowsAt = -1; }, true);
    window.addEventListener('studio:rows-painted', () => { if (b.rowsAt < 0 && b.clickAt >= 0) b.rowsAt = performance.now(); });
    let api;
    Object.defineProperty(window, 'api', { configurable: true, get() { return api; }, set(value) {
      if (${oldPath}) delete value.streamTrace;
      window.__benchWrapImport(value);
      api = value;
    } });
  })()`);
}

/**
 * Scrolls the waterfall by `pxPerFrame` each animation frame for `ms`; frame-time percentiles.
 * Sent as source text: tsx would wrap named inner functions in a helper the page does not have.
 */
const SCROLL_SOURCE = `(async ([step, duration]) => new Promise((resolve) => {
  const el = document.querySelector('.wf-viewport');
  const deltas = [];
  let last = -1;
  const end = performance.now() + duration;
  function frame(now) {
    if (last >= 0) deltas.push(now - last);
    last = now;
    if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) el.scrollTop = 0;
    else el.scrollTop += step;
    if (now < end) return requestAnimationFrame(frame);
    deltas.sort((a, b) => a - b);
    const at = (p) => deltas[Math.min(deltas.length - 1, Math.ceil(p * deltas.length) - 1)];
    resolve({ p50: at(0.5), p95: at(0.95), frames: deltas.length });
  }
  requestAnimationFrame(frame);
}))`;

async function scrollP95(page: Page, pxPerFrame: number, ms: number): Promise<{ p50: number; p95: number; frames: number }> {
  return page.evaluate(`${SCROLL_SOURCE}([${pxPerFrame}, ${ms}])`);
}

/** The first of each mark after the click (page clock), as offsets from the request. */
const MARKS_SOURCE = `(() => {
  const request = performance.getEntriesByName('trace:request', 'mark').at(-1)?.startTime ?? NaN;
  const first = (name) => performance.getEntriesByName(name, 'mark').find((m) => m.startTime >= request)?.startTime - request;
  return { frame: first('trace:first-frame'), decoded: first('trace:first-decoded'), built: first('trace:build-end'), painted: first('waterfall:rows-painted') };
})()`;

export async function runRealCase(context: BrowserContext, c: RealCase, oldPath: boolean): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'clnrm-bench-ui-real-'));
  const dataDir = join(home, 'data');
  try {
    const trace = writeBigTrace(home, c.shape, c.spans, c.shape, 7);
    const mb = trace.files.reduce((n, f) => n + statSync(f).size, 0) / 1e6;
    console.log(`\n${c.label} — real path${oldPath ? ', getTrace JSON (BEFORE: no stream)' : ''}; ${trace.files.length} OTLP JSON file(s), ${mb.toFixed(0)} MB`);
    if (c.viaCli) {
      const started = Date.now();
      const r = spawnSync(process.execPath, ['bin/clnrm.js', 'import', '--data-dir', dataDir, ...trace.files], { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`clnrm import failed: ${r.stderr}`);
      console.log(`  clnrm import (CLI, before start)  ${fmt(Date.now() - started)}`);
    }
    const studio = await startStudio({ dataDir, timeoutMs: 120_000 });
    const memory = sampleMemory();
    const page = await context.newPage();
    try {
      await page.setViewportSize({ width: 1440, height: 900 });
      await instrument(page, oldPath);
      await page.goto(await studio.newLink());
      const row = page.getByRole('grid', { name: 'Traces' }).getByRole('row').filter({ has: page.getByRole('gridcell') }).first();
      if (!c.viaCli) {
        await page.getByRole('region', { name: 'Traces' }).waitFor();
        const handedAt = (await page.evaluate('performance.now()')) as number;
        const started = Date.now();
        await page.getByLabel('Trace files to import').setInputFiles(trace.files);
        await row.waitFor({ timeout: 600_000 });
        const seen = Date.now() - started;
        const load = loadavg()[0]!;
        // The click is timed on a quiet studio: the import has finished, not just listed the trace.
        await page.getByRole('status').filter({ hasText: /^Imported/ }).waitFor({ timeout: 600_000 });
        const finished = Date.now() - started;
        // The headline is the page's own clock, from the file chosen (its change event) to the row painted:
        // what the user sees. Playwright notices the row later (it polls), so its figure is on its own line.
        const marks = await importMarks(page);
        const painted = marks?.['rowPainted'];
        if (painted !== undefined) console.log(`  file → listed (Import control)   ${fmt(painted)}${target(c.targets.listedMs)}   (page clock: file chosen → row painted; load average ${load.toFixed(1)})`);
        console.log(`  file → listed, Node clock        ${fmt(seen)}   (setInputFiles → Playwright sees the row)`);
        console.log(`  file → import finished           ${fmt(finished)}   (Node clock)`);
        if (marks) printImportMarks(marks, handedAt);
      } else await row.waitFor({ timeout: 120_000 });
      const clicked = Date.now();
      await row.click();
      await page.waitForFunction(() => (window as unknown as { __bench: { rowsAt: number } }).__bench.rowsAt >= 0, undefined, { timeout: 600_000, polling: 50 });
      const t = await page.evaluate(() => (window as unknown as { __bench: { clickAt: number; rowsAt: number } }).__bench);
      console.log(`  click → first rows painted       ${fmt(t.rowsAt - t.clickAt)}${target(c.targets.rowsMs)}`);
      const m = (await page.evaluate(MARKS_SOURCE)) as Record<string, number>;
      const ms = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '—' : `${x.toFixed(0)} ms`);
      console.log(`    after the request: first frame in ${ms(m.frame)}, decoded ${ms(m.decoded)}, tree built ${ms(m.built)}, painted ${ms(m.painted)}`);
      if (!oldPath) await page.locator('[data-testid="trace-progress"][data-done="true"]').waitFor({ timeout: 600_000 });
      else await page.getByTestId('span-count').filter({ hasText: c.spans.toLocaleString('en-US') }).waitFor({ timeout: 600_000 });
      const shown = oldPath ? `${await page.getByTestId('span-count').textContent()} spans shown` : await page.getByTestId('trace-progress').textContent();
      console.log(`  click → all ${c.spans.toLocaleString('en-US')} spans loaded ${fmt(Date.now() - clicked)}  (Node clock; the page says "${shown}")`);
      const s = await scrollP95(page, 120, 4000);
      console.log(`  scroll 120 px/frame for 4 s:     frame time p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms (target < 16) over ${s.frames} frames`);
    } finally {
      await page.close();
      const peak = memory.stop();
      console.log(`  peak PSS (shared pages divided among the processes that map them): server ${peak.serverPssMiB.toFixed(0)} MiB, Chromium ${peak.chromiumPssMiB.toFixed(0)} MiB, together ${peak.totalPssMiB.toFixed(0)} MiB   target < 2048 MiB`);
      console.log(`  peak RSS (shared pages counted in every process): server ${peak.serverMiB.toFixed(0)} MiB, Chromium (sum of its processes) ${peak.chromiumMiB.toFixed(0)} MiB, together ${peak.totalMiB.toFixed(0)} MiB`);
      await studio.stop();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
