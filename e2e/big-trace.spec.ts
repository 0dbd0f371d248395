// A large-ish trace (20,000 spans, imported with `clnrm import` into the studio's data folder) opens
// from the list through the streamed path: the first rows paint, and the progress line reaches
// "All 20,000 spans loaded" with the waterfall, facts and minimap showing the whole trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { writeBigTrace } from '../bench/big-trace-files';
import { openStudio, traceRows, waterfall } from './fixtures/page';
import { ROOT, startStudio, type Studio } from './fixtures/studio';

const SPANS = 20_000;
let home: string;
let studio: Studio;
let traceId: string;

test.beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'clnrm-e2e-big-'));
  const trace = writeBigTrace(home, 'wide', SPANS, 'wide', 3);
  traceId = trace.traceId;
  const imported = spawnSync(process.execPath, ['bin/clnrm.js', 'import', '--data-dir', join(home, 'data'), ...trace.files], { cwd: ROOT, encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`clnrm import failed:\n${imported.stdout}\n${imported.stderr}`);
  studio = await startStudio({ dataDir: join(home, 'data') });
});
test.afterAll(async () => {
  await studio?.stop();
  rmSync(home, { recursive: true, force: true });
});

test('a 20,000-span trace streams in: first rows, then "all loaded"', async ({ page }) => {
  const errors = await openStudio(page, studio);
  await expect(traceRows(page)).toHaveCount(1);
  // Every text the progress line shows, as the page shows it (it may pass quickly).
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { progressSeen: string[] }).progressSeen = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="trace-progress"]')?.textContent;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await traceRows(page).first().click();
  await expect(waterfall(page).getByRole('row').first()).toBeVisible();
  const progress = page.getByTestId('trace-progress');
  await expect(progress).toHaveText(`All ${SPANS.toLocaleString('en-US')} spans loaded`, { timeout: 30_000 });
  await expect(page.getByTestId('span-count')).toHaveText(SPANS.toLocaleString('en-US'));
  await expect(page.getByTitle('Trace id', { exact: true })).toHaveText(traceId);
  const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
  expect(seen.some((t) => /^Loading spans: [\d,]+ of 20,000/.test(t)), seen.join(' | ')).toBe(true);
  // End reaches the last row of the whole trace, not of the first frame.
  await waterfall(page).focus();
  await page.keyboard.press('End');
  await expect(waterfall(page).locator('[role="row"][aria-selected="true"]')).toBeVisible();
  expect(errors).toEqual([]);
});
