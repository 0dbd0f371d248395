// Host access is asked about before a first run (issue #10), against a real `clnrm studio` without
// Docker: a file that mounts the engine's socket shows its mounts on Run; Cancel starts no run;
// "Run anyway" starts it (its image does not exist, so it fails fast and mounts nothing); after a
// reload Run starts at once; after the file's content changes it asks again. A file without host
// access never asks.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { nav, openStudio } from './fixtures/page';
import { startStudio, type Studio } from './fixtures/studio';

let studio: Studio;
let folder: string;
/** No engine has this image and the studio never pulls: a run of it ends at once, before any container. */
const fileText = (name: string) =>
  `[meta]\nname = "${name}"\nversion = "1.0"\n\n[services.app]\nimage = "cleanroom/no-such-image:never"\nvolumes = ["/var/run/docker.sock:/var/run/docker.sock"]\n\n[[scenario]]\nname = "s"\nservice = "app"\nrun = "true"\n`;

test.beforeAll(async () => {
  studio = await startStudio();
  folder = mkdtempSync(join(tmpdir(), 'clnrm-e2e-host-'));
  writeFileSync(join(folder, 'socket.clnrm.toml'), fileText('socket'));
  writeFileSync(join(folder, 'plain.clnrm.toml'), fileText('plain').replace(/^volumes = .*\n/m, ''));
});
test.afterAll(async () => {
  await studio?.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function openFolder(page: Page) {
  await nav(page, 'Tests').click();
  const view = page.getByRole('region', { name: 'Tests' });
  await view.getByRole('textbox', { name: 'Test folder path' }).fill(folder);
  await view.getByRole('button', { name: 'Open', exact: true }).click();
  const item = (name: string) => view.getByRole('list', { name: 'Test files' }).getByRole('listitem', { name, exact: true });
  return { view, socket: item('socket'), plain: item('plain') };
}

test('a file that mounts the engine socket asks before its first run and again when it changes', async ({ page }) => {
  const errors = await openStudio(page, studio);
  const opened = await openFolder(page);
  const plain = opened.plain;
  let { view, socket } = opened;
  const dialog = view.getByRole('alertdialog', { name: 'This test file mounts paths of this computer' });
  const runs = (item: typeof socket) => item.getByRole('group', { name: /^Run [a-z0-9]{12}$/ });

  // Run shows each mount and its risk; Cancel (focused first) starts no run.
  await socket.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(dialog).toBeVisible();
  const mounts = dialog.getByRole('list', { name: `Mounts of ${join(folder, 'socket.clnrm.toml')}` });
  await expect(mounts.getByRole('listitem')).toHaveText(/^\/var\/run\/docker\.sock → \/var\/run\/docker\.sock in app, read-write.*engine's socket/);
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(runs(socket)).toHaveCount(0);

  // Escape cancels too; "Run anyway" starts the run.
  // The dialog opens after the file's host access is read back from the main process: press Escape
  // once it is there and focused, as a user would.
  await socket.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(runs(socket)).toHaveCount(0);
  await socket.getByRole('button', { name: 'Run', exact: true }).click();
  await dialog.getByRole('button', { name: 'Run anyway' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(runs(socket)).toHaveCount(1);
  await expect(runs(socket).getByRole('status', { name: /^Verdict: / })).toHaveText(/^(failed|passed)$/, { timeout: 60_000 });

  // A file without host access never asks.
  await plain.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(runs(plain)).toHaveCount(1);
  await expect(dialog).toHaveCount(0);

  // After a reload the same content runs at once.
  await page.reload();
  ({ view, socket } = await openFolder(page));
  await socket.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(runs(socket)).toHaveCount(1);
  await expect(view.getByRole('alertdialog')).toHaveCount(0);
  await expect(runs(socket).getByRole('status', { name: /^Verdict: / })).toHaveText(/^(failed|passed)$/, { timeout: 60_000 });

  // Changed content asks again.
  const path = join(folder, 'socket.clnrm.toml');
  writeFileSync(path, readFileSync(path, 'utf8').replace('run = "true"', 'run = "echo changed"'));
  const before = await runs(socket).getAttribute('aria-label');
  await socket.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(runs(socket)).toHaveAttribute('aria-label', before!);
  expect(errors).toEqual([]);
});
