// The Tests view's run controls against a real `clnrm studio` on Docker: a running test can be
// cancelled from the page (cancelRun), and the view then shows the run as cancelled. Needs Docker
// and the demo image (resources/images/build.sh): skipped loudly without them, FAILS under CI=true.
import { expect, test } from '@playwright/test';
import { openStudio, openTestFolder } from './fixtures/page';
import { useDockerStudio } from './fixtures/docker-studio';

const docker = useDockerStudio('e2e tests view');

test('a running test is cancelled from the page', async ({ page }) => {
  const studio = docker.require();
  const errors = await openStudio(page, studio);
  // Three iterations: long enough to still be running when Cancel is pressed.
  const item = (await openTestFolder(page)).getByRole('listitem', { name: 'demo-orders-deterministic', exact: true });
  await item.getByRole('button', { name: 'Run', exact: true }).click();
  const run = item.getByRole('group', { name: /^Run / });
  await expect(item.getByRole('button', { name: 'Running…' })).toBeDisabled();
  await run.getByRole('button', { name: 'Cancel' }).click();
  await expect(run.getByRole('status', { name: /^Verdict: / })).toHaveText('cancelled', { timeout: 60_000 });
  await expect(run.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await expect(item.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
  expect(errors).toEqual([]);
});
