// The stats sampler on the real engine: a container that idles, burns CPU, idles — its CPU series is low,
// high, low at the known phase times; one that holds a known buffer — memory rises by about its size; the
// asked interval is kept (and raised to the engine's 1 s tick). Skips loudly without Docker; fails under CI=true.
import type Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { executionLabels, newExecutionIdentity } from './labels';
import type { ContainerStatsSample } from './stats';
import { ENGINE_STATS_TICK_MS } from '../../shared/spec/schema/v2';
import { startStatsSampler } from './stats-sampler';
import { announceDockerSkip, BUSYBOX, eventually, probeDocker } from './test-support';

const probe = await probeDocker();
announceDockerSkip('stats sampler', probe);
const MB = 1024 * 1024;

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the test images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe.skipIf(!probe.docker)('stats sampler (real engine)', () => {
  const docker = probe.docker!;
  const containers: Docker.Container[] = [];
  afterEach(async () => {
    await Promise.all(containers.splice(0).map((c) => c.remove({ force: true })));
  });

  /** Runs `script` in a fresh busybox container, sampled from its start until it exits. */
  const sampleRun = async (script: string, intervalMs?: number) => {
    const container = await docker.createContainer({ Image: BUSYBOX, Cmd: ['sh', '-c', script], Labels: executionLabels(newExecutionIdentity(), 'stats') });
    containers.push(container);
    await container.start();
    const samples: ContainerStatsSample[] = [];
    const sampler = startStatsSampler(docker, [{ service: 'probe', containerId: container.id }], intervalMs, (s) => samples.push(s));
    await container.wait();
    await sampler.stop();
    const startedAt = Date.parse(((await container.inspect()).State as { StartedAt: string }).StartedAt);
    return { samples, startedAt, intervalMs: sampler.intervalMs };
  };
  /** Each sample with the window it covers, in seconds since the container started. */
  const windows = (samples: ContainerStatsSample[], startedAt: number, intervalMs: number) =>
    samples.map((s, i) => ({ from: ((i > 0 ? samples[i - 1]!.at : s.at - intervalMs) - startedAt) / 1000, to: (s.at - startedAt) / 1000, cpu: s.cpuPercent }));

  it('CPU: low while idle, high while a busy loop runs (3-6 s), low again — at the right times', async () => {
    const { samples, startedAt, intervalMs } = await sampleRun("sleep 3; sh -c 'while :; do :; done' & p=$!; sleep 3; kill $p; sleep 3");
    const w = windows(samples, startedAt, intervalMs);
    const margin = 0.3; // the shell's own start and the engine's read times
    const idle = w.filter((x) => x.to < 3 - margin || x.from > 6 + margin);
    const busy = w.filter((x) => x.from > 3 + margin && x.to < 6 - margin);
    // The 2 cores are shared with other test runs: a busy loop gets a share, so compare with clear bounds.
    expect(idle.filter((x) => x.to < 3).length, JSON.stringify(w)).toBeGreaterThanOrEqual(1);
    expect(idle.filter((x) => x.from > 6).length, JSON.stringify(w)).toBeGreaterThanOrEqual(1);
    expect(busy.length, JSON.stringify(w)).toBeGreaterThanOrEqual(1);
    for (const x of idle) expect(x.cpu, JSON.stringify(x)).toBeLessThan(5);
    for (const x of busy) expect(x.cpu, JSON.stringify(x)).toBeGreaterThan(30);
    // Every high sample's window overlaps the busy phase.
    for (const x of w.filter((y) => y.cpu > 30)) expect(x.to > 3 && x.from < 6, JSON.stringify(x)).toBe(true);
  });

  it('memory: rises by about the 64 MiB a process holds, and samples keep their engine timestamps', async () => {
    // dd's 64 MiB buffer stays allocated while it blocks writing into the pipe that sleep never reads.
    const { samples, startedAt } = await sampleRun('sleep 2; dd if=/dev/zero bs=64M count=1 2>/dev/null | sleep 3; sleep 2');
    const before = samples.filter((s) => s.at - startedAt < 1800).map((s) => s.memoryBytes);
    const held = samples.filter((s) => s.at - startedAt > 2800 && s.at - startedAt < 4800).map((s) => s.memoryBytes);
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(held.length).toBeGreaterThanOrEqual(1);
    const rise = Math.max(...held) - Math.max(...before);
    expect(rise).toBeGreaterThan(56 * MB);
    expect(rise).toBeLessThan(80 * MB);
    const ats = samples.map((s) => s.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(ats[0]!).toBeGreaterThan(startedAt);
  });

  it('keeps the asked interval (2 s), and raises 500 ms to the engine tick (1 s)', async () => {
    const gaps = (samples: ContainerStatsSample[]) => samples.slice(1).map((s, i) => s.at - samples[i]!.at);
    const slow = await sampleRun('sleep 7', 2000);
    expect(slow.intervalMs).toBe(2000);
    expect(slow.samples.length).toBeGreaterThanOrEqual(2);
    for (const gap of gaps(slow.samples)) expect(gap > 1900 && gap < 2300, `gap ${gap} ms`).toBe(true);
    const fast = await sampleRun('sleep 4', 500);
    expect(fast.intervalMs).toBe(ENGINE_STATS_TICK_MS);
    expect(fast.samples.length).toBeGreaterThanOrEqual(2);
    for (const gap of gaps(fast.samples)) expect(gap > 900 && gap < 1300, `gap ${gap} ms`).toBe(true);
  });

  it('stops at once: no sample after stop, and stop resolves with every stream closed', async () => {
    const container = await docker.createContainer({ Image: BUSYBOX, Cmd: ['sleep', '60'], Labels: executionLabels(newExecutionIdentity(), 'stats') });
    containers.push(container);
    await container.start();
    const samples: ContainerStatsSample[] = [];
    const sampler = startStatsSampler(docker, [{ service: 'a', containerId: container.id }, { service: 'gone', containerId: 'no-such-container' }], 1000, (s) => samples.push(s));
    await eventually(() => samples.length > 0, 10_000, 'a first sample');
    const asked = Date.now();
    await sampler.stop();
    expect(Date.now() - asked).toBeLessThan(500);
    // Stopped while its stream is still connecting: aborted, nothing delivered.
    const early = startStatsSampler(docker, [{ service: 'a', containerId: container.id }], 1000, (s) => samples.push(s));
    await early.stop();
    const count = samples.length;
    await container.stop({ t: 0 });
    expect(samples.length).toBe(count);
    expect(samples.every((s) => s.service === 'a')).toBe(true);
  });
});
