// A `clnrm run` killed with SIGKILL mid-scenario leaves labelled containers and a network behind; the
// reaper (which every `clnrm run` calls at start) removes all of them because their owner is dead.
// Also: SIGTERM to a running `clnrm run` cleans up before it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { reapLeftovers } from '../docker';
import { announceDockerSkip, eventually, probeDocker, sleeperTestFile } from '../docker/test-support';

const probe = await probeDocker(['cleanroom/busybox:latest']);
announceDockerSkip('runner crash cleanup', probe);

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

const fixture = fileURLToPath(new URL('./fixtures/run-cli.ts', import.meta.url));
const SLOW_TEST = sleeperTestFile('slow', 300, 'wait_long');

describe.skipIf(!probe.docker)('cleanup after a killed clnrm run', () => {
  const docker = probe.docker!;
  const dir = mkdtempSync(join(tmpdir(), 'clnrm-crash-'));
  const file = join(dir, 'slow.clnrm.toml');
  writeFileSync(file, SLOW_TEST);
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const start = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, 'run', file, '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, output: () => output };
  };
  const owned = (pid: number) => docker.listContainers({ all: true, filters: { label: ['clnrm.managed=true', `clnrm.pid=${pid}`] } });
  const ownedNetworks = (pid: number) => docker.listNetworks({ filters: { label: ['clnrm.managed=true', `clnrm.pid=${pid}`] } });

  it('SIGKILL mid-step: the reaper leaves zero labelled leftovers', { timeout: 60_000 }, async () => {
    const run = start();
    const pid = run.child.pid!;
    // The step is running once the service container is up and the step's output is awaited.
    await eventually(async () => (await owned(pid)).some((c) => c.State === 'running') || run.child.exitCode !== null, 30_000, 'the run to start its service');
    expect(run.child.exitCode, run.output()).toBeNull();
    run.child.kill('SIGKILL');
    await run.exited;
    const left = await owned(pid);
    expect(left.length).toBeGreaterThan(0);
    const executionId = left[0]!.Labels['clnrm.execution_id']!;
    const report = await reapLeftovers(docker, { onlyExecutionId: executionId });
    expect(report.executions).toEqual([executionId]);
    expect((await owned(pid)).length).toBe(0);
    expect((await ownedNetworks(pid)).length).toBe(0);
  });

  it('SIGTERM mid-step: the run removes its containers and network before exiting', { timeout: 60_000 }, async () => {
    const run = start();
    const pid = run.child.pid!;
    await eventually(async () => (await owned(pid)).some((c) => c.State === 'running') || run.child.exitCode !== null, 30_000, 'the run to start its service');
    run.child.kill('SIGTERM');
    const code = await run.exited;
    expect(code, run.output()).toBe(1);
    expect(run.output()).toMatch(/cancelled/);
    expect((await owned(pid)).length).toBe(0);
    expect((await ownedNetworks(pid)).length).toBe(0);
  });
});
