// The Electron shell's wiring, driven through a recording fake of the `electron` module (the real
// binary cannot run here): window hardening, navigation and pop-up refusal, sender-checked IPC
// against the real back end, events to the window, the menu, and a quit that disposes the back end.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels';
import { createFakeElectron, FakeBrowserWindow } from './fake-electron';
import { prepareShellRoot } from './shell-root.fixture';

const root = mkdtempSync(join(tmpdir(), 'clnrm-app-'));
const fake = createFakeElectron(root);
vi.mock('electron', () => fake);

const BUILT_WORKER = join(import.meta.dirname, '..', '..', 'dist', 'store-worker.js');
// The database's writer thread: the real built entry (npm ci builds it), which also leaves a mark
// that it started. Without a build the shell runs the database in its own thread.
const { indexHtml, reported } = prepareShellRoot(
  root,
  existsSync(BUILT_WORKER)
    ? `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(root, 'worker-started'))}, '');\nawait import(${JSON.stringify(pathToFileURL(BUILT_WORKER).href)});\n`
    : undefined,
);
const page = pathToFileURL(indexHtml).href;
let window: FakeBrowserWindow;

beforeAll(async () => {
  await import('./main');
  await vi.waitFor(() => expect(FakeBrowserWindow.all).toHaveLength(1), { timeout: 20_000 });
  window = FakeBrowserWindow.all[0]!;
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function call(name: string, request: unknown, from: { sender?: unknown; url?: string; parent?: unknown } = {}) {
  const handler = fake.ipcMain.handlers.get(CALL_CHANNEL)!;
  const event = { sender: from.sender ?? window.webContents, senderFrame: { url: from.url ?? page, parent: from.parent ?? null } };
  return handler(event, name, request) as Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
}

describe('Electron shell (with a recording electron stand-in)', () => {
  it('opens one locked-down window on the built page', () => {
    expect(window.loaded).toBe(indexHtml);
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: join(root, 'dist/app/preload.cjs') });
  });

  it('refuses navigation elsewhere and every new window', () => {
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      window.webContents.emit('will-navigate', event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate(`${page}#reload`)).toBe(false);
    expect(fake.shell.opened).toEqual(['https://evil.example/']);
    expect(window.webContents.windowOpenHandler!({ url: 'https://x.example/' })).toEqual({ action: 'deny' });
  });

  it('sets the CSP header on documents and refuses permissions', () => {
    const cb = vi.fn();
    fake.sessionHooks.headersHook!({ resourceType: 'mainFrame', responseHeaders: {} }, cb);
    expect(cb.mock.calls[0]![0].responseHeaders['Content-Security-Policy'][0]).toContain("script-src 'self'");
    const allow = vi.fn();
    fake.sessionHooks.permissionHandler!({}, 'media', allow);
    expect(allow).toHaveBeenCalledWith(false);
  });

  it('answers contract calls from our page only', async () => {
    expect(await call('listTraces', {})).toEqual({ ok: true, value: { traces: [], total: 0 } });
    expect((await call('listTraces', { limit: -1 })).error?.code).toBe('ipc.invalid');
    expect((await call('listTraces', {}, { sender: {} })).error?.code).toBe('ipc.invalid');
    expect((await call('listTraces', {}, { url: 'https://evil.example/' })).error?.code).toBe('ipc.invalid');
    expect((await call('listTraces', {}, { parent: {} })).error?.code).toBe('ipc.invalid');
  });

  it.runIf(existsSync(BUILT_WORKER))('runs the database in the writer thread from dist/store-worker.js', () => {
    expect(existsSync(join(root, 'worker-started'))).toBe(true);
    expect(reported.filter((line) => /writer thread/.test(line))).toEqual([]);
  });

  it('pushes events to the window', async () => {
    const text = JSON.stringify({ resourceSpans: [] });
    const reply = await call('importFiles', { files: [{ name: 'empty.json', text }] });
    expect(reply.ok).toBe(true);
    const spans = (await import('../store/test-spans')).makeTraces(1, 2, (await import('../store/test-spans')).resourceFor('api'));
    const { formatTraceFile } = await import('../../shared/otlp');
    await call('importFiles', { files: [{ name: 'a.json', text: formatTraceFile(spans, 'otlp-json') }] });
    await vi.waitFor(() => expect(window.webContents.sent.some((m) => m[0] === EVENT_CHANNEL && m[1] === 'spansAdded')).toBe(true), { timeout: 5000 });
  });

  it('builds the menu with the usual items', () => {
    const template = fake.Menu.menus[0] as Array<{ label?: string; role?: string; submenu?: Array<{ label?: string; role?: string }> }>;
    const file = template.find((m) => m.label === 'File')!;
    expect(file.submenu!.map((i) => i.label ?? i.role)).toEqual(['Open Folder…', 'Import Traces…', 'Export All Traces…', undefined, 'quit']);
    const view = template.find((m) => m.label === 'View')!.submenu!.map((i) => i.label ?? i.role);
    expect(view).toEqual(expect.arrayContaining(['reload', 'toggleDevTools', 'zoomIn', 'zoomOut', 'resetZoom', 'Theme']));
    expect(template.some((m) => m.role === 'editMenu')).toBe(true);
    expect(template.some((m) => m.role === 'help')).toBe(true);
  });

  it('reads only folders and files the dialogs returned', async () => {
    const picked = join(root, 'picked');
    const menuPicked = join(root, 'menu-picked');
    for (const dir of [picked, menuPicked]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 't.clnrm.toml'), '[meta]\nname = "t"\n');
    }
    const traces = join(root, 'traces.json');
    writeFileSync(traces, (await import('../../shared/otlp')).formatTraceFile((await import('../store/test-spans')).makeTraces(1, 2, (await import('../store/test-spans')).resourceFor('api'), 50), 'otlp-json'));
    // Typed by the page: refused, whatever it is.
    expect((await call('openFolder', { path: picked })).error?.code).toBe('studio.path-denied');
    expect((await call('listTestFiles', { folder: picked })).error?.code).toBe('studio.path-denied');
    expect((await call('validateFile', { path: join(picked, 't.clnrm.toml') })).error?.code).toBe('studio.path-denied');
    // The folder dialog (the page's "Open folder…") returned it: now it is the user's.
    fake.dialog.openAnswers.push([picked]);
    expect(await call('openFolder', {})).toEqual({ ok: true, value: { folder: picked } });
    expect((await call('listTestFiles', { folder: picked })).ok).toBe(true);
    // The menu's Open Folder…: the same, then the page is told which folder.
    const file = (fake.Menu.menus[0] as Array<{ label?: string; submenu?: Array<{ label?: string; click?: () => void }> }>).find((m) => m.label === 'File')!.submenu!;
    fake.dialog.openAnswers.push([menuPicked]);
    file.find((i) => i.label === 'Open Folder…')!.click!();
    await vi.waitFor(() => expect(window.webContents.sent.some((m) => m[1] === 'openFolder' && m[2] === menuPicked)).toBe(true), { timeout: 5000 });
    expect((await call('listTestFiles', { folder: menuPicked })).ok).toBe(true);
    // Import: the page may not name a file; the menu's file dialog may.
    const typed = await call('importFiles', { paths: [traces] });
    expect((typed.value as { problems: Array<{ code: string }> }).problems.map((p) => p.code)).toEqual(['studio.path-denied']);
    fake.dialog.openAnswers.push([traces]);
    file.find((i) => i.label === 'Import Traces…')!.click!();
    await vi.waitFor(async () => expect(((await call('listTraces', {})).value as { total: number }).total).toBeGreaterThanOrEqual(2), { timeout: 5000 });
  });

  it('quits only after the back end is disposed', async () => {
    const prevented = fake.app.quit();
    expect(prevented).toBe(true);
    // The shell quits again once dispose finished; the IPC handler is gone by then.
    await vi.waitFor(() => expect(fake.app.quitCalls).toBe(2), { timeout: 15_000 });
    expect(fake.ipcMain.handlers.has(CALL_CHANNEL)).toBe(false);
  });
});
