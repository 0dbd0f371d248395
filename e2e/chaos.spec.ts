// The Chaos view end to end, on real Docker: a copy of examples/chaos/db-paused-cache-serves opens on the
// timeline (its four services as lanes, db's pause as a block between the phase bands); a second
// container_pause is dragged from the palette onto worker's lane and resized with the pointer; Save shows
// the diff (only the new injection table) and writes exactly that; Run draws both faults' windows as they
// happen, the traffic's success rate and p95 per second getting points while it runs, and each phase's
// verdicts as they are decided (provisional while it runs, final after). Skipped loudly without Docker,
// FAILS under CI=true.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { SHOTS, nav, openStudio, openTestFolder } from './fixtures/page';
import { useDockerStudio } from './fixtures/docker-studio';
import { ROOT, startStudio } from './fixtures/studio';

const docker = useDockerStudio('e2e chaos view');
const PX_PER_S = 40;
let folder: string;
let file: string;
let original: string;

test.beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'clnrm-e2e-chaos-'));
  file = join(folder, 'chaos-db.clnrm.toml');
  // A copy: Save writes into the file, and the repository's example must stay as it is.
  copyFileSync(join(ROOT, 'examples', 'chaos', 'db-paused-cache-serves.clnrm.toml'), file);
  original = readFileSync(file, 'utf8');
});
test.afterAll(() => rmSync(folder, { recursive: true, force: true }));

test('keyboard editing and the inspector checking parameters against the catalog (no Docker needed)', async ({ page }) => {
  const studio = await startStudio();
  try {
    const errors = await openStudio(page, studio);
    await openTestFolder(page, folder);
    await page.keyboard.press('Alt+7');
    const view = page.getByRole('region', { name: 'Chaos' });
    await view.getByRole('combobox', { name: 'Test file' }).selectOption({ label: 'chaos-db.clnrm.toml' });
    const timeline = view.getByRole('group', { name: 'Experiment timeline' });
    // Tab to the block: arrows move it a snap step, Shift+arrows resize it, Alt+Down moves it a lane down.
    const block = timeline.getByRole('button', { name: /^container_pause on db/ });
    await block.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Alt+ArrowDown');
    const moved = timeline.getByRole('group', { name: 'Lane cache' }).getByRole('button', { name: 'container_pause on cache, 3.5 s to 7.5 s' });
    await expect(moved).toBeFocused();
    await expect(view.getByRole('button', { name: 'Save…' })).toBeEnabled();
    // A fault added from the palette with the keyboard; a parameter out of its catalog range is refused beside its field.
    await view.getByRole('complementary', { name: 'Fault palette' }).getByRole('button', { name: 'Add cpu_pressure to cache' }).press('Enter');
    const inspector = view.getByRole('complementary', { name: 'Fault inspector' });
    await expect(inspector.getByRole('heading')).toHaveText('cpu_pressure');
    const workers = inspector.getByRole('textbox', { name: /^workers/ });
    await workers.fill('100');
    await expect(inspector.getByRole('alert')).toHaveText('must be in 1–64 workers (whole), not 100');
    await expect(view.getByRole('button', { name: 'Save…' })).toBeDisabled();
    await workers.fill('4');
    await expect(inspector.getByRole('alert')).toHaveCount(0);
    await expect(view.getByRole('button', { name: 'Save…' })).toBeEnabled();
    await timeline.getByRole('button', { name: /^cpu_pressure on cache/ }).press('Delete');
    await expect(timeline.getByRole('button', { name: /^cpu_pressure/ })).toHaveCount(0);
    await view.getByRole('button', { name: 'Discard changes' }).click();
    await expect(timeline.getByRole('group', { name: 'Lane db' }).getByRole('button', { name: 'container_pause on db, 3 s to 6 s' })).toBeVisible();
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(errors).toEqual([]);
  } finally {
    await studio.stop();
  }
});

test('drag a fault onto a lane, resize it, save only the experiment, run it: fault bands and phase verdicts', async ({ page }) => {
  const studio = docker.require();
  test.setTimeout(300_000);
  const errors = await openStudio(page, studio);
  await openTestFolder(page, folder);
  await nav(page, 'Chaos').click();
  const view = page.getByRole('region', { name: 'Chaos' });
  await view.getByRole('combobox', { name: 'Test file' }).selectOption({ label: 'chaos-db.clnrm.toml' });
  await expect(page).toHaveURL(/#\/chaos\?file=/);

  const timeline = view.getByRole('group', { name: 'Experiment timeline' });
  for (const service of ['db', 'cache', 'worker', 'api']) await expect(timeline.getByRole('group', { name: `Lane ${service}` })).toBeVisible();
  await expect(timeline.getByRole('group', { name: 'Lane db' }).getByRole('button', { name: 'container_pause on db, 3 s to 6 s' })).toBeVisible();
  await expect(timeline.getByLabel('steady state 0 s to 3 s')).toBeAttached();

  // Drag from the palette onto worker's lane, 3 s in: a new block with the default 10 s window.
  const worker = timeline.getByRole('group', { name: 'Lane worker' });
  const track = worker.locator('.chaos-track');
  await view.getByRole('complementary', { name: 'Fault palette' }).getByRole('button', { name: /^Add container_pause/ }).dragTo(track, { targetPosition: { x: 3 * PX_PER_S + 4, y: 20 } });
  const added = worker.getByRole('button', { name: /^container_pause on worker, 3 s to 13 s$/ });
  await expect(added).toBeVisible();
  // Resize with the pointer: the right edge 8 s to the left gives 2 s.
  const edge = added.locator('.chaos-resize');
  const box = (await edge.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 4 * PX_PER_S, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2 - 8 * PX_PER_S, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect(worker.getByRole('button', { name: 'container_pause on worker, 3 s to 5 s' })).toBeVisible();
  await expect(view.getByRole('complementary', { name: 'Fault inspector' })).toContainText('container_pause');

  // Save: the diff first (only the new injection table), then the file holds exactly that.
  await view.getByRole('button', { name: 'Save…' }).click();
  const diff = view.getByRole('region', { name: 'Save diff' });
  const table = '[[chaos.experiment.injection]]\nfault = "container_pause"\ntarget = "service:worker"\ntiming = "after_steady_state"\nduration_s = 2\n';
  const shown = (await diff.locator('pre').textContent()) ?? '';
  const changed = shown.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l));
  // Only additions: the table and one blank line beside it (the diff may put the blank before or after).
  expect(changed.filter((l) => l !== '+')).toEqual(table.trimEnd().split('\n').map((l) => `+${l}`));
  expect(changed.filter((l) => l === '+')).toHaveLength(1);
  expect(readFileSync(file, 'utf8')).toBe(original);
  await diff.getByRole('button', { name: 'Write file' }).click();
  await expect(view.getByRole('region', { name: 'Saved diff' })).toBeVisible();
  const firstTable = 'timing = "after_steady_state"\nduration_s = 3\n';
  expect(readFileSync(file, 'utf8')).toBe(original.replace(firstTable, `${firstTable}\n${table}`));

  // Run: both faults' windows as they happen, then the verdicts of each phase.
  await view.getByRole('button', { name: 'Run', exact: true }).click();
  const run = view.getByRole('region', { name: 'Chaos run' });
  // While it runs, the success rate and p95 per second get points under the lanes, second after second.
  const rate = timeline.getByRole('group', { name: 'Success rate' }).getByRole('img');
  const liveSeconds = async (): Promise<number> => Number(/\(live\): (\d+) seconds/.exec((await rate.getAttribute('aria-label')) ?? '')?.[1] ?? -1);
  await expect.poll(liveSeconds, { timeout: 240_000 }).toBeGreaterThan(0);
  const seen = await liveSeconds();
  await expect.poll(liveSeconds, { timeout: 15_000 }).toBeGreaterThan(seen);
  await expect(rate).toHaveAttribute('aria-label', /^Success rate per second \(live\): \d+ seconds with requests, last \d+(\.\d)? %/);
  await expect(timeline.getByRole('group', { name: 'p95' }).getByRole('img')).toHaveAttribute('aria-label', /^p95 per second \(live\): [1-9]\d* seconds with requests, last [\d.]+ m?s/);
  // The steady state's verdicts appear as soon as it is decided, while the run goes on: "provisional" is
  // only said before the run has finished. Its band on the timeline shows the verdict too.
  const steadyVerdict = run.getByRole('region', { name: 'Steady state verdicts' }).getByRole('listitem').first();
  await expect(steadyVerdict).toContainText(/^[✓✗] chaos\.experiment\.steady_state\.assertion\[0\] .* — provisional: decided at \d+\.\d s, judged again when the run ends$/, { timeout: 60_000 });
  await expect(timeline.getByLabel(/^steady state 0 s to 3 s: (passed|failed)/)).toBeAttached();
  await expect(timeline.getByRole('img', { name: /^container_pause on worker: in at [\d.]+ s, out at [\d.]+ s$/ })).toBeVisible({ timeout: 240_000 });
  // The README's screenshot, while the run goes: the live timeline with its fault bands and the charts so far.
  await view.getByRole('region', { name: 'Saved diff' }).getByRole('button', { name: 'Close' }).click();
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.screenshot({ path: `${SHOTS}/chaos.png` });
  await expect(timeline.getByRole('img', { name: /^container_pause on db: in at [\d.]+ s, out at [\d.]+ s$/ })).toBeVisible({ timeout: 30_000 });
  // Passed on a quiet machine; on a loaded one (shared CI cores) a latency assertion may fail: either
  // way each phase shows its verdicts with what was measured.
  await expect(run.getByRole('status')).toHaveText(/^Run (passed|failed)/, { timeout: 120_000 });
  for (const phase of ['Steady state', 'During chaos', 'Recovery']) {
    await expect(run.getByRole('region', { name: `${phase} verdicts` }).getByRole('listitem').first()).toHaveText(/^[✓✗] chaos\.experiment\.\w+\.assertion\[0\] \S/);
  }
  await expect(run.getByRole('region', { name: 'Experiment verdicts' })).toContainText(/resilience score \d+/);
  // After the run every verdict is the end's: none is provisional any more.
  await expect(run.getByText(/provisional/)).toHaveCount(0);
  await expect(timeline.getByLabel(/^steady state 0 s to 3 s: (passed|failed)$/)).toBeAttached();
  // After the run: the figures of every second of the experiment (20 requests/s for 9 s), as a table too.
  await expect(rate).toHaveAttribute('aria-label', /^Success rate per second: [6-9] seconds with requests, last [\d.]+ %, lowest while a fault was in [\d.]+ %$/);
  await run.getByText(/^Traffic per second/).click();
  const rows = run.getByRole('table', { name: 'Traffic per second' }).getByRole('row');
  await expect(rows.nth(4)).toHaveText(/^3–4 s\s*\d+\s*\d+\s*[\d.]+ %\s*[\d.]+ m?s$/);
  expect(errors).toEqual([]);
});
