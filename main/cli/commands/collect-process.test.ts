// `node bin/clnrm.js collect` as a real child process (after bundling): it listens, stores what it
// receives, and on SIGTERM stops cleanly with everything flushed.
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
  it('receives, then stops on SIGTERM with the spans stored', async () => {
    const child = spawn(process.execPath, ['bin/clnrm.js', 'collect', '--http-port', '0', '--grpc-port', '0', '--data-dir', dir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
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
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`Stopped\\. ${spans.length} spans`));
    const store = await openStore({ dataDir: dir });
    try {
      expect((await store.getSpans('all')).length).toBe(spans.length);
    } finally {
      await store.dispose();
    }
  });
});
