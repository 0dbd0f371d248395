// The Electron shell when its database writer thread cannot start (a packaging that cannot load
// dist/store-worker.js): it says so and runs the database in its own thread, and the studio works.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { CALL_CHANNEL } from './channels';
import { createFakeElectron, FakeBrowserWindow } from './fake-electron';
import { prepareShellRoot } from './shell-root.fixture';

const root = mkdtempSync(join(tmpdir(), 'clnrm-app-fallback-'));
const fake = createFakeElectron(root);
vi.mock('electron', () => fake);
const { indexHtml, reported } = prepareShellRoot(root, `throw new Error('this worker cannot start');\n`);

beforeAll(async () => {
  await import('./main');
  await vi.waitFor(() => expect(FakeBrowserWindow.all).toHaveLength(1), { timeout: 20_000 });
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

it('reports a writer thread that cannot start and serves the studio with the database in its own thread', async () => {
  expect(reported.some((line) => /writer thread failed: .*this worker cannot start/.test(line))).toBe(true);
  const window = FakeBrowserWindow.all[0]!;
  const handler = fake.ipcMain.handlers.get(CALL_CHANNEL)!;
  const reply = (await handler({ sender: window.webContents, senderFrame: { url: pathToFileURL(indexHtml).href, parent: null } }, 'listTraces', {})) as { ok: boolean };
  expect(reply).toEqual({ ok: true, value: { traces: [], total: 0 } });
});
