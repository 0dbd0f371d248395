// The studio's one window, locked down: context isolation, sandbox, no Node in the page, web
// security on; the page may not navigate anywhere or open windows (links go to the system browser
// when they are http(s)); permission requests are refused; a strict Content-Security-Policy.
import { BrowserWindow, session, shell } from 'electron';
import { pageUrl } from './ipc';

/** Same policy as the page's own meta tag; sent as a header wherever Electron lets us set one. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

let hardened = false;

/** Session-wide rules (once): CSP header on every response, no permissions granted. */
export function hardenSession(): void {
  if (hardened) return;
  hardened = true;
  const ses = session.defaultSession;
  // The policy matters on documents; the page's own <meta> policy also applies (both must allow).
  ses.webRequest.onHeadersReceived((details, callback) => {
    if (details.resourceType !== 'mainFrame' && details.resourceType !== 'subFrame') return callback({});
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

function openExternally(url: string): void {
  try {
    const { protocol } = new URL(url);
    if (protocol === 'https:' || protocol === 'http:') void shell.openExternal(url);
  } catch {
    // Not a URL: nothing to open.
  }
}

export function createMainWindow(indexHtml: string, preload: string): BrowserWindow {
  hardenSession();
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Cleanroom Studio',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const page = pageUrl(indexHtml);
  window.webContents.on('will-navigate', (event, url) => {
    // Reloading our own page is fine; anything else is refused (links open in the system browser).
    if (url.split(/[?#]/)[0] === page) return;
    event.preventDefault();
    openExternally(url);
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window.show());
  void window.loadFile(indexHtml);
  return window;
}
