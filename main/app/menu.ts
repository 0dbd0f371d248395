// The application menu: File (Open Folder, Import, Export, Quit), Edit, View (reload in
// development only, developer tools, zoom, theme), Help. Import and Export run through the same
// contract handlers the page uses, so their results show up in the page like any other import.
import { app, BrowserWindow, dialog, Menu, nativeTheme, shell, type MenuItemConstructorOptions } from 'electron';
import { formatProblem } from '../../shared/errors';
import { formatTraceFile } from '../../shared/otlp';
import { writeFileAtomic } from '../spec';
import type { StudioBackend } from '../studio/backend';
import { MENU_CHANNEL } from './channels';

const PROJECT_URL = 'https://github.com/seanchatmangpt/clnrm';

export interface MenuContext {
  backend: StudioBackend;
  getWindow(): BrowserWindow | undefined;
  isDev: boolean;
}

function fail(window: BrowserWindow | undefined, title: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  if (window) void dialog.showMessageBox(window, { type: 'error', title, message: title, detail: message });
  else dialog.showErrorBox(title, message);
}

async function openFolder(ctx: MenuContext): Promise<void> {
  const window = ctx.getWindow();
  if (!window) return;
  const picked = await dialog.showOpenDialog(window, { title: 'Open a folder of .clnrm.toml tests', properties: ['openDirectory'] });
  const folder = picked.filePaths[0];
  if (picked.canceled || !folder) return;
  // The dialog's answer is the user's choice: the page may now list, validate and run in it.
  window.webContents.send(MENU_CHANNEL, 'openFolder', await ctx.backend.paths.addRoot(folder));
}

async function importTraces(ctx: MenuContext): Promise<void> {
  const window = ctx.getWindow();
  if (!window) return;
  const picked = await dialog.showOpenDialog(window, {
    title: 'Import trace files',
    properties: ['openFile', 'multiSelections'],
    filters: [{ name: 'Trace files', extensions: ['json', 'jsonl', 'ndjson'] }, { name: 'All files', extensions: ['*'] }],
  });
  if (picked.canceled || picked.filePaths.length === 0) return;
  try {
    await ctx.backend.paths.allowFiles(picked.filePaths);
    const result = await ctx.backend.handlers.importFiles({ paths: picked.filePaths });
    const spans = result.imported.reduce((n, f) => n + f.spanCount, 0);
    const stored = result.imported.reduce((n, f) => n + f.duplicates, 0);
    const problems = result.problems.map(formatProblem).join('\n');
    await dialog.showMessageBox(window, {
      type: result.problems.length > 0 ? 'warning' : 'info',
      title: 'Import',
      message: `Imported ${spans} new, ${stored} already stored, from ${result.imported.length} of ${picked.filePaths.length} files.`,
      ...(problems ? { detail: problems } : {}),
    });
  } catch (error) {
    fail(window, 'Import failed', error);
  }
}

async function exportAll(ctx: MenuContext): Promise<void> {
  const window = ctx.getWindow();
  if (!window) return;
  const picked = await dialog.showSaveDialog(window, { title: 'Export every stored trace as OTLP JSON', defaultPath: 'traces.otlp.json', filters: [{ name: 'OTLP JSON', extensions: ['json'] }] });
  if (picked.canceled || !picked.filePath) return;
  try {
    const spans = await ctx.backend.store.getSpans('all');
    await writeFileAtomic(picked.filePath, formatTraceFile(spans, 'otlp-json'));
    await dialog.showMessageBox(window, { type: 'info', title: 'Export', message: `Exported ${spans.length} spans to ${picked.filePath}.` });
  } catch (error) {
    fail(window, 'Export failed', error);
  }
}

function themeItem(label: string, source: 'system' | 'light' | 'dark'): MenuItemConstructorOptions {
  return { label, type: 'radio', checked: nativeTheme.themeSource === source, click: () => (nativeTheme.themeSource = source) };
}

export function buildMenu(ctx: MenuContext): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: () => void openFolder(ctx) },
        { label: 'Import Traces…', accelerator: 'CmdOrCtrl+I', click: () => void importTraces(ctx) },
        { label: 'Export All Traces…', accelerator: 'CmdOrCtrl+E', click: () => void exportAll(ctx) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(ctx.isDev ? [{ role: 'reload' as const }, { role: 'forceReload' as const }] : []),
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { label: 'Theme', submenu: [themeItem('System', 'system'), themeItem('Light', 'light'), themeItem('Dark', 'dark')] },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'help',
      submenu: [
        { label: 'clnrm Test Format', click: () => void shell.openExternal(PROJECT_URL) },
        {
          label: `About Cleanroom Studio ${app.getVersion()}`,
          click: () => void dialog.showMessageBox({ type: 'info', title: 'Cleanroom Studio', message: `Cleanroom Studio ${app.getVersion()}`, detail: 'Trace explorer and hermetic test studio for .clnrm.toml tests.' }),
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
