// A recording stand-in for the `electron` module, for testing the shell's wiring where the Electron
// binary cannot run (these machines): it keeps what the shell registers (windows and their options,
// IPC handlers, app listeners, the menu template, session hooks) so tests can drive and inspect it.
// Test support only; never bundled.
type Listener = (...args: unknown[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }
}

export class FakeWebContents extends Emitter {
  readonly sent: unknown[][] = [];
  windowOpenHandler: ((details: { url: string }) => unknown) | undefined;
  send(...args: unknown[]): void {
    this.sent.push(args);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends Emitter {
  static all: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loaded: string | undefined;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.all.push(this);
  }
  loadFile(path: string): Promise<void> {
    this.loaded = path;
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  show(): void {}
  restore(): void {}
  focus(): void {}
}

export function createFakeElectron(appPath: string) {
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    quitCalls: 0,
    exitCode: undefined as number | undefined,
    whenReady: () => Promise.resolve(),
    getAppPath: () => appPath,
    getPath: () => appPath,
    getVersion: () => '0.0.0-test',
    requestSingleInstanceLock: () => true,
    quit() {
      app.quitCalls++;
      // Like Electron: quitting emits before-quit, whose listeners may prevent it.
      let prevented = false;
      app.emit('before-quit', { preventDefault: () => (prevented = true) });
      return prevented;
    },
    exit(code: number) {
      app.exitCode = code;
    },
  });
  const handlers = new Map<string, Listener>();
  const session = {
    headersHook: undefined as Listener | undefined,
    permissionHandler: undefined as Listener | undefined,
  };
  const menus: unknown[] = [];
  return {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handlers,
      handle: (channel: string, fn: Listener) => handlers.set(channel, fn),
      removeHandler: (channel: string) => handlers.delete(channel),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: Listener) => (session.headersHook = fn) },
        setPermissionRequestHandler: (fn: Listener) => (session.permissionHandler = fn),
        setPermissionCheckHandler: () => undefined,
      },
    },
    sessionHooks: session,
    dialog: {
      showErrorBox: (title: string, message: string) => {
        throw new Error(`unexpected error box: ${title}: ${message}`);
      },
      showMessageBox: () => Promise.resolve({ response: 0 }),
      /** What the next showOpenDialog calls answer (the user's picks), in order; then: cancelled. */
      openAnswers: [] as string[][],
      showOpenDialog(...args: unknown[]) {
        void args;
        const picked = this.openAnswers.shift();
        return Promise.resolve(picked ? { canceled: false, filePaths: picked } : { canceled: true, filePaths: [] });
      },
      showSaveDialog: () => Promise.resolve({ canceled: true }),
    },
    Menu: {
      menus,
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: (menu: unknown) => menus.push(menu),
    },
    shell: { opened: [] as string[], openExternal(url: string) { this.opened.push(url); return Promise.resolve(); } },
    nativeTheme: { themeSource: 'system' },
  };
}
