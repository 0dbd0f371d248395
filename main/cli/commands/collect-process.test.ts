// `node bin/clnrm.js collect` as a real child process (after bundling): it listens, stores what it
// receives, and on SIGTERM — or SIGHUP, its terminal closed — stops cleanly with everything flushed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOtlpProtobuf } from '../../../shared/otlp';
import { sampleSpans } from '../../../shared/otlp/fixtures/sample-spans';
import { post } from '../../receiver/test-client';
import { openStore } from '../../store';

const root = join(import.meta.dirname, '../../..');
let dir: string;
beforeAll(() => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--skip-renderer'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
  dir = mkdtempSync(join(tmpdir(), 'clnrm-collect-'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clnrm collect (child process)', () => {
  it.each([
    ['SIGTERM', 1],
    ['SIGHUP', 1],
    // A process group's signal and a parent's forwarded copy arrive together: the second must not cut the stop short.
    ['SIGTERM', 2],
  ] as const)('receives, then stops on %s (sent %i×) with the spans stored', async (signal, times: number) => {
    const dataDir = join(dir, `${signal}-${times}`);
    const child = spawn(process.execPath, ['bin/clnrm.js', 'collect', '--http-port', '0', '--grpc-port', '0', '--data-dir', dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!/127\.0\.0\.1:(\d+)\/v1\/traces/.test(stdout)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`collect did not start: ${stdout}${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const port = Number(/127\.0\.0\.1:(\d+)\/v1\/traces/.exec(stdout)![1]);
    const spans = sampleSpans();
    expect((await post(port, '/v1/traces', encodeOtlpProtobuf(spans), { 'content-type': 'application/x-protobuf' })).status).toBe(200);
    child.kill(signal);
    if (times === 2) {
      // The second copy while the first one's clean stop is under way.
      while (!stderr.includes('collect: stopping') && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
      child.kill(signal);
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`Stopped\\. ${spans.length} spans`));
    const store = await openStore({ dataDir });
    try {
      expect((await store.getSpans('all')).length).toBe(spans.length);
    } finally {
      await store.dispose();
    }
  });
});
