// The host file: how a running studio tells CLI commands that it holds a data folder and how to reach
// its store. `studio-host.json` in the data folder names the studio's pid, its loopback API and a
// random secret; it is written atomically with mode 0600 (only this user may read the secret) and
// removed on a clean exit. A reader trusts it only when it is a regular file of this user that no one
// else can read, well-formed, and its pid is alive; otherwise it says why and the command opens the
// folder itself (a stale file is replaced by the next studio that opens the folder).
import { lstat, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '../../shared/errors';
import { HOST_API_VERSION, HostFileSchema, type HostFile } from '../../shared/ipc/host-api';

export const HOST_FILE = 'studio-host.json';
const MAX_HOST_FILE_BYTES = 4096;

export type HostFileRead =
  | { readonly kind: 'none' }
  /** Left by a studio that is gone (its pid is dead): ignored. */
  | { readonly kind: 'stale'; readonly reason: string }
  /** Not to be believed (another user's, readable by others, malformed, another API version). */
  | { readonly kind: 'untrusted'; readonly reason: string }
  | { readonly kind: 'found'; readonly host: HostFile; readonly path: string };

export function hostFilePath(dataDir: string): string {
  return join(dataDir, HOST_FILE);
}

/** Whether a process with this pid exists (EPERM: it does, but is another user's). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes the host file atomically (a private temporary file renamed over any stale one). */
export async function writeHostFile(dataDir: string, host: Omit<HostFile, 'version'>): Promise<string> {
  const path = hostFilePath(dataDir);
  const temporary = `${path}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  try {
    // 'wx' + 0600: created fresh by us, never through a link someone planted, never readable by others.
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify({ version: HOST_API_VERSION, ...host }, null, 2) + '\n');
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new StudioError({ code: 'io.write', message: `Cannot write the studio's host file ${path}: ${(error as Error).message}. CLI commands will not find this studio.`, file: path });
  }
  return path;
}

/** Removes the host file if it is still ours (same secret); a file another studio wrote is left alone. */
export async function removeHostFile(dataDir: string, secret: string): Promise<void> {
  const read = await readHostFile(dataDir);
  if (read.kind === 'found' && read.host.secret === secret) await rm(read.path, { force: true });
}

/** Reads and judges the host file of a data folder. Never throws: a file it cannot use says why. */
export async function readHostFile(dataDir: string): Promise<HostFileRead> {
  const path = hostFilePath(dataDir);
  const info = await lstat(path).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : error));
  if (info === undefined) return { kind: 'none' };
  if (info instanceof Error) return { kind: 'untrusted', reason: `${path} cannot be read: ${info.message}` };
  if (!info.isFile()) return { kind: 'untrusted', reason: `${path} is not a regular file` };
  if (info.size > MAX_HOST_FILE_BYTES) return { kind: 'untrusted', reason: `${path} is ${info.size} bytes, too large to be a host file` };
  // Windows has neither owners by number nor Unix modes; its profile folders are private already.
  if (typeof process.getuid === 'function') {
    if (info.uid !== process.getuid()) return { kind: 'untrusted', reason: `${path} belongs to another user (uid ${info.uid})` };
    if ((info.mode & 0o077) !== 0) return { kind: 'untrusted', reason: `${path} can be read by other users (mode ${(info.mode & 0o777).toString(8)}; a studio writes it 600)` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return { kind: 'untrusted', reason: `${path} is not a host file: ${(error as Error).message}` };
  }
  const checked = HostFileSchema.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { kind: 'untrusted', reason: `${path} is not a host file: ${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}` };
  }
  const host = checked.data;
  if (!pidAlive(host.pid)) return { kind: 'stale', reason: `${path} names pid ${host.pid}, which is not running` };
  if (host.version !== HOST_API_VERSION) return { kind: 'untrusted', reason: `${path} is for store host API version ${host.version}; this clnrm speaks ${HOST_API_VERSION} (use the same version of clnrm for both)` };
  return { kind: 'found', host, path };
}
