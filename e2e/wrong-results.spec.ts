// Results a new user found wrong (issue #16), each against a real `clnrm studio`: importing a file
// whose spans are already stored adds nothing and says so; "Operation contains" matches parts of
// span names in any case; a run's "N of M checks passed" agrees with the checks listed under it
// (that one runs tests on Docker: skipped loudly without it, FAILS under CI=true).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openStudio, openTestFolder, traceRows } from './fixtures/page';
import { ROOT, startStudio, type Studio } from './fixtures/studio';
import { useDockerStudio } from './fixtures/docker-studio';

const ERRORS_SAMPLE = join(ROOT, 'resources', 'samples', 'demo-errors.otlp.json');

interface OtlpFile {
  resourceSpans: { scopeSpans: { spans: { traceId: string; name: string }[] }[] }[];
}
const sampleSpans = (JSON.parse(readFileSync(ERRORS_SAMPLE, 'utf8')) as OtlpFile).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));

async function loadDemo(page: Page): Promise<void> {
  await page.getByRole('region', { name: 'Get started' }).getByRole('button', { name: 'Load the demo' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Demo loaded' })).toBeVisible();
}

test.describe('without Docker', () => {
  let studio: Studio;
  test.beforeAll(async () => {
    studio = await startStudio();
  });
  test.afterAll(async () => {
    await studio?.stop();
  });

  test('importing spans the store already holds adds none and says how many were already stored', async ({ page }) => {
    const errors = await openStudio(page, studio);
    await loadDemo(page);
    // demo-errors holds the demo's one trace with errors.
    const row = traceRows(page).filter({ hasText: /\d errors?/ });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('gridcell').nth(3)).toHaveText(String(sampleSpans.length));

    for (let round = 0; round < 2; round++) {
      await page.getByLabel('Trace files to import').setInputFiles(ERRORS_SAMPLE);
      await expect(page.getByRole('status').filter({ hasText: 'already stored' })).toContainText(`0 new, ${sampleSpans.length} already stored`);
    }
    await expect(row.getByRole('gridcell').nth(3)).toHaveText(String(sampleSpans.length));
    await row.click();
    await expect(page.getByTestId('span-count')).toHaveText(String(sampleSpans.length));
    expect(errors).toEqual([]);
  });

  test('"Operation contains" matches part of a span name, in any case', async ({ page }) => {
    const errors = await openStudio(page, studio);
    // The store is empty when this test runs alone.
    const card = page.getByRole('region', { name: 'Get started' });
    await expect(card.or(traceRows(page).first())).toBeVisible();
    if (await card.isVisible()) await loadDemo(page);
    await expect(traceRows(page).first()).toBeVisible();
    const all = await traceRows(page).count();
    expect(all).toBeGreaterThan(1);
    const operation = page.getByRole('textbox', { name: 'Operation' });
    // Each part below is in some span name of the demo-errors trace, never a whole name.
    for (const part of ['memdb', 'post', 'JOB']) {
      expect(sampleSpans.some((s) => s.name.toLowerCase().includes(part.toLowerCase()) && s.name !== part)).toBe(true);
      await operation.fill(part);
      await expect(traceRows(page).filter({ hasText: /\d errors?/ })).toHaveCount(1);
    }
    await operation.fill('no-such-operation');
    await expect(traceRows(page)).toHaveCount(0);
    await operation.fill('');
    await expect(traceRows(page)).toHaveCount(all);
    expect(errors).toEqual([]);
  });
});

test.describe('with Docker', () => {
  const docker = useDockerStudio('e2e wrong results (check counts)');

  test('a run says "N of M checks passed" and lists exactly M checks, N of them passed', async ({ page }) => {
    const studio = docker.require();
    test.setTimeout(240_000);
    const errors = await openStudio(page, studio);
    const files = await openTestFolder(page);
    for (const name of ['demo-fails-on-purpose', 'demo-read-through']) {
      const item = files.getByRole('listitem', { name, exact: true });
      await item.getByRole('button', { name: 'Run', exact: true }).click();
      const run = item.getByRole('group', { name: /^Run / });
      await expect(run.getByRole('status', { name: /^Verdict: / })).toHaveText(/^(passed|failed)$/, { timeout: 180_000 });
      const summary = (await run.getByText(/\d+ of \d+ checks passed/).textContent()) ?? '';
      const [, passed, total] = /(\d+) of (\d+) checks passed/.exec(summary)!.map(Number);
      // The passed ones are folded under "N passed checks"; unfold them to count them.
      if (passed! > 0) await run.getByText(`${passed} passed check${passed === 1 ? '' : 's'}`, { exact: true }).click();
      const passedItems = run.getByRole('list', { name: 'Passed checks' }).getByRole('listitem');
      const failedItems = run.getByRole('list', { name: 'Failed checks' }).getByRole('listitem');
      await expect(passedItems, `${name}: ${summary}`).toHaveCount(passed!);
      await expect(failedItems, `${name}: ${summary}`).toHaveCount(total! - passed!);
    }
    expect(errors).toEqual([]);
  });
});
