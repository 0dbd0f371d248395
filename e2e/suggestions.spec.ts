// Suggested assertions in the studio, end to end: a copy of demo-read-through (3 [determinism]
// iterations, so one run stores 3 executions to learn from) is run by `clnrm run` on the studio's data
// folder, as a user in a terminal would; the Tests view's Suggestions panel then offers assertions mined
// from those runs, with evidence that opens marked in the waterfall and a ✓ per run; two are accepted
// (the second edited), the diff shows, the file's source and checks refresh, one is undone, and a new
// run of the file passes with what was kept. Needs Docker and the images from resources/images/build.sh
// (skipped loudly without, FAILS under CI=true).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import { SHOTS, nav, openStudio, openTestFolder, waterfall } from './fixtures/page';
import { useDockerStudio } from './fixtures/docker-studio';
import { ROOT } from './fixtures/studio';

const docker = useDockerStudio('e2e suggestions');
let folder: string;
let file: string;

test.beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'clnrm-e2e-suggest-'));
  file = join(folder, 'suggest-demo.clnrm.toml');
  // A copy: accepting writes into the file, and the repository's example must stay as it is.
  copyFileSync(join(ROOT, 'examples', 'demo-read-through.clnrm.toml'), file);
  appendFileSync(file, '\n[determinism]\niterations = 3\n');
});
test.afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** `clnrm run FILE --data-dir DIR` (the built CLI), stored through the running studio. */
function clnrmRun(path: string, dataDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['bin/clnrm.js', 'run', path, '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.once('exit', (code) => done({ code, output }));
  });
}

const firstOf = (panel: Locator, kind: string) => panel.getByRole('region', { name: `${kind} suggestions` }).getByRole('listitem').first();

test('suggestions mined from stored runs: evidence in the waterfall, accept two (one edited), see the diff and the checks, undo one', async ({ page }) => {
  const studio = docker.require();
  test.setTimeout(300_000);
  const stored = await clnrmRun(file, studio.dataDir);
  expect(stored.code, stored.output).toBe(0);
  const errors = await openStudio(page, studio);
  const item = (await openTestFolder(page, folder)).getByRole('listitem', { name: 'suggest-demo', exact: true });
  await item.getByRole('button', { name: 'Source' }).click();
  await item.getByRole('button', { name: 'Suggestions' }).click();
  const panel = item.getByRole('region', { name: 'Suggestions for suggest-demo' });
  await expect(panel).toContainText('from 3 passed runs of 3 stored');
  // Three runs give confidence 1 − 2⁻³ = 0.875 at most: nothing at the default 0.99, plenty at 0.80.
  await expect(panel).toContainText('Nothing new to suggest at this threshold');
  await panel.getByRole('slider', { name: 'Confidence threshold' }).fill('0.8');
  await expect(panel.getByText('confidence ≥ 0.80')).toBeVisible();
  const span = firstOf(panel, 'span');
  await expect(span).toContainText('support 3/3 runs');
  await expect(span).toContainText('confidence 88%');
  await expect(span.getByRole('group', { name: 'Preview on stored runs: passes on 3 of 3' })).toBeVisible();
  const spanId = (await span.getAttribute('aria-label'))!;
  const spanName = /every run has "([^"]+)"/.exec(await span.innerText())![1]!;

  // Evidence: the spans that justify it, marked in the waterfall.
  await span.getByRole('button', { name: /evidence/ }).click();
  await expect(waterfall(page)).toBeVisible();
  const marked = waterfall(page).locator('[data-evidence]');
  await expect(marked.first()).toBeVisible();
  await expect(waterfall(page).getByLabel(`evidence for suggestion ${spanId}`).first()).toBeVisible();
  await expect(page.getByRole('status', { name: 'Evidence' })).toContainText(`suggestion ${spanId}`);
  // Back in the Tests view the panel judges the open trace too.
  await nav(page, 'Tests').click();
  await expect(firstOf(panel, 'span').getByLabel('On the open trace: passes')).toBeVisible();

  // Accept the span suggestion as it is.
  await panel.getByRole('listitem', { name: spanId, exact: true }).getByRole('button', { name: 'Accept', exact: true }).click();
  const diff = panel.getByRole('region', { name: 'Accepted suggestions diff' });
  await expect(diff).toContainText(`+name = "${spanName}"`);
  await expect(item.getByRole('region', { name: /^Source of / })).toContainText(`name = "${spanName}"`);
  expect(readFileSync(file, 'utf8')).toContain(`name = "${spanName}"`);

  // Edit a count suggestion (exact → at least), then accept it.
  const count = firstOf(panel, 'count');
  const countId = (await count.getAttribute('aria-label'))!;
  await count.getByRole('button', { name: 'Edit' }).click();
  const editor = count.getByRole('textbox', { name: `Snippet of ${countId}` });
  const edited = (await editor.inputValue()).replace(/\{ eq = (\d+) \}/, '{ gte = $1 }');
  expect(edited).toContain('gte =');
  await editor.fill(edited);
  await count.getByRole('button', { name: 'Accept edited' }).click();
  const countLine = edited.split('\n')[1]!;
  await expect(diff).toContainText(`${countLine}`);
  await expect(item.getByRole('region', { name: /^Source of / })).toContainText(countLine);
  await expect(item.getByText('valid', { exact: true })).toBeVisible();
  // Both are in the file now: listed as accepted, each passing on every stored run.
  const accepted = panel.getByRole('region', { name: 'Accepted suggestions' });
  await expect(accepted.getByRole('listitem')).toHaveCount(2);
  await expect(accepted.getByRole('group', { name: 'Preview on stored runs: passes on 3 of 3' })).toHaveCount(2);
  await expect(panel.getByRole('listitem', { name: countId, exact: true })).toHaveCount(0);
  await diff.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/suggestions.png` });

  // Undo the edited one: the file keeps the span suggestion only.
  await diff.getByRole('button', { name: 'Undo' }).click();
  await expect(panel.getByRole('region', { name: 'Undone' })).toBeVisible();
  await expect(accepted.getByRole('listitem')).toHaveCount(1);
  // Undone, it is offered again.
  await expect(panel.getByRole('listitem', { name: countId, exact: true })).toHaveCount(1);
  await expect(item.getByRole('region', { name: /^Source of / })).not.toContainText(countLine);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(`name = "${spanName}"`);
  expect(text).not.toContain(countLine);

  // A new run of the file passes with the accepted assertion in it.
  await item.getByRole('button', { name: 'Run' }).click();
  const run = item.getByRole('group', { name: /^Run [a-z0-9]{12}$/ });
  await expect(run.getByRole('status', { name: /^Verdict: / })).toHaveText(/^(passed|failed|cancelled)$/, { timeout: 150_000 });
  await expect(run.getByRole('status', { name: /^Verdict: / }), `the run reported: ${await run.innerText()}`).toHaveText('passed');
  expect(errors).toEqual([]);
});
