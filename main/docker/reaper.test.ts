// Crash cleanup: a child process that created containers is SIGKILLed; reapLeftovers removes its
// containers, network and volume but leaves live runs alone. And SIGTERM runs the signal cleanup.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { processAlive, reapLeftovers } from './reaper';
import { announceDockerSkip, countLabelled, probeDocker } from './test-support';

const probe = await probeDocker();
announceDockerSkip('reaper', probe);
const fixture = fileURLToPath(new URL('./fixtures/owner-process.ts', import.meta.url));

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the test images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe('processAlive', () => {
  it('knows this process, rejects a reused pid (started after the owner) and a dead one', async () => {
    const started = Date.now() - process.uptime() * 1000;
    expect(processAlive(process.pid, started)).toBe(true);
    expect(processAlive(process.pid, started - 60_000)).toBe(false);
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.once('exit', r));
    expect(processAlive(child.pid!, Date.now())).toBe(false);
  });
});

function startOwner(runId: string, mode = ''): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, runId, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`owner process not ready in 20 s: ${output}`)), 20_000);
    child.stdout!.on('data', () => {
      if (output.includes(`READY ${runId}`)) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`owner process exited ${code}: ${output}`));
    });
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });

describe.skipIf(!probe.docker)('reapLeftovers and signal cleanup (real engine)', () => {
  const docker = probe.docker!;
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  it('removes every labelled leftover of a SIGKILLed run, and nothing of a live one', { timeout: 60_000 }, async () => {
    const deadRun = `reap${randomBytes(4).toString('hex')}`;
    const liveRun = `live${randomBytes(4).toString('hex')}`;
    const dead = await startOwner(deadRun);
    const live = await startOwner(liveRun);
    children.push(dead.child, live.child);
    expect(await countLabelled(docker, deadRun)).toEqual({ containers: 2, networks: 1, volumes: 1 });

    // While its owner lives, a run is not reaped.
    const first = await reapLeftovers(docker);
    expect(first.executions).not.toContain(deadRun);
    expect(await countLabelled(docker, deadRun)).toEqual({ containers: 2, networks: 1, volumes: 1 });

    dead.child.kill('SIGKILL');
    await exited(dead.child);
    const report = await reapLeftovers(docker);
    expect(report.executions).toContain(deadRun);
    expect(report.executions).not.toContain(liveRun);
    expect(report.errors).toEqual([]);
    expect(await countLabelled(docker, deadRun)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    expect(await countLabelled(docker, liveRun)).toEqual({ containers: 2, networks: 1, volumes: 1 });

    // The age bound reaps even a live owner's run (for engines shared across hosts).
    // Restricted to our run: other suites may have live runs on this engine right now.
    const aged = await reapLeftovers(docker, { olderThanMs: 60_000, now: Date.now() + 3_600_000, onlyExecutionId: liveRun });
    expect(aged.executions).toContain(liveRun);
    expect(await countLabelled(docker, liveRun)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s runs the installed cleanup: containers gone, exit code %i', { timeout: 60_000 }, async (signal, code) => {
    const runId = `sig${randomBytes(4).toString('hex')}`;
    const owner = await startOwner(runId, 'signal');
    children.push(owner.child);
    expect((await countLabelled(docker, runId)).containers).toBe(2);
    owner.child.kill(signal);
    expect(await exited(owner.child)).toBe(code);
    expect(owner.output()).toContain(`CLEANUP ${signal}`);
    expect(await countLabelled(docker, runId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
