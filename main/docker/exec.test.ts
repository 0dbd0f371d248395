// exec in a running service container and run-to-completion in a fresh one: same result shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioError } from '../../shared/errors';
import { runToCompletion } from './exec';
import { ServiceSet } from './service-set';
import { announceDockerSkip, BUSYBOX, probeDocker } from './test-support';

const probe = await probeDocker();
announceDockerSkip('exec', probe);

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the test images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

const script = 'echo out; echo err >&2; echo "$FOO"; pwd; exit 7';

describe.skipIf(!probe.docker)('exec and run-to-completion (real engine)', () => {
  const docker = probe.docker!;
  let set: ServiceSet;
  beforeAll(async () => {
    set = new ServiceSet(docker, { services: [{ id: 'box', image: BUSYBOX, command: ['sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait'] }] });
    await set.start();
  });
  afterAll(async () => {
    await set?.dispose();
  });

  it('exec: demuxed stdout/stderr, exit code, env and workdir', async () => {
    const result = await set.exec('box', { cmd: ['sh', '-c', script], env: { FOO: 'bar baz' }, workdir: '/tmp' });
    expect(result).toMatchObject({ exitCode: 7, stdout: 'out\nbar baz\n/tmp\n', stderr: 'err\n', timedOut: false, droppedBytes: 0 });
  });

  it('exec: a command that outlives its bound is reported as timed out', async () => {
    const result = await set.exec('box', { cmd: ['sleep', '30'], timeoutMs: 500 });
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
  });

  it('exec: output beyond the cap is counted, not kept', async () => {
    const result = await set.exec('box', { cmd: ['sh', '-c', 'head -c 100000 /dev/zero | tr "\\0" x'], maxOutputBytes: 1000 });
    expect(result.stdout.length).toBe(1000);
    expect(result.droppedBytes).toBe(99_000);
  });

  it('exec: a missing executable is a failed result, not a crash', async () => {
    const result = await set.exec('box', { cmd: ['no-such-binary'] });
    expect(result.exitCode).not.toBe(0);
    expect(result.exitCode).not.toBeNull();
  });

  it('stats: one CPU/memory/network sample per running service', async () => {
    const [sample] = await set.stats();
    expect(sample).toMatchObject({ service: 'box' });
    expect(sample!.memoryBytes).toBeGreaterThan(0);
    expect(sample!.memoryLimitBytes).toBeGreaterThan(sample!.memoryBytes);
    expect(sample!.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(sample!.networkRxBytes).toBeGreaterThanOrEqual(0);
    expect(sample!.networkTxBytes).toBeGreaterThanOrEqual(0);
    expect(Math.abs(sample!.at - Date.now())).toBeLessThan(60_000);
  });

  it('run-to-completion: same shape, container removed afterwards', async () => {
    const result = await runToCompletion(docker, { image: BUSYBOX, cmd: ['sh', '-c', script], env: { FOO: 'bar baz' }, workdir: '/tmp', labels: { 'clnrm.test': 'exec' } });
    expect(result).toMatchObject({ exitCode: 7, stdout: 'out\nbar baz\n/tmp\n', stderr: 'err\n', timedOut: false });
    expect(await docker.listContainers({ all: true, filters: { label: ['clnrm.test=exec'] } })).toHaveLength(0);
  });

  it('run-to-completion: a missing image is docker.image-missing, not a bare 404', async () => {
    const error = (await runToCompletion(docker, { image: 'cleanroom/absent:0', cmd: ['true'] }).catch((e: unknown) => e)) as StudioError;
    expect(error.code).toBe('docker.image-missing');
  });

  it('exec in a container that is not running is docker.failed', async () => {
    const other = new ServiceSet(docker, { services: [{ id: 'gone', image: BUSYBOX, command: ['sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait'] }] });
    try {
      await other.start();
      await other.stop();
      const error = (await other.exec('gone', { cmd: ['true'] }).catch((e: unknown) => e)) as StudioError;
      expect(error.code).toBe('docker.failed');
      expect(error.message).toMatch(/not running/);
    } finally {
      await other.dispose();
    }
  });

  it('run-to-completion: a timeout kills the container', async () => {
    const result = await runToCompletion(docker, { image: BUSYBOX, cmd: ['sh', '-c', 'echo started; sleep 30'], timeoutMs: 700, labels: { 'clnrm.test': 'exec-timeout' } });
    expect(result).toMatchObject({ exitCode: null, timedOut: true, stdout: 'started\n' });
    expect(await docker.listContainers({ all: true, filters: { label: ['clnrm.test=exec-timeout'] } })).toHaveLength(0);
  });
});
