import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOST_FILE, hostFilePath, readHostFile, removeHostFile, writeHostFile } from './host-file';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clnrm-host-file-'));
  dirs.push(dir);
  return dir;
}

const SECRET = 'A'.repeat(43);
const entry = (dataDir: string, pid = process.pid) => ({ pid, url: 'http://127.0.0.1:45678', secret: SECRET, dataDir, startedAt: 1 });

/** The pid of a process that has exited (not reused this soon). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('host file', () => {
  it('is written 0600 and read back when its pid is alive', async () => {
    const dir = folder();
    const path = await writeHostFile(dir, entry(dir));
    expect(path).toBe(join(dir, HOST_FILE));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const read = await readHostFile(dir);
    expect(read.kind).toBe('found');
    if (read.kind === 'found') expect(read.host).toMatchObject({ pid: process.pid, secret: SECRET, url: 'http://127.0.0.1:45678', version: 1 });
  });

  it('says none when there is no file', async () => {
    expect(await readHostFile(folder())).toEqual({ kind: 'none' });
  });

  it('calls a file whose pid is dead stale, and a new studio replaces it', async () => {
    const dir = folder();
    const dead = deadPid();
    await writeHostFile(dir, entry(dir, dead));
    const read = await readHostFile(dir);
    expect(read).toEqual({ kind: 'stale', reason: expect.stringContaining(`pid ${dead}, which is not running`) });
    await writeHostFile(dir, entry(dir));
    expect((await readHostFile(dir)).kind).toBe('found');
  });

  it('does not trust a file other users can read', async () => {
    const dir = folder();
    const path = await writeHostFile(dir, entry(dir));
    chmodSync(path, 0o644);
    expect(await readHostFile(dir)).toEqual({ kind: 'untrusted', reason: expect.stringContaining('can be read by other users (mode 644') });
  });

  it.skipIf(typeof process.getuid !== 'function' || process.getuid() !== 0)('does not trust another user’s file (needs root to give it away)', async () => {
    const dir = folder();
    const path = await writeHostFile(dir, entry(dir));
    chownSync(path, 12345, 12345);
    expect(await readHostFile(dir)).toEqual({ kind: 'untrusted', reason: expect.stringContaining('belongs to another user (uid 12345)') });
  });

  it('does not follow a symbolic link or read a malformed file', async () => {
    const dir = folder();
    const elsewhere = join(folder(), 'planted.json');
    writeFileSync(elsewhere, JSON.stringify({ version: 1, ...entry(dir) }), { mode: 0o600 });
    symlinkSync(elsewhere, hostFilePath(dir));
    expect(await readHostFile(dir)).toEqual({ kind: 'untrusted', reason: expect.stringContaining('not a regular file') });
    rmSync(hostFilePath(dir));
    writeFileSync(hostFilePath(dir), '{"version":1,"pid":1,"url":"http://example.com:80"', { mode: 0o600 });
    expect((await readHostFile(dir)).kind).toBe('untrusted');
    writeFileSync(hostFilePath(dir), JSON.stringify({ version: 1, ...entry(dir), url: 'http://10.0.0.5:4000' }), { mode: 0o600 });
    expect(await readHostFile(dir)).toEqual({ kind: 'untrusted', reason: expect.stringContaining('url: expected http://127.0.0.1:<port>') });
  });

  it('refuses a file from another API version', async () => {
    const dir = folder();
    writeFileSync(hostFilePath(dir), JSON.stringify({ version: 99, ...entry(dir) }), { mode: 0o600 });
    expect(await readHostFile(dir)).toEqual({ kind: 'untrusted', reason: expect.stringContaining('API version 99') });
  });

  it('is removed only by the studio that wrote it', async () => {
    const dir = folder();
    await writeHostFile(dir, entry(dir));
    await removeHostFile(dir, 'B'.repeat(43));
    expect(JSON.parse(readFileSync(hostFilePath(dir), 'utf8'))).toMatchObject({ secret: SECRET });
    await removeHostFile(dir, SECRET);
    expect(await readHostFile(dir)).toEqual({ kind: 'none' });
  });
});
