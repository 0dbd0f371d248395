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
  it('prints a one-time link, a new one on Enter, serves the page, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-studio-cmd-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'ui'));
    writeFileSync(join(dir, 'ui/index.html'), '<!doctype html><title>studio</title>');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'cli-child.fixture.ts'), 'studio', '--no-open', '--port', '0', '--http-port', '0', '--grpc-port', '0', '--data-dir', join(dir, 'data'), '--ui-dir', join(dir, 'ui')],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const links = (): string[] => [...stdout.matchAll(/Cleanroom Studio: (http:\/\/127\.0\.0\.1:\d+\/\?code=[A-Za-z0-9_-]{43})/g)].map((m) => m[1]!);
    const printed = (count: number) =>
      new Promise<string[]>((resolve, reject) => {
        const check = () => {
          if (links().length >= count) resolve(links());
        };
        child.stdout.on('data', check);
        check();
        void exited.then((code) => reject(new Error(`studio exited (${code}) before printing ${count} links: ${stderr}`)));
      });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const [url] = await printed(1);
    expect(await status(url!)).toBe(200);
    child.stdin.write('\n');
    const [, second] = await printed(2);
    expect(new URL(second!).origin).toBe(new URL(url!).origin);
    expect(second).not.toBe(url);
    expect(stderr).toMatch(/press Enter for a new link/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('studio: stopped.');
    // The port is closed once the process is gone.
    await expect(status(url!)).rejects.toThrow();
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
