// One store, many processes (issue #16): with the studio running, `clnrm run` in a terminal on the
// studio's data folder stores through the studio, and its run and traces appear in the open pages
// without a reload — the Traces list in one tab, the Tests view's run history in another. Needs
// Docker and the images from resources/images/build.sh (skipped loudly without, FAILS under CI=true).
import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { openStudio, openTestFolder, traceRows } from './fixtures/page';
import { useDockerStudio } from './fixtures/docker-studio';
import { ROOT } from './fixtures/studio';

const docker = useDockerStudio('e2e one store');

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `clnrm run FILE --data-dir DIR --format json` as a user runs it in a terminal (the built CLI). */
function clnrmRun(file: string, dataDir: string): Promise<Finished> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['bin/clnrm.js', 'run', file, '--data-dir', dataDir, '--format', 'json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

test('a clnrm run in a terminal shows in the open studio: its traces in the Traces list, its run in the Tests view', async ({ page, context }) => {
  const studio = docker.require();
  test.setTimeout(240_000);
  const errors = await openStudio(page, studio);
  // The store starts empty: the Traces list has no row yet.
  await expect(traceRows(page)).toHaveCount(0);

  const testsPage = await context.newPage();
  errors.push(...(await openStudio(testsPage, studio)));
  const item = (await openTestFolder(testsPage)).getByRole('listitem', { name: 'demo-read-through', exact: true });
  await expect(item).toBeVisible();
  await expect(item.getByText(/earlier runs?$/)).toHaveCount(0);

  const run = clnrmRun('examples/demo-read-through.clnrm.toml', studio.dataDir);

  // Live, no reload: the run's traces arrive in the Traces list as the studio stores them ...
  await expect(traceRows(page).filter({ hasText: 'GET /items/:id' })).toHaveCount(2, { timeout: 180_000 });
  await expect(traceRows(page).filter({ hasText: 'clnrm.run' })).toHaveCount(1, { timeout: 30_000 });
  // ... and the run in the file's history, passed once it has finished.
  await item.getByText(/^1 earlier run$/).click({ timeout: 60_000 });
  const stored = item.getByRole('list', { name: 'Run history' }).getByRole('listitem', { name: /^Run [a-z0-9]{12}$/ });
  await expect(stored).toHaveCount(1);
  await expect(stored.locator('.chip')).toHaveText('passed', { timeout: 60_000 });
  await expect(stored).toContainText('cli');
  await expect(stored).toContainText('read_item_twice');

  const finished = await run;
  expect(finished.code, finished.stderr).toBe(0);
  expect(finished.stderr).toMatch(new RegExp(`clnrm run: using the running studio's store \\(pid \\d+, ${studio.dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
  const report = JSON.parse(finished.stdout) as { runId: string; passed: number };
  expect(report.passed).toBe(1);
  // One run id everywhere: the history names the id the terminal's report gave.
  await expect(stored).toHaveAttribute('aria-label', `Run ${report.runId}`);
  expect(errors).toEqual([]);
});
