// First start in browser mode against the real `clnrm studio` (empty data folder): the Traces view
// offers the bundled demo; one click imports the sample traces through loadDemo, the list, the
// service map and the example tests it names are then one click away. Also: the Tests view's
// folder field says what went wrong for a folder that does not exist; an empty service map names
// the real receiver address and fills in while it is open when spans arrive there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { nav, openStudio, traceRows } from './fixtures/page';
import { ROOT, startStudio, type Studio } from './fixtures/studio';

let studio: Studio;

test.beforeAll(async () => {
  studio = await startStudio();
});
test.afterAll(async () => {
  await studio?.stop();
});

test('an empty store offers the demo; loading it shows real traces and leads to the example tests', async ({ page }) => {
  const errors = await openStudio(page, studio);
  const card = page.getByRole('region', { name: 'Get started' });
  await expect(card).toBeVisible();
  await card.getByRole('button', { name: 'Load the demo' }).click();

  const notice = page.getByRole('status').filter({ hasText: 'Demo loaded' });
  await expect(notice).toBeVisible();
  await expect(card).toBeHidden();
  // The clicked button is gone; focus moved on to the next step rather than to the page body.
  await expect(notice.getByRole('button', { name: 'Open the example tests' })).toBeFocused();
  const [, spans, traces] = /([\d,]+) spans in (\d+) traces/.exec((await notice.textContent()) ?? '') ?? [];
  expect(Number(spans?.replace(/,/g, ''))).toBeGreaterThan(0);
  await expect(traceRows(page)).toHaveCount(Number(traces));
  // The samples were recorded from the demo system: its four services, and a failure to find.
  await expect(traceRows(page).filter({ hasText: /\d error/ }).first()).toBeVisible();

  await page.keyboard.press('Alt+3');
  await expect(page.locator('.svc-node')).toHaveCount(4);
  // The focused button went away with the Traces view: focus is in the new view, not lost.
  await expect(page.getByRole('main')).toBeFocused();
  await expect(page.locator('.svc-node').filter({ hasText: 'worker' })).toBeVisible();

  await nav(page, 'Traces').click();
  await notice.getByRole('button', { name: 'Open the example tests' }).click();
  const tests = page.getByRole('region', { name: 'Tests' });
  await expect(tests).toBeVisible();
  const item = tests.getByRole('listitem', { name: 'demo-read-through' });
  await expect(item).toBeVisible();
  await expect(tests.getByRole('listitem', { name: 'demo-fails-on-purpose' })).toBeVisible();
  await item.getByRole('button', { name: 'Validate' }).click();
  await expect(item.getByText('valid', { exact: true })).toBeVisible();

  // A reload keeps the place (the Tests view with that folder), the traces, and no longer offers the demo.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Tests' }).getByRole('listitem', { name: 'demo-read-through' })).toBeVisible();
  await nav(page, 'Traces').click();
  await expect(traceRows(page)).toHaveCount(Number(traces));
  await expect(page.getByRole('region', { name: 'Get started' })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the Tests view says what is wrong with a folder that does not exist', async ({ page }) => {
  const errors = await openStudio(page, studio);
  await nav(page, 'Tests').click();
  const tests = page.getByRole('region', { name: 'Tests' });
  await expect(tests.getByRole('status').filter({ hasText: 'No test folder open' })).toBeVisible();
  await tests.getByLabel('Test folder path').fill('/no/such/folder');
  await tests.getByRole('button', { name: 'Open', exact: true }).click();
  const alert = tests.getByRole('alert');
  await expect(alert).toContainText('No such folder: /no/such/folder');
  await expect(alert).toContainText('io.read');
  expect(errors).toEqual([]);
});

test('an empty service map names the receiver and fills in live when spans arrive there', async ({ page }) => {
  // Its own studio: the one above is no longer empty.
  const fresh = await startStudio();
  try {
    const errors = await openStudio(page, fresh);
    await nav(page, 'Service map').click();
    const empty = page.getByRole('status').filter({ hasText: 'No services yet' });
    await expect(empty).toContainText(`http://127.0.0.1:${fresh.receiverHttpPort}`);
    const body = readFileSync(join(ROOT, 'resources/samples/demo-orders.otlp.json'));
    const sent = await fetch(`http://127.0.0.1:${fresh.receiverHttpPort}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(sent.status).toBe(200);
    const map = page.getByRole('region', { name: 'Service map' });
    await expect(map.locator('.svc-node').filter({ hasText: 'worker' })).toBeVisible();
    await expect(map.getByLabel('Edge from worker to db', { exact: true })).toBeAttached();
    expect(errors).toEqual([]);
  } finally {
    await fresh.stop();
  }
});
