// Links to every place, against a real `clnrm studio`: opening a trace and selecting a span puts
// both in the URL's hash; Back returns to the list and Forward to the trace; that URL opened in a
// fresh page (a bookmark, a shared link) shows the same trace with the same span selected, and a
// reload keeps it; the traces list's filters are in the URL too; the command palette jumps to a
// trace by its short id and to a service's traces.
import { expect, test } from '@playwright/test';
import { nav, openStudio, selectedSpanRow, traceRows, tracesGrid, waterfall } from './fixtures/page';
import { startStudio, type Studio } from './fixtures/studio';

let studio: Studio;

test.beforeAll(async () => {
  studio = await startStudio();
});
test.afterAll(async () => {
  await studio?.stop();
});

const hashOf = (url: string) => new URL(url).hash;

test('a trace and a span have a URL: Back/Forward, a fresh page and a reload all land there', async ({ page, browser }) => {
  const errors = await openStudio(page, studio);
  await page.getByRole('region', { name: 'Get started' }).getByRole('button', { name: 'Load the demo' }).click();
  await expect(traceRows(page).first()).toBeVisible();
  await expect.poll(() => hashOf(page.url())).toBe('#/traces');

  // The trace with the most spans, its third row selected.
  await page.getByRole('combobox', { name: 'Sort' }).selectOption('most-spans');
  await expect.poll(() => hashOf(page.url())).toBe('#/traces?sort=most-spans');
  // The URL changes at once; wait until the list is sorted too (the first row has the most spans).
  const spanCounts = () => traceRows(page).evaluateAll((rows) => rows.map((r) => Number(r.querySelectorAll('[role="gridcell"]')[3]?.textContent?.replace(/,/g, ''))));
  await expect.poll(async () => {
    const counts = await spanCounts();
    return counts.length > 1 && counts[0]! >= 3 && counts.every((n) => n <= counts[0]!);
  }).toBe(true);
  await traceRows(page).first().click();
  await expect(waterfall(page)).toBeVisible();
  const traceId = (await page.getByTitle('Trace id', { exact: true }).textContent())!.trim();
  const row = waterfall(page).locator('[role="row"][aria-rowindex="3"]');
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  const spanId = (await page.getByTestId('detail-span-id').textContent())!.trim();
  const spanName = (await page.getByTestId('span-detail').getByRole('heading').first().textContent())!.trim();
  await expect.poll(() => hashOf(page.url())).toBe(`#/trace/${traceId}?span=${spanId}&sort=most-spans`);
  // Browser mode keeps its session apart from the route: a link for another browser is a fresh
  // one-time link from the studio with the route's hash on it.
  const link = `${await studio.newLink()}${hashOf(page.url())}`;

  await page.goBack();
  await expect(tracesGrid(page)).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Sort' })).toHaveValue('most-spans');
  await page.goForward();
  await expect(waterfall(page)).toBeVisible();
  await expect(page.getByTestId('detail-span-id')).toHaveText(spanId);

  // The link in a page of its own: the same trace, the same span selected and in view.
  const other = await browser.newPage();
  try {
    const otherErrors: string[] = [];
    other.on('pageerror', (e) => otherErrors.push(e.message));
    await other.goto(link);
    await expect(waterfall(other)).toBeVisible();
    await expect(other.getByTitle('Trace id', { exact: true })).toHaveText(traceId);
    await expect(selectedSpanRow(other)).toBeVisible();
    await expect(other.getByTestId('detail-span-id')).toHaveText(spanId);
    await expect(other.getByTestId('span-detail').getByRole('heading').first()).toHaveText(spanName);
    await other.reload();
    await expect(other.getByTestId('detail-span-id')).toHaveText(spanId);
    // Back from a link opened directly goes to the list through the Traces button, not a dead end.
    await nav(other, 'Traces').click();
    await expect(tracesGrid(other)).toBeVisible();
    await other.goBack();
    await expect(other.getByTestId('detail-span-id')).toHaveText(spanId);
    expect(otherErrors).toEqual([]);
  } finally {
    await other.close();
  }

  // The command palette finds the trace by the 8 characters the UI shows, and a service by name.
  await nav(page, 'Traces').click();
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('textbox', { name: 'Command' }).fill(traceId.slice(0, 8));
  await expect(palette.getByRole('option', { name: `Open trace ${traceId}` })).toBeVisible();
  await palette.getByRole('textbox', { name: 'Command' }).press('Enter');
  await expect(page.getByTitle('Trace id', { exact: true })).toHaveText(traceId);
  await expect.poll(() => hashOf(page.url())).toMatch(new RegExp(`^#/trace/${traceId}`));
  await page.keyboard.press('Control+k');
  await palette.getByRole('textbox', { name: 'Command' }).fill('worker');
  await palette.getByRole('option', { name: 'Traces of service worker' }).click();
  await expect(page.getByRole('textbox', { name: 'Service' })).toHaveValue('worker');
  await expect.poll(() => hashOf(page.url())).toBe('#/traces?service=worker&sort=most-spans');
  await page.getByRole('textbox', { name: 'Service' }).fill('');

  // Filters: typed into the list, kept in the URL, back after a reload.
  await nav(page, 'Traces').click();
  await page.getByRole('textbox', { name: 'Operation' }).fill('memdb');
  await expect.poll(() => hashOf(page.url())).toBe('#/traces?op=memdb&sort=most-spans');
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Operation' })).toHaveValue('memdb');
  await expect(page.getByRole('combobox', { name: 'Sort' })).toHaveValue('most-spans');
  await expect(traceRows(page).first()).toBeVisible();
  expect(errors).toEqual([]);
});
