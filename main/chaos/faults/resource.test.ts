// Resource faults on the real engine, each measured from outside (docker inspect, docker stats, df,
// exit codes) and checked reverted. Skips loudly without Docker; fails under CI=true.
import type Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { execInContainer } from '../../docker/exec';
import { executionLabels, newExecutionIdentity } from '../../docker/labels';
import { sampleStats } from '../../docker/stats';
import { announceDockerSkip, BUSYBOX, eventually, probeDocker } from '../../docker/test-support';
import { injectFault } from './index';
import { IDLE, idleService, startRun, type TestRun } from './test-support';

const probe = await probeDocker();
announceDockerSkip('chaos resource faults', probe);
const MB = 1024 * 1024;

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the test images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe.skipIf(!probe.docker)('resource faults (real engine)', () => {
  const docker = probe.docker!;
  const runs: TestRun[] = [];
  const loose: Docker.Container[] = [];
  afterEach(async () => {
    await Promise.all(runs.splice(0).map((r) => r.set.dispose()));
    await Promise.all(loose.splice(0).map((c) => c.remove({ force: true })));
  });
  const start = async (...services: Parameters<typeof startRun>[1]) => {
    const run = await startRun(docker, services);
    runs.push(run);
    return run;
  };
  const hostLimits = async (run: TestRun, id: string) => {
    const host = (await run.inspect(id)).HostConfig as { Memory: number; MemorySwap: number; NanoCpus: number };
    return { memory: host.Memory, swap: host.MemorySwap, cpus: host.NanoCpus / 1e9 };
  };

  it('memory_limit and cpu_limit: docker inspect shows the new limits, then the created ones again', async () => {
    const run = await start(idleService('a', { limits: { memoryMb: 64, cpus: 1 } }), idleService('b'));
    expect(await hostLimits(run, 'a')).toEqual({ memory: 64 * MB, swap: 64 * MB, cpus: 1 });
    const revertMemory = await injectFault(run.target('a'), 'memory_limit', { memory_mb: 32 });
    const revertCpu = await injectFault(run.target('a'), 'cpu_limit', { cpus: 0.25 });
    expect(await hostLimits(run, 'a')).toEqual({ memory: 32 * MB, swap: 32 * MB, cpus: 0.25 });
    await revertMemory();
    await revertCpu();
    expect(await hostLimits(run, 'a')).toEqual({ memory: 64 * MB, swap: 64 * MB, cpus: 1 });

    // No limit at creation: Docker cannot unset one, so the whole engine's memory and CPUs come back.
    const info = (await docker.info()) as { NCPU: number; MemTotal: number };
    const revertB = await injectFault(run.target('b'), 'memory_limit', { memory_mb: 48 });
    const revertBCpu = await injectFault(run.target('b'), 'cpu_limit', { cpus: 0.5 });
    await revertB();
    await revertBCpu();
    expect(await hostLimits(run, 'b')).toEqual({ memory: info.MemTotal, swap: -1, cpus: info.NCPU });
  });

  it('cpu_pressure: docker stats shows the CPU use of the busy loops; after revert the workers are gone', async () => {
    const run = await start(idleService('a'));
    const revert = await injectFault(run.target('a'), 'cpu_pressure', { workers: 2, duration_s: 60 });
    const cpu = async () => (await sampleStats(docker, 'a', run.containerId('a')))!.cpuPercent;
    // Each sample spans about a second. The 2 cores are shared with other test runs (load ~10), so a busy
    // loop gets a share, not a core: compare with the idle container's ~0 %, not with 100 %.
    await eventually(async () => (await cpu()) > 15, 15_000, 'a CPU sample above 15 %');
    await revert();
    const workers = await run.sh('a', 'for p in /proc/[0-9]*; do tr "\\0" " " < $p/cmdline; echo; done | grep -c "^sh -c while"');
    expect(workers.stdout.trim()).toBe('0');
    await eventually(async () => (await cpu()) < 2, 15_000, 'a CPU sample below 2 %');
  });

  it('memory_pressure: docker stats shows the memory held, and it is freed on revert', async () => {
    const run = await start(idleService('a', { limits: { memoryMb: 128 } }));
    const usage = async () => (await sampleStats(docker, 'a', run.containerId('a')))!.memoryBytes;
    const before = await usage();
    const revert = await injectFault(run.target('a'), 'memory_pressure', { memory_mb: 48, duration_s: 60 });
    await eventually(async () => (await usage()) > before + 40 * MB, 10_000, 'memory use to grow by ~48 MB');
    await revert();
    await eventually(async () => (await usage()) < before + 8 * MB, 10_000, 'memory use to drop back');
  });

  it('disk_fill: a write fails with ENOSPC on the filled tmpfs, and works after revert', async () => {
    // A small tmpfs so the test never fills the host's disk; labelled like a run's container.
    const owner = newExecutionIdentity();
    const container = await docker.createContainer({ Image: BUSYBOX, Cmd: IDLE, Labels: executionLabels(owner, 'disk'), HostConfig: { Tmpfs: { '/fill': 'size=8m' } } });
    loose.push(container);
    await container.start();
    const target = { docker, containerId: container.id, runId: owner.runId, engineIsLocal: true };
    const revert = await injectFault(target, 'disk_fill', { size_mb: 16, path: '/fill' });
    const write = () => runShell(docker, container.id, 'dd if=/dev/zero of=/fill/probe bs=1024 count=64 2>&1; echo rc=$?; rm -f /fill/probe');
    expect(await write()).toMatch(/No space left on device[\s\S]*rc=1/);
    await revert();
    expect(await write()).toMatch(/rc=0/);
    expect(await runShell(docker, container.id, 'ls -A /fill | wc -l')).toBe('0');
  });

  it('oom: allocating past the limit OOM-kills the container (exit 137, OOMKilled); no limit is a clear error', async () => {
    const run = await start(idleService('a', { limits: { memoryMb: 32 } }), idleService('b'));
    await injectFault(run.target('a'), 'oom', { margin_mb: 16 });
    expect((await run.inspect('a')).State).toMatchObject({ ExitCode: 137, OOMKilled: true, Running: false });
    await expect(injectFault(run.target('b'), 'oom', {})).rejects.toMatchObject({ code: 'chaos.unavailable', message: expect.stringContaining('needs a memory limit') });
  });
});

async function runShell(docker: Docker, id: string, script: string): Promise<string> {
  return (await execInContainer(docker, id, { cmd: ['sh', '-c', script] })).stdout.trim();
}
