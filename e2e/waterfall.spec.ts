// The span waterfall in the real UI build (harness page, synthetic data generated in the page):
// open, expand/collapse, find, span details, keyboard, themes, a 50,000-deep chain.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

const shots = 'e2e/screenshots';

function harnessUrl(query: string): string {
  const base = process.env.STUDIO_E2E_URL;
  if (!base) throw new Error('STUDIO_E2E_URL is not set: run through `npx playwright test` (global setup serves the build)');
  return `${base}/harness.html?${query}`;
}

async function openHarness(page: Page, query: string): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(harnessUrl(query));
  await page.evaluate(() => (window as unknown as { __harness: { painted: Promise<unknown> } }).__harness.painted);
  expect(errors).toEqual([]);
}

const grid = (page: Page) => page.getByRole('treegrid', { name: 'Span waterfall' });
const rowCount = async (page: Page) => Number(await grid(page).getAttribute('aria-rowcount'));
const selectedRow = (page: Page) => grid(page).locator('[role="row"][aria-selected="true"]');

test('opens a trace and shows rows, header facts and details', async ({ page }) => {
  await openHarness(page, 'spans=3000&shape=wide&seed=7&theme=light');
  await expect(page.getByTestId('span-count')).toHaveText('3,000');
  expect(await rowCount(page)).toBe(3000);
  const root = grid(page).locator('[role="row"][aria-rowindex="1"]');
  await expect(root).toHaveAttribute('aria-level', '1');
  await expect(root).toHaveAttribute('aria-expanded', 'true');
  await expect(root).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('detail-span-id')).toHaveText('0000000000000001');
  // Only a window of rows exists in the DOM.
  expect(await grid(page).locator('[role="row"]').count()).toBeLessThan(60);
  await page.screenshot({ path: `${shots}/waterfall-light.png` });
});

test('collapses and expands with the mouse, the keyboard and the toolbar', async ({ page }) => {
  await openHarness(page, 'spans=3000&shape=wide&seed=7');
  const root = grid(page).locator('[role="row"][aria-rowindex="1"]');
  await root.getByRole('button', { name: 'Collapse' }).click();
  await expect(root).toHaveAttribute('aria-expanded', 'false');
  expect(await rowCount(page)).toBe(1);
  await grid(page).focus();
  await page.keyboard.press('ArrowRight');
  await expect(root).toHaveAttribute('aria-expanded', 'true');
  expect(await rowCount(page)).toBe(3000);
  await page.keyboard.press('ArrowLeft');
  expect(await rowCount(page)).toBe(1);
  await page.getByRole('button', { name: 'Expand all' }).click();
  await expect(grid(page)).toHaveAttribute('aria-rowcount', '3000');
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await expect(grid(page)).toHaveAttribute('aria-rowcount', '1');
});

test('moves the selection with the arrow keys and follows it in the detail panel', async ({ page }) => {
  await openHarness(page, 'spans=3000&shape=wide&seed=7');
  await grid(page).focus();
  await page.keyboard.press('ArrowDown');
  await expect(selectedRow(page)).toHaveAttribute('aria-rowindex', '2');
  await expect(selectedRow(page)).toHaveAttribute('aria-level', '2');
  const id = await page.getByTestId('detail-span-id').textContent();
  expect(id).not.toBe('0000000000000001');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowLeft'); // an expanded span collapses, a leaf goes to its parent
  await page.keyboard.press('End');
  await expect(selectedRow(page)).toHaveAttribute('aria-rowindex', String(await rowCount(page)));
  await page.keyboard.press('Home');
  await expect(selectedRow(page)).toHaveAttribute('aria-rowindex', '1');
  await page.keyboard.press('PageDown');
  expect(Number(await selectedRow(page).getAttribute('aria-rowindex'))).toBeGreaterThan(10);
});

test('finds spans, walks through matches and reveals collapsed ones', async ({ page }) => {
  await openHarness(page, 'spans=3000&shape=wide&seed=7');
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await expect(grid(page)).toHaveAttribute('aria-rowcount', '1');
  await page.keyboard.press('Control+f');
  await expect(page.getByRole('textbox', { name: 'Find in trace' })).toBeFocused();
  await page.keyboard.type('redis');
  await expect(page.getByTestId('find-count')).toHaveText(/^– \/ \d+/);
  const total = Number((await page.getByTestId('find-count').textContent())!.split('/')[1]!.replace(/,/g, ''));
  expect(total).toBeGreaterThan(10);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('find-count')).toHaveText(`1 / ${total.toLocaleString('en-US')}`);
  // The match was under collapsed parents: they opened and the row is selected and highlighted.
  await expect(selectedRow(page)).toHaveClass(/is-current-match/);
  await expect(selectedRow(page).locator('mark').first()).toHaveText(/redis/i);
  await expect(page.getByTestId('span-detail')).toContainText('redis');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('find-count')).toHaveText(`2 / ${total.toLocaleString('en-US')}`);
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.press('Shift+Enter');
  await expect(page.getByTestId('find-count')).toHaveText(`${total.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`);
  const field = page.getByRole('textbox', { name: 'Find in trace' });
  await field.fill('http.route=/checkout');
  await expect(page.getByTestId('find-count')).toHaveText(/^– \/ [1-9]/);
  await field.fill('no-such-span-anywhere');
  await expect(page.getByTestId('find-count')).toHaveText('No matches');
});

test('shows span details and copies ids', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openHarness(page, 'spans=3000&shape=wide&seed=7');
  const row = grid(page).locator('[role="row"][aria-rowindex="3"]');
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  const detail = page.getByTestId('span-detail');
  const spanId = (await page.getByTestId('detail-span-id').textContent())!;
  expect(spanId).toMatch(/^[0-9a-f]{16}$/);
  await expect(detail.getByText('Attributes')).toBeVisible();
  await expect(detail.getByText('code.namespace')).toBeVisible();
  await detail.getByRole('button', { name: 'Copy span id' }).click();
  await expect(detail.getByRole('button', { name: 'Copy span id' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(spanId);
});

test('zooms with the ruler, highlights the critical path, dark theme', async ({ page }) => {
  await openHarness(page, 'spans=3000&shape=wide&seed=7&theme=dark');
  const ruler = page.getByTestId('time-ruler');
  const box = (await ruler.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.05, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeEnabled();
  await grid(page).focus();
  await page.keyboard.press('c');
  await expect(page.getByRole('button', { name: 'Critical path' })).toHaveAttribute('aria-pressed', 'true');
  expect(await grid(page).locator('.wf-critical').count()).toBeGreaterThan(0);
  expect(await grid(page).locator('.wf-row.is-dimmed').count()).toBeGreaterThan(0);
  // Spans off the path show their slack after their bar; the selected root has none.
  expect(await grid(page).locator('.wf-slack').count()).toBeGreaterThan(0);
  await expect(page.getByTestId('detail-slack')).toHaveText('none (critical path)');
  await page.screenshot({ path: `${shots}/waterfall-dark-zoomed-critical.png` });
  // Reset through the command palette.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('reset zoom');
  await expect(page.getByRole('dialog', { name: 'Command palette' }).getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Command palette' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeDisabled();
});

test('renders a 50,000-deep parent chain down to its last span', async ({ page }) => {
  await openHarness(page, 'spans=50000&shape=deep');
  expect(await rowCount(page)).toBe(50_000);
  await grid(page).focus();
  await page.keyboard.press('End');
  await expect(selectedRow(page)).toHaveAttribute('aria-level', '50000');
  await page.screenshot({ path: `${shots}/waterfall-deep-chain-end.png` });
});

test('traces list opens a trace; service map draws the services', async ({ page }) => {
  await page.goto(harnessUrl('spans=800&view=traces&theme=light'));
  const table = page.getByRole('grid', { name: 'Traces' });
  await expect(table.getByRole('row')).toHaveCount(16); // header + 15 traces
  // The demo back end refuses imports; the refusal must reach the user as a message, with its reason.
  await page.getByLabel('Trace files to import').setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"resourceSpans":[]}') });
  await expect(page.getByRole('status').filter({ hasText: 'synthetic demo data' })).toBeVisible();
  await page.screenshot({ path: `${shots}/traces-list.png` });
  await table.getByRole('row').nth(3).click();
  await expect(grid(page)).toBeVisible();
  await page.keyboard.press('Alt+3');
  await expect(page.locator('.svc-node').first()).toBeVisible();
  expect(await page.locator('.svc-node').count()).toBe(9);
  await page.screenshot({ path: `${shots}/service-map.png` });
});
