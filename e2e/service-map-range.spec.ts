// The service map's time range (issue #16), in browser mode against the real `clnrm studio`: the
// recorded demo traces (days old) and one trace sent now; "Last 15 minutes" keeps only today's
// services, a click on one lists its traces in that same range, "All time" brings the rest back, and
// a link with a range no span falls in says so instead of showing an empty canvas.
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

/** One call from `e2e-front` to `e2e-back`, stamped now. */
function tracesNow(): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const span = (service: string, id: string, parent: string, name: string, kind: number) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeSpans: [
      {
        scope: { name: 'e2e' },
        spans: [
          {
            traceId: '5ea1c0de5ea1c0de5ea1c0de5ea1c0de',
            spanId: id,
            ...(parent ? { parentSpanId: parent } : {}),
            name,
            kind,
            startTimeUnixNano: String(now),
            endTimeUnixNano: String(now + 3_000_000n),
          },
        ],
      },
    ],
  });
  return JSON.stringify({ resourceSpans: [span('e2e-front', 'a1a1a1a1a1a1a1a1', '', 'GET /', 2), span('e2e-back', 'b2b2b2b2b2b2b2b2', 'a1a1a1a1a1a1a1a1', 'lookup', 2)] });
}

async function send(body: string): Promise<void> {
  const sent = await fetch(`http://127.0.0.1:${studio.receiverHttpPort}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(sent.status).toBe(200);
}

test('the service map shows a lookback, lists a service in that range, and says when a range is empty', async ({ page }) => {
  await send(readFileSync(join(ROOT, 'resources/samples/demo-orders.otlp.json'), 'utf8'));
  await send(tracesNow());
  const errors = await openStudio(page, studio);
  await nav(page, 'Service map').click();
  const map = page.getByRole('region', { name: 'Service map' });
  const node = (name: string) => map.locator('.svc-node').filter({ hasText: name });
  await expect(node('worker')).toBeVisible();
  await expect(node('e2e-back')).toBeVisible();

  const range = map.getByRole('combobox', { name: 'Time range' });
  await range.selectOption({ label: 'Last 15 minutes' });
  await expect(node('worker')).toHaveCount(0);
  await expect(node('e2e-front')).toBeVisible();
  await expect(map.getByLabel('Edge from e2e-front to e2e-back', { exact: true })).toBeAttached();
  expect(page.url()).toMatch(/#\/service-map\?since=\d+$/);

  // A service's traces, in the same range: the recorded ones are left out.
  await node('e2e-back').click();
  await expect(traceRows(page)).toHaveCount(1);
  await nav(page, 'Service map').click();
  await expect(range).toHaveValue('15m');
  await map.getByRole('button', { name: 'Clear range' }).click();
  await expect(range).toHaveValue('all');
  await expect(node('worker')).toBeVisible();

  // A link to a range no span falls in (a day ahead) says so, and offers the way back.
  const ahead = (Date.now() + 86_400_000) * 1000;
  await page.goto(`${new URL(page.url()).origin}${new URL(page.url()).pathname}#/service-map?since=${ahead}`);
  await expect(map.getByRole('status')).toContainText('No service sent spans in this time range');
  await expect(range).toHaveValue('other');
  await map.getByRole('button', { name: 'Clear range' }).click();
  await expect(node('worker')).toBeVisible();
  expect(errors).toEqual([]);
});
