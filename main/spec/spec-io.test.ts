import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync, chmodSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findTestFiles, firstInvalidUtf8, loadTestFile, writeFileAtomic } from './index';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clnrm-spec-'));
  dirs.push(d);
  return d;
}

const VALID = `[meta]\nname = "t"\nversion = "1"\n[[scenario]]\nname = "s"\nrun = "true"\n`;

describe('findTestFiles', () => {
  it('searches directories recursively for *.clnrm.toml and accepts .toml files named directly', async () => {
    const d = tempDir();
    mkdirSync(join(d, 'a', 'b'), { recursive: true });
    mkdirSync(join(d, 'node_modules'));
    writeFileSync(join(d, 'a', 'one.clnrm.toml'), VALID);
    writeFileSync(join(d, 'a', 'b', 'two.clnrm.toml'), VALID);
    writeFileSync(join(d, 'a', 'other.toml'), VALID);
    writeFileSync(join(d, 'node_modules', 'x.clnrm.toml'), VALID);
    expect(await findTestFiles([d])).toEqual([join(d, 'a', 'b', 'two.clnrm.toml'), join(d, 'a', 'one.clnrm.toml')]);
    expect(await findTestFiles(['a/other.toml'], d)).toEqual([join(d, 'a', 'other.toml')]);
  });

  it('fails on a missing path and on a non-toml file', async () => {
    const d = tempDir();
    writeFileSync(join(d, 'x.txt'), '');
    await expect(findTestFiles(['nope'], d)).rejects.toMatchObject({ code: 'cli.usage' });
    await expect(findTestFiles(['x.txt'], d)).rejects.toMatchObject({ code: 'cli.usage' });
  });
});

describe('loadTestFile', () => {
  it('parses a file with its path in every problem', async () => {
    const d = tempDir();
    const path = join(d, 't.clnrm.toml');
    writeFileSync(path, `${VALID}[otel]\nexporter = 1\n`);
    const r = await loadTestFile(path, {});
    expect(r.errors).toEqual([expect.objectContaining({ file: path, line: 8, column: 12, code: 'toml.shape' })]);
  });

  it('reports bytes that are not UTF-8 with their offset and position', async () => {
    const d = tempDir();
    const path = join(d, 'bad.clnrm.toml');
    writeFileSync(path, Buffer.concat([Buffer.from('[meta]\nname = "'), Buffer.from([0xff]), Buffer.from('"\n')]));
    const r = await loadTestFile(path, {});
    expect(r.errors).toEqual([
      expect.objectContaining({ code: 'io.read', line: 2, column: 9, details: { byteOffset: 15 }, message: expect.stringContaining('byte offset 15') }),
    ]);
    expect(firstInvalidUtf8(Buffer.from('héllo ✓ 😀'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1); // a UTF-16 surrogate
  });

  it('reports an unreadable file as io.read', async () => {
    const r = await loadTestFile(join(tempDir(), 'missing.clnrm.toml'), {});
    expect(r.errors[0]).toMatchObject({ code: 'io.read', message: expect.stringContaining('ENOENT') });
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file, keeps its mode, leaves no temp file, and undo restores it', async () => {
    const d = tempDir();
    const path = join(d, 't.clnrm.toml');
    writeFileSync(path, 'old = 1\n');
    chmodSync(path, 0o600);
    const handle = await writeFileAtomic(path, 'new = 2\n');
    expect(readFileSync(path, 'utf8')).toBe('new = 2\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(d)).toEqual(['t.clnrm.toml']);
    expect(handle.previous).toBe('old = 1\n');
    await handle.undo();
    expect(readFileSync(path, 'utf8')).toBe('old = 1\n');
  });

  it('undo of a created file removes it', async () => {
    const path = join(tempDir(), 'new.clnrm.toml');
    const handle = await writeFileAtomic(path, 'a = 1\n');
    await handle.undo();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses to undo over changes made after the write', async () => {
    const path = join(tempDir(), 't.clnrm.toml');
    writeFileSync(path, 'a = 1\n');
    const handle = await writeFileAtomic(path, 'a = 2\n');
    writeFileSync(path, 'a = 3\n');
    await expect(handle.undo()).rejects.toMatchObject({ code: 'io.write' });
    expect(readFileSync(path, 'utf8')).toBe('a = 3\n');
  });

  it('fails with io.write when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(tempDir(), 'no', 'such', 'x.toml'), 'a = 1\n')).rejects.toMatchObject({ code: 'io.write' });
  });
});
