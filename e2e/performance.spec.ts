// The Performance view on real stored runs: `clnrm run` (the built CLI) runs
// e2e/fixtures/perf/perf-step.clnrm.toml ten times on the Docker engine into a data folder, the last
// five with a longer sleep in its step, so the span `clnrm.step:work` steps up; then the studio opens
// that folder. The view shows the trend with the change point marked between the fifth and sixth run;
// a click on it compares those two runs. The runs go in one after another before the studio starts:
// each opens the folder itself (with a studio holding it, ten of them on a loaded engine made the
// studio miss the CLI's 3 s hello). Needs Docker and the images from resources/images/build.sh (skipped
// loudly without, FAILS under CI=true).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { announceDockerSkip, probeDocker } from '../main/docker/test-support';
import { nav, openStudio, selectedSpanRow, SHOTS } from './fixtures/page';
import { ROOT, startStudio, type Studio } from './fixtures/studio';

const IMAGE = 'cleanroom/busybox:latest';
const FILE = join(ROOT, 'e2e', 'fixtures', 'perf', 'perf-step.clnrm.toml');
/** Runs per level: the detector needs 3+ on each side and p ≤ 0.0001, so five of each with a wide gap. */
const PER_LEVEL = 5;

let dockerMissing: string | undefined;
let dataHome: string | undefined;
let studio: Studio | undefined;
test.beforeAll(async () => {
  const probe = await probeDocker([IMAGE]);
  announceDockerSkip('e2e performance', probe);
  if (!probe.docker) dockerMissing = probe.reason ?? 'no Docker engine';
});
test.afterAll(async () => {
  await studio?.stop();
  if (dataHome) rmSync(dataHome, { recursive: true, force: true });
});

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

async function runs(dataDir: string, delay: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < PER_LEVEL; i++) ids.push(await clnrmRun(dataDir, delay));
  return ids;
}

test('a trend with the change point marked, and a click on it compares the run before with the run after', async ({ page }) => {
  if (dockerMissing !== undefined) {
    expect(process.env.CI === 'true' ? `Docker is required under CI=true: ${dockerMissing}` : undefined).toBeUndefined();
    test.skip(true, `SKIPPED: needs Docker and ${IMAGE} (${dockerMissing}); run resources/images/build.sh`);
  }
  test.setTimeout(480_000);
  dataHome = mkdtempSync(join(tmpdir(), 'clnrm-e2e-perf-'));
  const dataDir = join(dataHome, 'data');
  const fast = await runs(dataDir, '0.1');
  const slow = await runs(dataDir, '2.5');
  expect(new Set([...fast, ...slow]).size).toBe(2 * PER_LEVEL);
  studio = await startStudio({ dataDir });

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
  // The sixth run is the first slow one.
  expect(after).toBe(slow[0]);

  await mark.click();
  const comparison = view.getByRole('region', { name: 'Run comparison' });
  await expect(comparison.getByRole('heading')).toHaveText(`Run ${fast[PER_LEVEL - 1]} → ${after}`);
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
