// `clnrm chaos proxy`: as a child process (sources run through tsx) it serves the Toxiproxy API, a
// Toxiproxy client drives it, and SIGTERM stops it cleanly with its proxies closed; bad flags exit 2.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Toxiproxy } from 'toxiproxy-node-client';
import { exchange, portOf, startEchoServer } from '../../chaos/proxy/test-support';
import { runCli } from '../testing';

const root = join(import.meta.dirname, '../../..');
const ENTRY = "import('./main/cli/index.ts').then(async (m) => { process.exitCode = await m.main(process.argv); })";

describe('clnrm chaos proxy', () => {
  it('serves the Toxiproxy API until SIGTERM, then stops with its proxies closed', async () => {
    const echo = await startEchoServer();
    const populate = JSON.stringify([{ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` }]);
    const args = ['chaos', 'proxy', '--port', '0', '--dead-man-ms', '60000', '--populate', populate];
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', ENTRY, 'clnrm', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!/listening on (http:\/\/127\.0\.0\.1:\d+)/.test(stdout)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`chaos proxy did not start: ${stdout}${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;
    expect(stdout).toContain('Dead-man timer: faults revert after 60000 ms');
    expect(stdout).toMatch(new RegExp(`Proxy echo: 127\\.0\\.0\\.1:\\d+ → 127\\.0\\.0\\.1:${echo.port}`));
    const proxy = await new Toxiproxy(url).get('echo');
    const port = portOf(proxy.listen);
    expect((await exchange(port, 'through', { halfClose: true })).data.toString()).toBe('through');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);
    expect(code).toBe(0);
    expect(stdout).toContain('Stopped; closed 1 proxy.');
    expect((await exchange(port, 'x')).errorCode).toBe('ECONNREFUSED');
    await echo.close();
  });

  it('rejects bad flags with exit 2 and a reason', async () => {
    const port = await runCli(['chaos', 'proxy', '--port', 'eighty']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/a port is a whole number/);
    const deadMan = await runCli(['chaos', 'proxy', '--dead-man-ms', '5']);
    expect(deadMan.code).toBe(2);
    expect(deadMan.stderr).toMatch(/milliseconds from 100/);
    const host = await runCli(['chaos', 'proxy', '--host', 'not a host']);
    expect(host.code).toBe(2);
    expect(host.stderr).toMatch(/IP address or a host name/);
    const populate = await runCli(['chaos', 'proxy', '--port', '0', '--populate', '[{"name": "x"}]']);
    expect(populate.code).toBe(2);
    expect(populate.stderr).toMatch(/missing required field: upstream at proxy 1 \[chaos.invalid-proxy\]/);
    const notJson = await runCli(['chaos', 'proxy', '--port', '0', '--populate', '@/nonexistent/proxies.json']);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/cannot read \/nonexistent\/proxies.json: ENOENT/);
  });
});
