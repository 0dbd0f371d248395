// Serving the built UI (dist/renderer) to the browser: correct content types, nothing outside the
// folder (no `..`, no encoded separators, no symlinks leading out), and the page's entry HTML with
// the browser-mode client script added so `window.api` exists before the UI starts.
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** URL path of the browser-mode client script (served from outside the renderer folder). */
export const CLIENT_SCRIPT_PATH = '/__studio/browser-api.js';

export type StaticResult =
  | { kind: 'file'; body: Buffer; type: string; html: boolean }
  | { kind: 'error'; status: 400 | 403 | 404; message: string };

function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

function inside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/** Adds the client script before the page's own scripts (module scripts run in document order). */
export function withClientScript(html: string): string {
  const tag = `<script type="module" src=".${CLIENT_SCRIPT_PATH}"></script>`;
  const at = html.search(/<script\b/i);
  if (at >= 0) return html.slice(0, at) + tag + '\n    ' + html.slice(at);
  const head = html.search(/<\/head>/i);
  return head >= 0 ? html.slice(0, head) + tag + html.slice(head) : tag + html;
}

export class StaticFiles {
  constructor(
    private readonly root: string,
    private readonly clientScript: string | undefined,
  ) {}

  async get(pathname: string): Promise<StaticResult> {
    let path: string;
    try {
      path = decodeURIComponent(pathname);
    } catch {
      return { kind: 'error', status: 400, message: 'malformed URL encoding' };
    }
    if (path.includes('\0') || path.includes('\\')) return { kind: 'error', status: 400, message: 'bad characters in the path' };
    if (path === CLIENT_SCRIPT_PATH && this.clientScript) return this.read(this.clientScript, false);
    if (path === '/' || path === '') path = '/index.html';
    if (path.split('/').includes('..')) return { kind: 'error', status: 403, message: 'paths may not leave the UI folder' };
    const root = resolve(this.root);
    const file = resolve(root, '.' + path);
    if (!inside(root, file)) return { kind: 'error', status: 403, message: 'paths may not leave the UI folder' };
    // A symlink inside the folder must not lead out of it either.
    const [realRoot, realFile] = await Promise.all([realpath(root).catch(() => root), realpath(file).catch(() => undefined)]);
    if (realFile === undefined) return { kind: 'error', status: 404, message: `not found: ${path}` };
    if (!inside(realRoot, realFile)) return { kind: 'error', status: 403, message: 'paths may not leave the UI folder' };
    return this.read(realFile, path === '/index.html');
  }

  private async read(file: string, entryPage: boolean): Promise<StaticResult> {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return { kind: 'error', status: 404, message: 'not found' };
    const body = await readFile(file);
    const type = contentType(file);
    if (entryPage && this.clientScript) return { kind: 'file', body: Buffer.from(withClientScript(body.toString('utf8'))), type, html: true };
    return { kind: 'file', body, type, html: type.startsWith('text/html') };
  }
}
