// Suggested assertions learned from the open trace, end to end without Docker: a real `clnrm studio`
// with the demo's traces loaded; the user opens a trace, then a test file's Suggestions panel, picks
// "traces in the store" with the open trace as what to learn from, lowers the minimum support to one
// run, sees suggestions with their evidence (opened, marked, in the waterfall) and their verdict on the
// open trace, and accepts one: the diff shows and the file holds it. Then the same from a Jaeger query
// API (the CLI's local test server answering the demo's orders traces): evidence listed as ids.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { SHOTS, nav, openStudio, openTestFolder, traceRows, waterfall } from './fixtures/page';
import { ROOT, startStudio, type Studio } from './fixtures/studio';
import { parseTraceFile } from '../shared/otlp';
import { byTrace, jaegerAnswer, serveFake } from '../main/intelligence/remote-test-support';

/** A test file to learn assertions for; each test has its own (accepted ones are remembered per file). */
const testFile = (name: string) => `# A test file to learn assertions for.
[meta]
name = "${name}"

[services.api]
image = "cleanroom/busybox"

[[scenario]]
name = "read"
service = "api"
run = "true"
`;

const TEST = testFile('learn-here');
let studio: Studio;
let folder: string;
let file: string;

test.beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'clnrm-e2e-suggest-traces-'));
  file = join(folder, 'learn-here.clnrm.toml');
  writeFileSync(file, TEST);
  studio = await startStudio();
});
test.afterAll(async () => {
  await studio?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('suggestions learned from the open trace: evidence in the waterfall, accept one', async ({ page }) => {
  test.setTimeout(120_000);
  writeFileSync(file, TEST);
  const errors = await openStudio(page, studio);
  await page.getByRole('region', { name: 'Get started' }).getByRole('button', { name: 'Load the demo' }).click();
  await expect(traceRows(page).first()).toBeVisible();
  await traceRows(page).first().click();
  await expect(waterfall(page)).toBeVisible();
  const traceId = (await page.getByTitle('Trace id', { exact: true }).textContent())!.trim();
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);

  const item = (await openTestFolder(page, folder)).getByRole('listitem', { name: 'learn-here', exact: true });
  await item.getByRole('button', { name: 'Suggestions' }).click();
  const panel = item.getByRole('region', { name: 'Suggestions for learn-here' });
  await expect(panel).toContainText('No finished run of this file');

  // Learn from the open trace.
  const learnFrom = panel.getByRole('group', { name: 'Learn from' });
  await learnFrom.getByRole('radio', { name: 'traces in the store' }).check();
  await expect(learnFrom.getByRole('checkbox', { name: /the open trace/ })).toBeChecked();
  await expect(learnFrom).toContainText(traceId.slice(0, 8));
  await learnFrom.getByRole('button', { name: 'Learn' }).click();
  await expect(panel).toContainText('from 1 run: 1 trace from the store');
  await expect(panel).toContainText('a suggestion needs support in at least 2');
  // One run: support 1 and confidence 1 − 2⁻¹ = 0.5 at most.
  await panel.getByRole('spinbutton', { name: 'Minimum support' }).fill('1');
  await panel.getByRole('slider', { name: 'Confidence threshold' }).fill('0.5');
  await expect(panel.getByText('confidence ≥ 0.50')).toBeVisible();
  const span = panel.getByRole('region', { name: 'span suggestions' }).getByRole('listitem').first();
  await expect(span).toContainText('support 1/1 runs');
  await expect(span.getByLabel('On the open trace: passes')).toBeVisible();
  const spanId = (await span.getAttribute('aria-label'))!;
  const spanName = /every run has "([^"]+)"/.exec(await span.innerText())![1]!;

  // Its evidence: spans of the open trace, marked in the waterfall.
  await span.getByRole('button', { name: /evidence/ }).click();
  await expect(waterfall(page).getByLabel(`evidence for suggestion ${spanId}`).first()).toBeVisible();
  await expect(page.getByTitle('Trace id', { exact: true })).toHaveText(traceId);
  await nav(page, 'Tests').click();

  // Still learning from the open trace: accept the span suggestion.
  await expect(panel).toContainText('from 1 run: 1 trace from the store');
  await panel.getByRole('listitem', { name: spanId, exact: true }).getByRole('button', { name: 'Accept', exact: true }).click();
  const diff = panel.getByRole('region', { name: 'Accepted suggestions diff' });
  await expect(diff).toContainText(`+name = "${spanName}"`);
  const text = readFileSync(file, 'utf8');
  expect(text.startsWith(TEST)).toBe(true);
  expect(text).toContain(`name = "${spanName}"`);
  await expect(panel.getByRole('region', { name: 'Accepted suggestions' }).getByRole('listitem', { name: `accepted ${spanId}` })).toBeVisible();
  // The panel's top: the source, the diff and the first suggestions.
  await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const box = (await panel.boundingBox())!;
  await page.screenshot({ path: `${SHOTS}/suggestions-traces.png`, clip: { x: box.x, y: Math.max(0, box.y), width: box.width, height: Math.min(box.height, page.viewportSize()!.height - Math.max(0, box.y)) } });
  expect(errors).toEqual([]);
});

test('suggestions learned from a Jaeger query API: evidence as span ids, not opened', async ({ page }) => {
  test.setTimeout(120_000);
  writeFileSync(join(folder, 'from-jaeger.clnrm.toml'), testFile('from-jaeger'));
  const traces = byTrace(parseTraceFile(readFileSync(join(ROOT, 'resources', 'samples', 'demo-orders.otlp.json'), 'utf8')).spans);
  const jaeger = await serveFake(() => ({ body: jaegerAnswer(traces) }));
  try {
    const errors = await openStudio(page, studio);
    const item = (await openTestFolder(page, folder)).getByRole('listitem', { name: 'from-jaeger', exact: true });
    await item.getByRole('button', { name: 'Suggestions' }).click();
    const panel = item.getByRole('region', { name: 'Suggestions for from-jaeger' });
    const learnFrom = panel.getByRole('group', { name: 'Learn from' });
    await learnFrom.getByRole('radio', { name: 'Jaeger or Tempo' }).check();
    await learnFrom.getByRole('textbox', { name: 'Query API URL' }).fill(jaeger.base);
    await learnFrom.getByRole('textbox', { name: 'Service' }).fill('api');
    await learnFrom.getByRole('spinbutton', { name: 'Most traces' }).fill(String(traces.length));
    await learnFrom.getByRole('button', { name: 'Learn' }).click();
    await expect(panel).toContainText(`from ${traces.length} runs: jaeger ${jaeger.base}: ${traces.length} traces of api`);
    expect(jaeger.requests).toEqual([`/api/traces?service=api&limit=${traces.length}`]);
    await expect(panel).toContainText('Evidence is shown as span ids: the Jaeger traces are not in the store');
    // Three runs: confidence 1 − 2⁻³ = 0.875 at most.
    await panel.getByRole('slider', { name: 'Confidence threshold' }).fill('0.8');
    const span = panel.getByRole('region', { name: 'span suggestions' }).getByRole('listitem').first();
    await expect(span).toContainText(`support ${traces.length}/${traces.length} runs`);
    await expect(span.getByText(/span ids? \(not in the store\)/)).toBeVisible();
    await expect(span.getByRole('button', { name: /evidence/ })).toHaveCount(0);
    expect(errors).toEqual([]);
  } finally {
    await jaeger.close();
  }
});
