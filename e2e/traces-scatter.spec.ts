// The Traces view's duration-over-time scatter and the remaining list filters, in browser mode
// against the real `clnrm studio` with the bundled demo traces: one dot per listed trace, hover
// names it, a click opens it, dragging across the plot narrows the list to that time range (and
// Clear brings the rest back); the attribute and run-id filters narrow the list on the server;
// "Export listed" downloads the listed traces as one OTLP JSON file; Clear asks before deleting.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { SHOTS, openStudio, traceRows, waterfall } from './fixtures/page';
import { startStudio, type Studio } from './fixtures/studio';

let studio: Studio;
test.beforeAll(async () => {
  studio = await startStudio();
});
test.afterAll(async () => {
  await studio?.stop();
});

/** Loads the bundled demo when this studio is still empty; answers how many traces the list shows. */
async function withDemo(page: Page): Promise<number> {
  const card = page.getByRole('region', { name: 'Get started' });
  await expect(card.or(traceRows(page).first())).toBeVisible();
  if (await card.isVisible()) {
    await card.getByRole('button', { name: 'Load the demo' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Demo loaded' });
    const [, traces] = /spans in (\d+) traces/.exec((await notice.textContent()) ?? '') ?? [];
    await expect(traceRows(page)).toHaveCount(Number(traces));
  }
  return traceRows(page).count();
}

test('the scatter plots every listed trace, opens one on click and narrows the list by a dragged time range', async ({ page }) => {
  const errors = await openStudio(page, studio);
  const total = await withDemo(page);
  expect(total).toBeGreaterThan(3);

  const plot = page.getByRole('img', { name: /^Duration over time of \d+ traces/ });
  await expect(plot).toBeVisible();
  await expect(plot).toHaveAccessibleName(new RegExp(`^Duration over time of ${total} traces, \\d+ with errors; the longest is .+ at .+\\.$`));
  const dots = plot.locator('circle');
  await expect(dots).toHaveCount(total);
  await expect(plot.locator('circle.is-error').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/traces-scatter.png` });

  // Hover names the trace; a click opens it in the waterfall.
  const first = dots.first();
  const traceId = (await first.getAttribute('data-testid'))!.replace('scatter-', '');
  await first.hover();
  await expect(page.locator('.scatter-tip')).toBeVisible();
  await first.click();
  await expect(waterfall(page)).toBeVisible();
  await expect(page.getByTitle('Trace id', { exact: true })).toHaveText(traceId);
  await page.keyboard.press('Alt+1');

  // Drag across the left part of the plot: the list keeps only traces that started in that range.
  const box = (await plot.boundingBox())!;
  const xs = await dots.evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect().left + c.getBoundingClientRect().width / 2).sort((a, b) => a - b));
  const cut = (xs[0]! + xs[xs.length - 1]!) / 2;
  const inside = xs.filter((x) => x <= cut).length;
  expect(inside).toBeGreaterThan(0);
  expect(inside).toBeLessThan(total);
  await page.mouse.move(box.x + 66, box.y + 40);
  await page.mouse.down();
  await page.mouse.move(cut, box.y + 60, { steps: 8 });
  await page.mouse.up();
  await expect(traceRows(page)).toHaveCount(inside);
  await expect(page.getByRole('button', { name: 'Clear time range' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear time range' }).click();
  await expect(traceRows(page)).toHaveCount(total);
  expect(errors).toEqual([]);
});

test('attribute and run-id filters narrow the list, and a malformed attribute filter says how to write it', async ({ page }) => {
  const errors = await openStudio(page, studio);
  const total = await withDemo(page);
  const attribute = page.getByRole('textbox', { name: 'Attribute' });
  await attribute.fill('http.route=/items/:id');
  await expect.poll(() => traceRows(page).count()).toBeLessThan(total);
  await expect(traceRows(page).first()).toContainText('GET /items/:id');
  await attribute.fill('http.route');
  await expect(attribute).toHaveAttribute('aria-invalid', 'true');
  await expect(attribute).toHaveAttribute('title', /key=value/);
  await attribute.fill('');
  await expect(traceRows(page)).toHaveCount(total);
  await page.getByRole('textbox', { name: 'Run id' }).fill('no-such-run');
  await expect(page.getByRole('heading', { name: 'No traces match' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('the listed traces export as one OTLP JSON file, and Clear asks before deleting everything', async ({ page }) => {
  const errors = await openStudio(page, studio);
  const total = await withDemo(page);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export listed' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`traces-${total}.otlp.json`);
  const exported = JSON.parse(await readFile((await file.path())!, 'utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string }> }> }> };
  const traceIds = new Set(exported.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.traceId))));
  expect(traceIds.size).toBe(total);

  await page.getByRole('button', { name: 'Clear…' }).click();
  const confirm = page.getByRole('group', { name: 'Confirm clearing' });
  await expect(confirm).toContainText('cannot be undone');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(traceRows(page)).toHaveCount(total);
  await page.getByRole('button', { name: 'Clear…' }).click();
  await confirm.getByRole('button', { name: 'Delete all traces' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Deleted ${total} traces` })).toBeVisible();
  await expect(traceRows(page)).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Get started' })).toBeVisible();
  expect(errors).toEqual([]);
});
