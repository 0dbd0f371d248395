// validate / fmt / init in-process: exit codes, human and JSON output, files written or not.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../testing';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clnrm-cli-spec-'));
  dirs.push(d);
  return d;
}

const VALID = `[meta]\nname = "t"\nversion = "1"\n\n[[scenario]]\nname = "s"\nrun = "true"\n`;
const INVALID = `[meta]\nname = "t"\nversion = "1"\n\n[[scenario]]\nname = "s"\nrun = "true"\nservice = "api"\n`;
const WARNING = `${VALID}\n[otell]\nexporter = "otlp"\n`;

describe('clnrm validate', () => {
  it('exits 0 for valid files (warnings allowed) and prints compiler-style lines and a summary', async () => {
    const d = tempDir();
    mkdirSync(join(d, 'tests'));
    writeFileSync(join(d, 'tests', 'a.clnrm.toml'), VALID);
    writeFileSync(join(d, 'tests', 'b.clnrm.toml'), WARNING);
    const r = await runCli(['validate', 'tests'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tests/b.clnrm.toml:9:1: warning: unknown key `otell` at the top level — did you mean `otel`?');
    expect(r.stdout).toContain('2 files checked: 2 valid, 0 invalid (0 errors, 1 warning)');
  });

  it('exits 1 for an invalid file, with file:line:col and code', async () => {
    const d = tempDir();
    writeFileSync(join(d, 'x.clnrm.toml'), INVALID);
    const r = await runCli(['validate', 'x.clnrm.toml'], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('x.clnrm.toml:8:11: error: scenario `s` names service `api`, which is not declared (no services are declared) [spec.reference]');
    expect(r.stdout).toContain('1 file checked: 0 valid, 1 invalid (1 error, 0 warnings)');
  });

  it('prints exactly the JSON shape with --format json', async () => {
    const d = tempDir();
    writeFileSync(join(d, 'a.clnrm.toml'), WARNING);
    writeFileSync(join(d, 'b.clnrm.toml'), INVALID);
    const r = await runCli(['validate', '--format', 'json', '.'], { cwd: d });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toEqual([
      { file: 'a.clnrm.toml', valid: true, errors: [], warnings: [{ code: 'toml.unknown-key', message: expect.any(String), line: 9, column: 1 }] },
      { file: 'b.clnrm.toml', valid: false, errors: [{ code: 'spec.reference', message: expect.any(String), line: 8, column: 11 }], warnings: [] },
    ]);
  });

  it('exits 2 for a missing path or a directory without test files', async () => {
    const d = tempDir();
    expect((await runCli(['validate', 'nope'], { cwd: d })).code).toBe(2);
    const empty = await runCli(['validate', '.'], { cwd: d });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no *.clnrm.toml files found');
    expect((await runCli(['validate'], { cwd: d })).code).toBe(2);
  });
});

describe('clnrm fmt', () => {
  const MESSY = `[[scenario]]\nname="s"\nrun = "true"  # why\n[meta]\n# the name\nname = "t"\nversion="1"\n`;
  const FORMATTED = `[meta]\n# the name\nname = "t"\nversion = "1"\n\n[[scenario]]\nname = "s"\nrun = "true"  # why\n`;

  it('--check lists unformatted files, writes nothing and exits 1', async () => {
    const d = tempDir();
    writeFileSync(join(d, 'a.clnrm.toml'), MESSY);
    writeFileSync(join(d, 'b.clnrm.toml'), FORMATTED);
    const r = await runCli(['fmt', '--check', '.'], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stdout.trim()).toBe('a.clnrm.toml');
    expect(readFileSync(join(d, 'a.clnrm.toml'), 'utf8')).toBe(MESSY);
  });

  it('rewrites files canonically, keeping comments; a second run changes nothing', async () => {
    const d = tempDir();
    writeFileSync(join(d, 'a.clnrm.toml'), MESSY);
    const r = await runCli(['fmt', 'a.clnrm.toml'], { cwd: d });
    expect(r.code).toBe(0);
    expect(readFileSync(join(d, 'a.clnrm.toml'), 'utf8')).toBe(FORMATTED);
    const again = await runCli(['fmt', '--check', 'a.clnrm.toml'], { cwd: d });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
  });

  it('reports invalid TOML with its position and exits 1', async () => {
    const d = tempDir();
    writeFileSync(join(d, 'a.clnrm.toml'), '[meta\n');
    const r = await runCli(['fmt', 'a.clnrm.toml'], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^a\.clnrm\.toml:1:\d+: error: .*\[toml\.syntax\]/m);
  });
});

describe('clnrm init', () => {
  it('writes a valid starter test and never overwrites without --force', async () => {
    const d = tempDir();
    const r = await runCli(['init', '--name', 'checkout'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created tests/checkout.clnrm.toml');
    const check = await runCli(['validate', 'tests'], { cwd: d });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('1 file checked: 1 valid, 0 invalid (0 errors, 0 warnings)');
    expect((await runCli(['fmt', '--check', 'tests'], { cwd: d })).code).toBe(0);

    writeFileSync(join(d, 'tests', 'checkout.clnrm.toml'), '# mine\n');
    const again = await runCli(['init', '--name', 'checkout'], { cwd: d });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; use --force');
    expect(readFileSync(join(d, 'tests', 'checkout.clnrm.toml'), 'utf8')).toBe('# mine\n');
    expect((await runCli(['init', '--name', 'checkout', '--force'], { cwd: d })).code).toBe(0);
    expect(readFileSync(join(d, 'tests', 'checkout.clnrm.toml'), 'utf8')).toContain('name = "checkout"');
  });

  it('writes into DIR and rejects a bad name', async () => {
    const d = tempDir();
    expect((await runCli(['init', 'suite'], { cwd: d })).code).toBe(0);
    expect(readFileSync(join(d, 'suite', 'smoke.clnrm.toml'), 'utf8')).toContain('[service.api]');
    expect((await runCli(['init', '--name', '../evil'], { cwd: d })).code).toBe(2);
  });
});
