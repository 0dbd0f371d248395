// Atomic writes of test files, with undo. The new text goes to a temporary file in the same directory
// which is flushed and renamed over the target, so readers see the old or the new file, never half
// of one. `undo()` puts the previous content back (or removes a file the write created), and refuses
// when the file changed since, rather than overwrite someone else's edit.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StudioError } from '../../shared/errors';

export interface WriteHandle {
  readonly path: string;
  /** The content before the write; undefined when the write created the file. */
  readonly previous: string | undefined;
  readonly written: string;
  undo(): Promise<void>;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StudioError({ code: 'io.read', message: `cannot read ${path}: ${(error as Error).message}`, file: path });
  }
}

async function replaceAtomically(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const mode = await stat(path).then((s) => s.mode & 0o777).catch(() => 0o644);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new StudioError({ code: 'io.write', message: `cannot write ${path}: ${(error as Error).message}`, file: path });
  }
}

export async function writeFileAtomic(path: string, text: string): Promise<WriteHandle> {
  const previous = await readIfExists(path);
  await replaceAtomically(path, text);
  let undone = false;
  return {
    path,
    previous,
    written: text,
    async undo() {
      if (undone) return;
      const current = await readIfExists(path);
      if (current !== text) {
        throw new StudioError({ code: 'io.write', message: `${path} changed after it was written; not undoing over those changes`, file: path });
      }
      if (previous === undefined) await rm(path, { force: true });
      else await replaceAtomically(path, previous);
      undone = true;
    },
  };
}
