// The contract's test-file calls: choosing a folder, listing its `*.clnrm.toml` files and
// validating one, on top of main/spec (find, load + parse). Every path goes through UserPaths:
// opening a folder is how one becomes the user's; everything else must lie inside one.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { StudioError } from '../../shared/errors';
import type { CallArgs, CallResponse } from '../../shared/ipc/contract';
import { findTestFiles, loadTestFile } from '../spec';
import { declaredTopology, hostAccess } from '../../shared/spec';
import { plainProblem } from './trace-files';
import type { UserPaths } from './user-paths';

/** Shows a folder picker (desktop only); resolves to null when the user cancels. */
export type FolderPicker = () => Promise<string | null>;

/**
 * The desktop shows its folder dialog (`path` absent) and accepts a typed path only inside folders
 * opened that way; browser mode has no dialog, so its folder prompt (`path`) is how the user opens one.
 */
export async function openFolder(request: CallArgs<'openFolder'>, paths: UserPaths, pick: FolderPicker | undefined): Promise<CallResponse<'openFolder'>> {
  if (request.path === undefined) {
    if (!pick) {
      throw new StudioError({ code: 'ipc.unavailable', message: 'This window cannot show a folder picker (browser mode): type the folder path instead.' });
    }
    const picked = await pick();
    return { folder: picked === null ? null : await paths.addRoot(picked) };
  }
  const folder = pick ? await paths.check(request.path, 'The folder') : paths.resolve(request.path);
  const info = await stat(folder).catch(() => undefined);
  if (!info) throw new StudioError({ code: 'io.read', message: `No such folder: ${folder}`, file: folder });
  if (!info.isDirectory()) throw new StudioError({ code: 'io.read', message: `${folder} is a file, not a folder; open the folder that contains it.`, file: folder });
  return { folder: pick ? folder : await paths.addRoot(folder) };
}

export async function listTestFiles({ folder }: CallArgs<'listTestFiles'>, paths: UserPaths): Promise<CallResponse<'listTestFiles'>> {
  const root = await paths.check(folder, 'The folder');
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new StudioError({ code: 'io.read', message: `No such folder: ${root}`, file: root });
  const found = await findTestFiles([root], root, { skipUnreadable: true });
  const files: CallResponse<'listTestFiles'>['files'] = [];
  for (const path of found) {
    // A file removed between the walk and the stat is simply no longer listed.
    const s = await stat(path).catch(() => undefined);
    if (!s) continue;
    files.push({ path, name: basename(path).replace(/\.clnrm\.toml$/, ''), sizeBytes: s.size, modifiedMs: Math.round(s.mtimeMs) });
  }
  return { files };
}

/** Largest test file whose source the studio shows (real ones are a few KB). */
const MAX_SOURCE_BYTES = 1024 * 1024;

/** A test file's text, inside the user's folders; anything but a `.toml` file is refused. */
export async function readTestFile({ path }: CallArgs<'readTestFile'>, paths: UserPaths): Promise<CallResponse<'readTestFile'>> {
  const file = await paths.check(path, 'The test file');
  if (!file.endsWith('.toml')) throw new StudioError({ code: 'io.read', message: `${file} is not a .toml test file; only test files are shown here.`, file });
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new StudioError({ code: 'io.read', message: `No such file: ${file} (moved or deleted? reopen the folder)`, file });
  if (info.size > MAX_SOURCE_BYTES) throw new StudioError({ code: 'io.read', message: `${file} is ${info.size} bytes; sources over ${MAX_SOURCE_BYTES} bytes are not shown (open it in an editor).`, file });
  return { path: file, text: await readFile(file, 'utf8') };
}

export async function validateFile({ path }: CallArgs<'validateFile'>, paths: UserPaths, env: Record<string, string | undefined>): Promise<CallResponse<'validateFile'>> {
  const loaded = await loadTestFile(await paths.check(path, 'The test file'), env);
  // What the file mounts from the host, for the studio to show (and confirm) before a first run.
  const mounts = loaded.tests[0] ? hostAccess(loaded.tests[0], env.HOME) : [];
  // The hash of the very text whose mounts are listed (not a second read), so a confirmation names what it saw.
  const contentHash = createHash('sha256').update(loaded.source).digest('hex');
  return { ok: loaded.errors.length === 0, problems: loaded.errors.map(plainProblem), warnings: loaded.warnings.map(plainProblem), hostAccess: mounts, contentHash };
}

/**
 * The services the file declares and the calls its dependencies imply, for the service map's
 * comparison with a run. A file that does not load gives its first problem as the error; with a
 * matrix, the first combination's services (combinations share their services' names).
 */
export async function testTopology({ path }: CallArgs<'testTopology'>, paths: UserPaths, env: Record<string, string | undefined>): Promise<CallResponse<'testTopology'>> {
  const loaded = await loadTestFile(await paths.check(path, 'The test file'), env);
  const test = loaded.tests[0];
  if (loaded.errors.length > 0 || test === undefined) {
    const first = loaded.errors[0];
    throw first ? new StudioError(first) : new StudioError({ code: 'toml.shape', message: `${path} declares no test.`, file: path });
  }
  return { testName: test.name, ...declaredTopology(test) };
}

/**
 * One test file the studio was asked to work on (suggestions, the chaos view): inside an opened folder, a
 * `.toml`, parsed and valid, with its first test.
 */
export async function loadOpenedTestFile(paths: UserPaths, env: Record<string, string | undefined>, path: string) {
  const file = await paths.check(path, 'The test file');
  if (!file.endsWith('.toml')) throw new StudioError({ code: 'io.read', message: `${file} is not a .toml test file.`, file });
  const loaded = await loadTestFile(file, env);
  const test = loaded.tests[0];
  if (loaded.errors.length > 0 || test === undefined) {
    throw new StudioError(loaded.errors[0] ?? { code: 'toml.shape', message: `${file} declares no test.`, file });
  }
  return { file, loaded, test };
}
