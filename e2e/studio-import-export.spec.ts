// Browser mode end to end with files: import the demo system's recorded traces through the Import
// control, check the service map draws exactly the demo's dependencies, export a trace as a
// download, and drop the downloaded file on a second, empty studio (it must re-import the same spans).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SHOTS, nav, openStudio, traceRows, tracesGrid, waterfall } from './fixtures/page';
import { ROOT, startStudio, type Studio } from './fixtures/studio';

const SAMPLES = join(ROOT, 'resources', 'samples');
const sampleFiles = readdirSync(SAMPLES).filter((f) => f.endsWith('.otlp.json'));

interface OtlpFile {
  resourceSpans: { resource?: { attributes?: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { traceId: string; spanId: string; parentSpanId?: string }[] }[] }[];
}

/** What the files hold, computed here from the data (not taken from the UI under test). */
function facts(files: string[]): { spans: number; traces: number; largestTrace: number; edges: Map<string, number>; services: Set<string> } {
  const bySpan = new Map<string, { service: string; parent?: string; trace: string }>();
  for (const f of files) {
    const doc = JSON.parse(readFileSync(join(SAMPLES, f), 'utf8')) as OtlpFile;
    for (const rs of doc.resourceSpans) {
      const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? 'unknown_service';
      for (const ss of rs.scopeSpans) for (const s of ss.spans) bySpan.set(`${s.traceId}/${s.spanId}`, { service, trace: s.traceId, ...(s.parentSpanId ? { parent: `${s.traceId}/${s.parentSpanId}` } : {}) });
    }
  }
  // An edge is a span whose parent is in another service; its calls are how many such spans.
  const edges = new Map<string, number>();
  for (const s of bySpan.values()) {
    const parent = s.parent ? bySpan.get(s.parent) : undefined;
    if (parent && parent.service !== s.service) edges.set(`${parent.service}->${s.service}`, (edges.get(`${parent.service}->${s.service}`) ?? 0) + 1);
  }
  const perTrace = new Map<string, number>();
  for (const s of bySpan.values()) perTrace.set(s.trace, (perTrace.get(s.trace) ?? 0) + 1);
  return { spans: bySpan.size, traces: perTrace.size, largestTrace: Math.max(...perTrace.values()), edges, services: new Set([...bySpan.values()].map((s) => s.service)) };
}

/** Drops files on the Traces view the way a file manager does (a DataTransfer carrying Files). */
async function dropFiles(page: Page, files: { name: string; text: string }[]): Promise<void> {
  const target = page.getByRole('region', { name: 'Traces' });
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: 'application/json' }));
    return dt;
  }, files);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

let studio: Studio;
let second: Studio | undefined;

test.beforeAll(async () => {
  studio = await startStudio();
});
test.afterAll(async () => {
  await second?.stop();
  await studio?.stop();
});

test('the recorded demo traces import, the service map shows their dependencies, and an exported trace re-imports', async ({ page, browser }) => {
  expect(sampleFiles.length).toBeGreaterThan(0);
  const expected = facts(sampleFiles);
  // The demo system as the brief describes it; the computation above makes sure the data says so too.
  expect([...expected.edges.keys()].sort()).toEqual(['api->cache', 'api->db', 'api->worker', 'worker->db']);

  const errors = await openStudio(page, studio);
  await page.getByLabel('Trace files to import').setInputFiles(sampleFiles.map((f) => join(SAMPLES, f)));
  await expect(page.getByRole('status').filter({ hasText: /^Imported/ })).toHaveText(`Imported ${expected.spans} new, 0 already stored (${expected.traces} traces)`);
  await expect(traceRows(page)).toHaveCount(expected.traces);
  await expect(page.getByRole('region', { name: 'Traces' }).getByText(`${expected.traces} matching`)).toBeVisible();

  // Service map: one node per service, exactly the demo's edges (React Flow names each edge).
  await nav(page, 'Service map').click();
  const map = page.getByRole('region', { name: 'Service map' });
  await expect(map).toBeVisible();
  await expect(map.getByText(`${expected.services.size} services · ${expected.edges.size} dependencies`)).toBeVisible();
  for (const service of expected.services) await expect(map.locator('.svc-name', { hasText: new RegExp(`^${service}$`) })).toBeVisible();
  const edges = map.locator('[aria-roledescription="edge"]');
  await expect(edges).toHaveCount(expected.edges.size);
  for (const [edge, calls] of expected.edges) {
    const [from, to] = edge.split('->');
    const drawn = map.getByLabel(`Edge from ${from} to ${to}`, { exact: true });
    await expect(drawn).toBeAttached();
    await expect(drawn).toContainText(new RegExp(`^${calls}× · p50 `));
  }
  await page.screenshot({ path: `${SHOTS}/studio-service-map.png` });

  // Open the trace with the most spans and export it; the browser downloads OTLP JSON.
  await nav(page, 'Traces').click();
  await page.getByRole('combobox', { name: 'Sort' }).selectOption('most-spans');
  const top = traceRows(page).first();
  const topSpans = expected.largestTrace;
  await expect(top.getByRole('gridcell').nth(3)).toHaveText(String(topSpans));
  await top.click();
  await expect(waterfall(page)).toBeVisible();
  const traceId = (await page.getByTitle('Trace id', { exact: true }).textContent())!.trim();
  await expect(page.getByTestId('span-count')).toHaveText(String(topSpans));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  expect(download.suggestedFilename()).toBe(`trace-${traceId}.otlp.json`);
  await expect(page.getByRole('status').filter({ hasText: `Exported ${topSpans} spans` })).toBeVisible();
  const exported = readFileSync((await download.path())!, 'utf8');
  const doc = JSON.parse(exported) as OtlpFile;
  const exportedSpans = doc.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
  expect(exportedSpans).toHaveLength(topSpans);
  expect(new Set(exportedSpans.map((s) => s.traceId))).toEqual(new Set([traceId]));

  // A second, empty studio: drop the downloaded file on its Traces view.
  second = await startStudio();
  const other = await browser.newPage();
  try {
    const otherErrors = await openStudio(other, second);
    await dropFiles(other, [{ name: download.suggestedFilename(), text: exported }]);
    await expect(other.getByRole('status').filter({ hasText: /^Imported/ })).toHaveText(`Imported ${topSpans} new, 0 already stored (1 trace)`);
    await expect(traceRows(other)).toHaveCount(1);
    await traceRows(other).first().click();
    await expect(other.getByTitle('Trace id', { exact: true })).toHaveText(traceId);
    await expect(other.getByTestId('span-count')).toHaveText(String(topSpans));
    // Same spans, same ids, same exact timestamps: export it again and compare.
    const [again] = await Promise.all([other.waitForEvent('download'), other.getByRole('button', { name: 'Export' }).click()]);
    const reexported = JSON.parse(readFileSync((await again.path())!, 'utf8')) as OtlpFile;
    const key = (s: Record<string, unknown>) => JSON.stringify(s);
    const sorted = (f: OtlpFile) => f.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)).map(key).sort();
    expect(sorted(reexported)).toEqual(sorted(doc));
    expect(otherErrors).toEqual([]);
  } finally {
    await other.close();
  }
  await expect(tracesGrid(page).or(waterfall(page))).toBeVisible();
  expect(errors).toEqual([]);
});

/** One trace of `n` spans as pretty-printed OTLP JSON (as exporters and `clnrm trace --format otlp` write it). */
function bigTraceFile(n: number): string {
  const traceId = 'c0ffee00'.repeat(4);
  const spans = Array.from({ length: n }, (_, i) => ({
    traceId,
    spanId: (i + 1).toString(16).padStart(16, '0'),
    ...(i > 0 ? { parentSpanId: '0000000000000001' } : {}),
    name: `op-${i % 9}`,
    kind: 2,
    startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n),
    endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n + 500_000n),
    attributes: [{ key: 'note', value: { stringValue: `größe 😀 ${i}` } }],
  }));
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'big' } }] }, scopeSpans: [{ scope: { name: 'e2e' }, spans }] }] }, null, 2);
}

test('a large file goes up in chunks with progress, imports as a stream and leaves no temporary file', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'clnrm-e2e-upload-'));
  try {
    const spans = 40_000;
    const file = join(dir, 'big.json');
    writeFileSync(file, bigTraceFile(spans));
    expect(readFileSync(file).length).toBeGreaterThan(12 * 1024 * 1024); // over the 8 MB upload threshold, several chunks
    const errors = await openStudio(page, studio);
    // Every message the banner shows, recorded as it changes (progress is transient).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { statuses: string[] }).statuses = seen;
      new MutationObserver(() => document.querySelectorAll('[role="status"]').forEach((n) => seen.at(-1) !== n.textContent && seen.push(n.textContent ?? ''))).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByLabel('Trace files to import').setInputFiles(file);
    await expect(page.getByRole('status').filter({ hasText: /^Imported/ })).toHaveText(`Imported ${spans.toLocaleString("en-US")} new, 0 already stored (1 trace)`, { timeout: 60_000 });
    const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    expect(statuses.filter((m) => /^Uploading big\.json: [\d.]+ of [\d.]+ MB \(\d+ %\)$/.test(m)).length).toBeGreaterThan(1);
    expect(statuses).toContain(statuses.find((m) => m.endsWith('(100 %)')));
    const row = traceRows(page).filter({ hasText: 'op-0' });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('gridcell').nth(3)).toHaveText(spans.toLocaleString('en-US'));
    const leftovers = readdirSync(tmpdir()).filter((n) => n.startsWith('clnrm-uploads-')).flatMap((n) => readdirSync(join(tmpdir(), n)));
    expect(leftovers).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
