// Small things a new user tripped over (issue #16), against a real `clnrm studio` without Docker:
// a refused import file is named in the banner with file:line:col; a bad duration filter is marked
// beside its field in words; a folder's files are validated as it opens (a typo's warning is not
// hidden behind "valid"), and a file's source shows its problems on their lines.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { nav, openStudio, traceRows } from './fixtures/page';
import { ROOT, startStudio, type Studio } from './fixtures/studio';

let studio: Studio;
let folder: string;

test.beforeAll(async () => {
  studio = await startStudio();
  folder = mkdtempSync(join(tmpdir(), 'clnrm-e2e-rough-'));
  const good = readFileSync(join(ROOT, 'examples', 'demo-read-through.clnrm.toml'), 'utf8');
  // The typo a new user made: `atrs` for `attrs` (a warning; the file is still valid).
  writeFileSync(join(folder, 'typo.clnrm.toml'), good.replace('attrs', 'atrs'));
  writeFileSync(join(folder, 'broken.clnrm.toml'), '[meta]\nname = "broken"\n[[scenario]\nname = "x"\n');
});
test.afterAll(async () => {
  await studio?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a refused import file is named with file:line:col in the banner, beside what was imported', async ({ page }) => {
  const errors = await openStudio(page, studio);
  const sample = join(ROOT, 'resources', 'samples', 'demo-errors.otlp.json');
  await page.getByLabel('Trace files to import').setInputFiles([
    { name: 'demo-errors.otlp.json', mimeType: 'application/json', buffer: readFileSync(sample) },
    { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "resourceSpans": [\n    {,\n') },
  ]);
  await expect(page.getByRole('status').filter({ hasText: 'already stored' })).toHaveText(/^Imported \d+ new, 0 already stored \(1 trace\); 1 file refused$/);
  const problems = page.getByRole('list', { name: 'Import problems' });
  await expect(problems.getByRole('listitem')).toHaveCount(1);
  await expect(problems.getByRole('listitem')).toHaveText(/^bad\.json:3:\d+: .+ \[[a-z]+\.[a-z-]+\]$/);
  expect(errors).toEqual([]);
});

test('a bad duration filter is marked beside its field, and the list keeps its last good query', async ({ page }) => {
  const errors = await openStudio(page, studio);
  await expect(traceRows(page).first()).toBeVisible();
  const rows = await traceRows(page).count();
  const min = page.getByRole('textbox', { name: 'Minimum duration in ms' });
  await min.fill('-5');
  await expect(min).toHaveAttribute('aria-invalid', 'true');
  await expect(min).toHaveAccessibleDescription('Min cannot be negative');
  await expect(page.getByRole('alert').filter({ hasText: 'Min cannot be negative' })).toBeVisible();
  await expect(page.getByText('ipc.invalid')).toHaveCount(0);
  await expect(traceRows(page)).toHaveCount(rows);
  await page.getByRole('textbox', { name: 'Maximum duration in ms' }).fill('1');
  await min.fill('10');
  await expect(page.getByRole('alert').filter({ hasText: 'Max must be at least Min (10 ms)' })).toBeVisible();
  await min.fill('');
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('opening a folder validates its files: a warning is shown, and the source marks the line', async ({ page }) => {
  const errors = await openStudio(page, studio);
  await nav(page, 'Tests').click();
  const view = page.getByRole('region', { name: 'Tests' });
  await view.getByRole('textbox', { name: 'Test folder path' }).fill(folder);
  await view.getByRole('button', { name: 'Open', exact: true }).click();
  const files = view.getByRole('list', { name: 'Test files' });
  const typo = files.getByRole('listitem', { name: 'typo', exact: true });
  const broken = files.getByRole('listitem', { name: 'broken', exact: true });
  // No Validate click: the badges come from opening the folder.
  await expect(typo.getByText('valid · 1 warning', { exact: true })).toBeVisible();
  await expect(broken.getByText(/^\d+ problems?$/)).toBeVisible();
  await expect(typo.getByText(/unknown key `atrs`.*did you mean `attrs`/)).toBeVisible();

  await typo.getByRole('button', { name: 'Source' }).click();
  const source = typo.getByRole('region', { name: /^Source of / });
  const marked = source.getByRole('listitem', { name: /, warning$/ });
  await expect(marked).toHaveCount(1);
  await expect(marked).toContainText('atrs.all');
  await expect(marked.getByRole('note')).toContainText('warning: unknown key `atrs`');
  await expect(typo.getByRole('button', { name: 'Source' })).toHaveAttribute('aria-pressed', 'true');
  await expect(view.getByRole('button', { name: 'Run all' })).toBeEnabled();
  // The folder is in the URL: a reload opens it again.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Tests' }).getByRole('listitem', { name: 'typo', exact: true }).getByText('valid · 1 warning', { exact: true })).toBeVisible();
  expect(errors).toEqual([]);
});
