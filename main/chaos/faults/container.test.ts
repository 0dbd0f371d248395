// Container and process faults on the real engine, each measured from outside and checked reverted.
// Skips loudly without Docker; fails under CI=true.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/errors';
import { announceDockerSkip, BUSYBOX, probeDocker } from '../../docker/test-support';
import { injectFault } from './index';
import { idleService, startRun, type TestRun } from './test-support';

const probe = await probeDocker();
announceDockerSkip('chaos container faults', probe);

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the test images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

function get(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/', timeout: 20_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe.skipIf(!probe.docker)('container faults (real engine)', () => {
  const docker = probe.docker!;
  const runs: TestRun[] = [];
  const start = async (...args: Parameters<typeof startRun>[1]) => {
    const run = await startRun(docker, args);
    runs.push(run);
    return run;
  };
  afterEach(async () => {
    await Promise.all(runs.splice(0).map((r) => r.set.dispose()));
  });

  it('container_pause: a request stalls while paused and completes once reverted', async () => {
    const web = { id: 'web', image: BUSYBOX, ports: [8080], command: ['sh', '-c', 'mkdir -p /www && echo hi > /www/index.html && httpd -f -p 8080 -h /www'], waitFor: [{ kind: 'port' as const, port: 8080 }] };
    const run = await start(web);
    const port = run.set.service('web').ports.get(8080)!;
    expect(await get(port)).toBe(200);
    const revert = await injectFault(run.target('web'), 'container_pause', {});
    expect((await run.inspect('web')).State.Paused).toBe(true);
    let settled = false;
    const pending = get(port).finally(() => (settled = true));
    // The measurement itself: no answer in 1.5 s from a server that answered in milliseconds before.
    await new Promise((r) => setTimeout(r, 1500));
    expect(settled).toBe(false);
    await revert();
    expect(await pending).toBe(200);
    expect((await run.inspect('web')).State.Paused).toBe(false);
    await revert(); // twice is fine
  });

  it('container_kill: SIGKILL exits 137; SIGTERM reaches a trap (exit 42); kill says it cannot be reverted', async () => {
    const run = await start(idleService('a'), idleService('b', { command: ['sh', '-c', 'trap "exit 42" TERM; sleep 600 & wait'] }));
    await injectFault(run.target('a'), 'container_kill', {});
    await injectFault(run.target('b'), 'container_kill', { signal: 'SIGTERM' });
    const [a, b] = await Promise.all([docker.getContainer(run.containerId('a')).wait(), docker.getContainer(run.containerId('b')).wait()]);
    expect([a.StatusCode, b.StatusCode]).toEqual([137, 42]);
  });

  it('container_stop and container_restart: stopped then started again; restarted with a new start time', async () => {
    const run = await start(idleService('a'), idleService('b'));
    const revertStop = await injectFault(run.target('a'), 'container_stop', { timeout_s: 1 });
    expect((await run.inspect('a')).State).toMatchObject({ Running: false, ExitCode: 0 });
    await revertStop();
    expect((await run.inspect('a')).State.Running).toBe(true);

    const before = (await run.inspect('b')).State;
    const revertRestart = await injectFault(run.target('b'), 'container_restart', { timeout_s: 1 });
    const after = (await run.inspect('b')).State;
    expect(after.Running).toBe(true);
    expect(Date.parse(after.StartedAt)).toBeGreaterThan(Date.parse(before.StartedAt));
    expect(after.Pid).not.toBe(before.Pid);
    await revertRestart();
    expect((await run.inspect('b')).State.Running).toBe(true);
  });

  it('process_kill: every process of that name gets the signal; an absent name is an error', async () => {
    const run = await start(idleService('a', { command: ['sh', '-c', '(sleep 601 &); (sleep 602 &); (sleep 603 &); exec tail -f /dev/null'], init: true }));
    const count = async () => Number((await run.sh('a', 'n=0; for p in /proc/[0-9]*; do read -r c < $p/comm 2>/dev/null && [ "$c" = sleep ] && n=$((n+1)); done; echo $n')).stdout.trim());
    expect(await count()).toBe(3);
    await injectFault(run.target('a'), 'process_kill', { process_name: 'sleep', signal: 'SIGKILL' });
    expect(await count()).toBe(0);
    await expect(injectFault(run.target('a'), 'process_kill', { process_name: 'nosuchproc' })).rejects.toMatchObject({ code: 'chaos.inject-failed', message: expect.stringContaining('no process named "nosuchproc"') });
  });

  it('rejects bad parameters before touching the engine', async () => {
    const target = { docker, containerId: 'nope', runId: 'r', engineIsLocal: true };
    const error = await injectFault(target, 'container_kill', { signal: 'SIGNOPE' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('chaos.param');
  });
});
