import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('clnrm studio (child process)', () => {
  it('prints the URL, serves the page behind the token, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-studio-cmd-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'ui'));
    writeFileSync(join(dir, 'ui/index.html'), '<!doctype html><title>studio</title>');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'cli-child.fixture.ts'), 'studio', '--no-open', '--port', '0', '--http-port', '0', '--grpc-port', '0', '--data-dir', join(dir, 'data'), '--ui-dir', join(dir, 'ui')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /Cleanroom Studio: (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43})/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`studio exited (${code}) before printing its URL: ${stderr}`)));
    });
    expect(await status(url)).toBe(200);
    expect(await status(url.replace(/\?token=.*/, ''))).toBe(401);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('studio: stopped.');
    // The port is closed once the process is gone.
    await expect(status(url)).rejects.toThrow();
  });

  it('refuses to start without a built UI, with a usage exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-studio-cmd-'));
    dirs.push(dir);
    const { runCli } = await import('../cli/testing');
    const r = await runCli(['studio', '--no-open', '--ui-dir', dir, '--http-port', '0', '--grpc-port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the UI is not built/);
  });
});
