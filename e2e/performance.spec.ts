// The Performance view on real stored runs: `clnrm run` (the built CLI, storing through the running
// studio) runs e2e/fixtures/perf/perf-step.clnrm.toml ten times on the Docker engine, the last five
// with a longer sleep in its step, so the span `clnrm.step:work` steps up. The view shows the trend
// with the change point marked between the fifth and sixth run; a click on it compares those two
// runs. Needs Docker and the images from resources/images/build.sh (skipped loudly without, FAILS
// under CI=true).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { nav, openStudio, selectedSpanRow, SHOTS } from './fixtures/page';
import { useDockerStudio } from './fixtures/docker-studio';
import { ROOT } from './fixtures/studio';

const docker = useDockerStudio('e2e performance');
const FILE = join(ROOT, 'e2e', 'fixtures', 'perf', 'perf-step.clnrm.toml');
/** Runs per level: the detector needs 3+ on each side and p ≤ 0.0001, so five of each with a wide gap. */
const PER_LEVEL = 5;

/** One `clnrm run` with PERF_DELAY seconds of sleep in the step; answers its run id. */
function clnrmRun(dataDir: string, delay: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/clnrm.js', 'run', FILE, '--data-dir', dataDir, '--format', 'json'], {
      cwd: ROOT,
      env: { ...process.env, PERF_DELAY: delay },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('exit', (code) => (code === 0 ? done((JSON.parse(stdout) as { runId: string }).runId) : fail(new Error(`clnrm run exited ${code}: ${stderr}`))));
  });
}

/** PER_LEVEL runs at once (quicker on a busy engine); the next level starts after they all ended. */
function runs(dataDir: string, delay: string): Promise<string[]> {
  return Promise.all(Array.from({ length: PER_LEVEL }, () => clnrmRun(dataDir, delay)));
}

test('a trend with the change point marked, and a click on it compares the run before with the run after', async ({ page }) => {
  const studio = docker.require();
  test.setTimeout(420_000);
  const fast = await runs(studio.dataDir, '0.1');
  const slow = await runs(studio.dataDir, '2.5');
  expect(new Set([...fast, ...slow]).size).toBe(2 * PER_LEVEL);

  const errors = await openStudio(page, studio);
  await nav(page, 'Performance').click();
  const view = page.getByRole('region', { name: 'Performance' });
  await view.getByRole('combobox', { name: 'Test file' }).selectOption({ value: FILE });
  await view.getByRole('combobox', { name: 'Span' }).selectOption({ value: 'clnrm.step:work' });
  // The place has a link: the file and the span are in the hash.
  await expect.poll(() => new URL(page.url()).hash).toMatch(/^#\/performance\?/);
  const params = new URLSearchParams(new URL(page.url()).hash.replace(/^#\/performance\?/, ''));
  expect([params.get('file'), params.get('span')]).toEqual([FILE, 'clnrm.step:work']);

  const trend = view.getByRole('img', { name: /^p95 of clnrm\.step:work over 10 runs; 1 change point$/ });
  await expect(trend).toBeVisible();
  const mark = trend.getByRole('button', { name: /^Change point: p95 .* → .* \(\+\d+ %\) at run [a-z0-9]{12}$/ });
  await expect(mark).toHaveCount(1);
  const label = (await mark.getAttribute('aria-label'))!;
  const after = label.slice(-12);
  // The sixth run is the first slow one (runs of a level start together: any of the slow ones may be first).
  expect(slow).toContain(after);

  await mark.click();
  const comparison = view.getByRole('region', { name: 'Run comparison' });
  await expect(comparison.getByRole('heading')).toContainText(`→ ${after}`);
  const row = comparison.getByRole('row', { name: /clnrm\.step:work/ });
  await expect(row).toBeVisible();
  await expect(row.getByRole('cell').nth(2)).toHaveText(/^\+\d+\.\d %$/);
  await page.screenshot({ path: `${SHOTS}/performance.png`, fullPage: true });

  // The deep link reopens the same place after a reload.
  await page.reload();
  await expect(trend).toBeVisible();

  // The newest run (a slow one) is picked: its container's CPU and memory, sampled while its step slept,
  // and its bottlenecks, whose spans open in the waterfall, selected.
  const run = view.getByRole('region', { name: /^Run [a-z0-9]{12}$/ });
  expect(slow).toContain((await run.getAttribute('aria-label'))!.slice('Run '.length));
  await expect(run.getByRole('img', { name: 'CPU (% of one core) of box over the run' })).toBeVisible();
  await expect(run.getByRole('img', { name: 'Memory of box over the run' })).toBeVisible();
  const first = run.getByRole('list', { name: 'Slowest operations' }).getByRole('button').first();
  const operation = (await first.textContent())!.replace(/ \(.*$/, '');
  await first.click();
  await expect(selectedSpanRow(page)).toContainText(operation);
  expect(errors).toEqual([]);
});
