// A large trace file (100,000 spans, 46 MB) through the Import control is listed while it is still
// being imported: the row says "importing n %" with the spans stored so far, and loses it with the
// full count once the import is done. Opened while importing, the trace says it is partial, then
// reloads whole. Every state the page shows is recorded by a MutationObserver (states pass quickly).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { writeBigTrace, type BigTrace } from '../bench/big-trace-files';
import { nav, openStudio, traceRows } from './fixtures/page';
import { startStudio, type Studio } from './fixtures/studio';

const SPANS = 100_000;
let home: string;
let studio: Studio;
let trace: BigTrace;

test.beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'clnrm-e2e-import-progress-'));
  trace = writeBigTrace(home, 'wide', SPANS, 'wide', 5);
  studio = await startStudio({ dataDir: join(home, 'data') });
});
test.afterAll(async () => {
  await studio?.stop();
  rmSync(home, { recursive: true, force: true });
});

interface Seen {
  rowSpans?: string;
  rowImporting?: string;
  openSpans?: string;
  /** The open trace's stream has delivered every span the studio held when it was opened. */
  openLoaded: boolean;
  note: boolean;
}

test('a 100,000-span file is listed while it imports, marked as importing, then complete', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = await openStudio(page, studio);
  await page.evaluate(() => {
    const seen: Seen[] = [];
    (window as unknown as { seen: Seen[] }).seen = seen;
    const text = (selector: string) => document.querySelector(selector)?.textContent ?? undefined;
    new MutationObserver(() => {
      const row = document.querySelector('[role="grid"][aria-label="Traces"] [role="row"]:has([role="gridcell"])');
      const now: Seen = {
        rowSpans: row?.querySelectorAll('[role="gridcell"]')[3]?.firstChild?.textContent ?? undefined,
        rowImporting: row?.querySelector('[data-testid="trace-importing"]')?.textContent ?? undefined,
        openSpans: text('[data-testid="span-count"]'),
        openLoaded: document.querySelector('[data-testid="trace-progress"][data-done="true"]') !== null,
        note: document.querySelector('[data-testid="trace-importing-note"]') !== null,
      };
      const last = seen[seen.length - 1];
      if (!last || JSON.stringify(last) !== JSON.stringify(now)) seen.push(now);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await page.getByLabel('Trace files to import').setInputFiles(trace.files);
  const importing = page.getByTestId('trace-importing');
  await expect(importing).toBeVisible({ timeout: 120_000 });
  await traceRows(page).first().click();
  // Opened while importing or just after: either way it ends whole, without the note.
  await expect(page.getByTestId('span-count')).toHaveText(SPANS.toLocaleString('en-US'), { timeout: 120_000 });
  await expect(page.getByTestId('trace-importing-note')).toHaveCount(0);
  await nav(page, 'Traces').click();
  await expect(traceRows(page)).toHaveCount(1);
  await expect(traceRows(page).first().getByRole('gridcell').nth(3)).toHaveText(SPANS.toLocaleString('en-US'));
  await expect(traceRows(page).first()).not.toHaveAttribute('aria-busy');

  const seen = await page.evaluate(() => (window as unknown as { seen: Seen[] }).seen);
  const count = (s: string | undefined) => (s === undefined ? NaN : Number(s.replace(/,/g, '')));
  const listedEarly = seen.filter((s) => s.rowImporting !== undefined);
  expect(listedEarly.length, JSON.stringify(seen)).toBeGreaterThan(0);
  for (const s of listedEarly) {
    expect(s.rowImporting).toMatch(/^importing \d{1,3} %$/);
    expect(count(s.rowSpans)).toBeLessThan(SPANS);
  }
  // A row without the mark always shows the whole trace; an open partial trace always says so.
  for (const s of seen) if (s.rowSpans !== undefined && s.rowImporting === undefined) expect(count(s.rowSpans)).toBe(SPANS);
  for (const s of seen) if (s.openLoaded && count(s.openSpans) < SPANS) expect(s.note, JSON.stringify(s)).toBe(true);
  // The click came while the row said "importing": the open trace was partial and said so.
  expect(seen.some((s) => s.note)).toBe(true);
  expect(errors).toEqual([]);
});
