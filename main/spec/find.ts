// Finds test files: directories are searched recursively for `*.clnrm.toml`; files named directly
// are accepted when they end in `.toml`. A path that does not exist is an error, not an empty result.
// Symlinks are not followed (a link inside the folder cannot lead the walk out of it), and the
// kernel's virtual file systems are never walked.
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StudioError } from '../../shared/errors';

const SKIP = new Set(['node_modules', '.git', 'dist', 'target']);
/** Process and device entries: huge, changing under the walk, and never test files. */
const VIRTUAL = new Set(['/proc', '/sys', '/dev']);

export interface FindOptions {
  /**
   * Skip sub-folders that cannot be read or vanished during the walk (the studio listing a big
   * folder such as `/`), instead of failing. The folders named in `paths` must still be readable.
   */
  skipUnreadable?: boolean;
}

/** Absolute, sorted, de-duplicated paths of the test files under `paths` (relative to `cwd`). */
export async function findTestFiles(paths: string[], cwd = process.cwd(), options: FindOptions = {}): Promise<string[]> {
  const found = new Set<string>();
  for (const given of paths) {
    const path = resolve(cwd, given);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new StudioError({ code: 'cli.usage', message: `no such file or directory: ${given}`, file: given });
    if (info.isFile()) {
      if (!path.endsWith('.toml')) {
        throw new StudioError({ code: 'cli.usage', message: `${given} is not a .toml file (test files are named *.clnrm.toml)`, file: given });
      }
      found.add(path);
      continue;
    }
    // Iterative walk (explicit stack) so deep trees cannot exhaust the call stack.
    const stack = [path];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        if (options.skipUnreadable && dir !== path) return [];
        throw new StudioError({ code: 'io.read', message: `cannot read directory ${dir}: ${error.code ?? error.message}`, file: dir });
      });
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory() && !SKIP.has(entry.name) && !VIRTUAL.has(full)) stack.push(full);
        else if (entry.isFile() && entry.name.endsWith('.clnrm.toml')) found.add(full);
      }
    }
  }
  return [...found].sort();
}
