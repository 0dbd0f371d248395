// The Electron main process: one locked-down window showing the built UI (dist/renderer), the
// studio back end (store, OTLP receiver, handlers) behind the IPC contract, the menu, and a clean
// quit that awaits the back end's dispose (receiver drained, store flushed, runs stopped).
// This folder is the only code that imports `electron`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, Menu } from 'electron';
import { formatProblem, StudioError, toProblem } from '../../shared/errors';
import { DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT } from '../receiver';
import { setParseWorkerEntry } from '../spec';
import { resolveDataDir } from '../store';
import { appPaths } from '../studio/app-root';
import { StudioBackend, type StudioBackendOptions } from '../studio/backend';
import { registerIpc } from './ipc';
import { buildMenu } from './menu';
import { createMainWindow } from './window';

let mainWindow: BrowserWindow | undefined;
const getWindow = (): BrowserWindow | undefined => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : undefined);

function report(error: unknown): void {
  console.error(`studio: ${formatProblem(toProblem(error))}`);
}

/** A port from the environment (0 = any free port); a bad value is reported and the default used. */
function envPort(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (/^\d+$/.test(text) && n <= 65535) return n;
  console.error(`studio: ${name}=${JSON.stringify(text)} is not a port number (0-65535); using ${fallback}.`);
  return fallback;
}

/**
 * Opens the back end; when the OTLP ports are taken it starts without the receiver and says so.
 * A database writer thread that cannot start (a packaging that cannot load dist/store-worker.js)
 * is reported and the database runs in this thread instead.
 */
async function openBackend(options: StudioBackendOptions): Promise<StudioBackend> {
  try {
    return await StudioBackend.open(options);
  } catch (error) {
    if (options.writerThread !== undefined && error instanceof StudioError && /writer thread/.test(error.message)) {
      report(error);
      const { writerThread: _unused, ...inThread } = options;
      return openBackend(inThread);
    }
    if (!(error instanceof StudioError) || error.code !== 'port.in-use') throw error;
    const backend = await StudioBackend.open({ ...options, httpPort: false, grpcPort: false });
    void dialog.showMessageBox({
      type: 'warning',
      title: 'OTLP receiver not started',
      message: 'The OTLP ports are in use (is `clnrm collect` running?). The studio opens without receiving live spans.',
      detail: error.message,
    });
    return backend;
  }
}

async function start(): Promise<void> {
  await app.whenReady();
  const paths = appPaths(app.getAppPath());
  const indexHtml = join(paths.rendererDir, 'index.html');
  const preload = join(paths.root, 'dist', 'app', 'preload.cjs');
  if (!existsSync(indexHtml) || !existsSync(preload)) {
    dialog.showErrorBox('Cleanroom Studio is not built', `Missing ${existsSync(indexHtml) ? preload : indexHtml}. Run \`npm run build\` in ${paths.root}.`);
    app.exit(2);
    return;
  }

  let backend: StudioBackend;
  try {
    // The desktop app has no flags: CLNRM_DATA_DIR, CLNRM_HTTP_PORT and CLNRM_GRPC_PORT override the defaults.
    // The database works in its own thread (as in `clnrm studio`), so ingest never stalls IPC.
    const workerEntry = join(paths.root, 'dist', 'store-worker.js');
    // Test files (untrusted templates) are parsed in their own thread, never in this one.
    setParseWorkerEntry(pathToFileURL(join(paths.root, 'dist', 'parse-worker.js')));
    backend = await openBackend({
      ...(existsSync(workerEntry) ? { writerThread: pathToFileURL(workerEntry) } : {}),
      dataDir: resolveDataDir(process.env.CLNRM_DATA_DIR, process.cwd(), process.env),
      httpPort: envPort('CLNRM_HTTP_PORT', DEFAULT_HTTP_PORT),
      grpcPort: envPort('CLNRM_GRPC_PORT', DEFAULT_GRPC_PORT),
      cwd: app.getPath('home'),
      env: process.env,
      // Only what the folder and file dialogs return: the page names no path of its own.
      roots: [],
      pickFolder: async () => {
        const window = getWindow();
        const options = { title: 'Open a folder of .clnrm.toml tests', properties: ['openDirectory' as const] };
        const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
        return picked.canceled ? null : (picked.filePaths[0] ?? null);
      },
      demo: { samplesDir: paths.samplesDir, examplesDir: paths.examplesDir },
      onError: report,
    });
  } catch (error) {
    dialog.showErrorBox('Cleanroom Studio cannot start', formatProblem(toProblem(error)));
    app.exit(2);
    return;
  }

  const unregister = registerIpc(backend, getWindow, indexHtml);
  Menu.setApplicationMenu(buildMenu({ backend, getWindow, isDev: !app.isPackaged }));
  mainWindow = createMainWindow(indexHtml, preload);
  app.on('activate', () => {
    if (!getWindow()) mainWindow = createMainWindow(indexHtml, preload);
  });
  app.on('window-all-closed', () => app.quit());

  // Quit waits for the back end: stop runs, drain the receiver into the store, close the store.
  let disposed = false;
  let disposing = false;
  app.on('before-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    if (disposing) return;
    disposing = true;
    unregister();
    backend
      .dispose()
      .catch(report)
      .finally(() => {
        disposed = true;
        app.quit();
      });
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another studio owns the store and the receiver ports: focus it instead.
  app.quit();
} else {
  app.on('second-instance', () => {
    const window = getWindow();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  start().catch((error: unknown) => {
    dialog.showErrorBox('Cleanroom Studio failed', formatProblem(toProblem(error)));
    app.exit(1);
  });
}
