// The Tests view's run controls against a real `clnrm studio` on Docker: a running test can be
// cancelled from the page (cancelRun), and the view then shows the run as cancelled. Needs Docker
// and the demo image (resources/images/build.sh): skipped loudly without them, FAILS under CI=true.
import { expect, test } from '@playwright/test';
import { nav, openStudio } from './fixtures/page';
import { useDockerStudio } from './fixtures/docker-studio';

const docker = useDockerStudio('e2e tests view');

test('a running test is cancelled from the page', async ({ page }) => {
  const studio = docker.require();
  const errors = await openStudio(page, studio);
  await nav(page, 'Tests').click();
  const view = page.getByRole('region', { name: 'Tests' });
  await view.getByLabel('Test folder path').fill('examples');
  await view.getByRole('button', { name: 'Open', exact: true }).click();
  // Three iterations: long enough to still be running when Cancel is pressed.
  const item = view.getByRole('list', { name: 'Test files' }).getByRole('listitem', { name: 'demo-orders-deterministic', exact: true });
  await item.getByRole('button', { name: 'Run', exact: true }).click();
  const run = item.getByRole('group', { name: /^Run / });
  await expect(item.getByRole('button', { name: 'Running…' })).toBeDisabled();
  await run.getByRole('button', { name: 'Cancel' }).click();
  await expect(run.getByRole('status', { name: /^Verdict: / })).toHaveText('cancelled', { timeout: 60_000 });
  await expect(run.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await expect(item.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
  expect(errors).toEqual([]);
});
