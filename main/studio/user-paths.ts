// The folders and files the user chose, and the one check every path from the page goes through.
// A page (or whoever got hold of its session) must not read, list or run anything else: a path is
// allowed only when it lies inside a root folder — the folder the studio was started in (browser
// mode), folders the user opened (the desktop's folder dialog, the browser page's folder prompt),
// the bundled examples — or is a file the desktop's file dialog returned. `..` is resolved first,
// and symlinks are followed: a link inside a root that leads out of it is refused.
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { StudioError } from '../../shared/errors';

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel));
}

async function real(path: string): Promise<string | undefined> {
  return realpath(path).catch(() => undefined);
}

export class UserPaths {
  /** Each root as given (resolved) and as its real path, so both spellings are recognised. */
  private readonly roots = new Set<string>();
  private readonly files = new Set<string>();

  constructor(private readonly cwd: string) {}

  /** Adds a folder the user opened (or the studio started in). Answers its real path. */
  async addRoot(folder: string): Promise<string> {
    const given = resolve(this.cwd, folder);
    const actual = (await real(given)) ?? given;
    this.roots.add(given).add(actual);
    return actual;
  }

  /** Adds files a file dialog returned (the desktop's Import). */
  async allowFiles(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      const given = resolve(this.cwd, path);
      this.files.add(given).add((await real(given)) ?? given);
    }
  }

  /** `path` resolved against the studio's folder (no check: for a folder the user is opening). */
  resolve(path: string): string {
    return resolve(this.cwd, path);
  }

  private covers(path: string): boolean {
    if (this.files.has(path)) return true;
    for (const root of this.roots) if (inside(root, path)) return true;
    return false;
  }

  /**
   * The real path of `path` (relative paths resolve against the studio's folder) when it is the
   * user's; otherwise a `studio.path-denied` error. A path outside every root is refused before
   * the disk is touched, so the answer says nothing about what exists elsewhere.
   */
  async check(path: string, what: string): Promise<string> {
    const given = resolve(this.cwd, path);
    if (!this.covers(given)) throw this.denied(given, what);
    const actual = await real(given);
    // Missing: the caller's own read reports it (inside a root, saying so leaks nothing).
    if (actual === undefined) return given;
    if (!this.covers(actual)) throw this.denied(given, what, actual);
    return actual;
  }

  private denied(path: string, what: string, target?: string): StudioError {
    const via = target === undefined ? '' : ` (it leads to ${target})`;
    return new StudioError({
      code: 'studio.path-denied',
      message: `${what} ${path}${via} is outside the folders you opened; open its folder first (Open folder) and try again.`,
      file: path,
    });
  }
}
