// The per-trace DAG in browser mode against the real `clnrm studio` with the bundled demo: a demo
// read-through trace switched to "Operations graph" shows one node per (service, span name) and
// its calls; clicking an operation (or Enter on a focused one) goes back to the waterfall with its
// first span selected.
import { expect, test } from '@playwright/test';
import { SHOTS, openStudio, selectedSpanRow, traceRows, waterfall } from './fixtures/page';
import { startStudio, type Studio } from './fixtures/studio';

let studio: Studio;
test.beforeAll(async () => {
  studio = await startStudio();
});
test.afterAll(async () => {
  await studio?.stop();
});

test('a trace as its operations graph, and back to the waterfall at an operation', async ({ page }) => {
  const errors = await openStudio(page, studio);
  await page.getByRole('region', { name: 'Get started' }).getByRole('button', { name: 'Load the demo' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Demo loaded' })).toBeVisible();
  // A read-through that missed the cache: api → cache, api → db.
  await traceRows(page).filter({ hasText: 'GET /items/:id' }).filter({ hasText: 'db' }).first().click();
  await expect(waterfall(page)).toBeVisible();
  const spanCount = Number(await page.getByTestId('span-count').textContent());

  await page.getByRole('tab', { name: 'Operations graph' }).click();
  await expect(page.getByRole('tab', { name: 'Operations graph' })).toHaveAttribute('aria-selected', 'true');
  const graph = page.getByRole('region', { name: 'Operations graph' });
  await expect(graph).toBeVisible();
  await expect(waterfall(page)).toHaveCount(0);
  const nodes = graph.locator('.react-flow__node');
  await expect(nodes.first()).toBeVisible();
  // Every span is counted in exactly one operation node.
  const labels = await nodes.evaluateAll((ns) => ns.map((n) => n.getAttribute('aria-label') ?? ''));
  const counted = labels.reduce((sum, l) => sum + Number(/, (\d+) spans?/.exec(l)?.[1] ?? 0), 0);
  expect(counted).toBe(spanCount);
  expect(labels.some((l) => l.startsWith('api: GET /items/:id'))).toBe(true);
  const dbNode = nodes.filter({ hasText: 'db' }).filter({ hasText: /db\.query|SELECT|query/ }).first();
  await expect(dbNode).toBeVisible();
  await expect(graph.locator('.react-flow__edge')).not.toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/trace-graph.png` });

  const dbName = (await dbNode.locator('.op-name').textContent())!;
  await dbNode.click();
  await expect(waterfall(page)).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Waterfall' })).toHaveAttribute('aria-selected', 'true');
  await expect(selectedSpanRow(page)).toContainText(dbName);

  // The keyboard way: Enter on a focused operation does the same.
  await page.getByRole('tab', { name: 'Operations graph' }).click();
  const cacheNode = nodes.filter({ hasText: 'cache.get' }).first();
  // React Flow keeps a node hidden until it has measured it: focus it once it shows.
  await expect(cacheNode).toBeVisible();
  await cacheNode.focus();
  await expect(cacheNode).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(waterfall(page)).toBeVisible();
  await expect(selectedSpanRow(page)).toContainText('cache.get');
  expect(errors).toEqual([]);
});
