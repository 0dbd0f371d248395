// Revert from labels alone: inject several faults, forget every Revert (as a runner that died would),
// then undo everything knowing only the execution id. Skips loudly without Docker; fails under CI=true.
import { execFile } from 'node:child_process';
import type Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { newExecutionIdentity } from '../docker/labels';
import { reapLeftovers } from '../docker/reaper';
import { ServiceSet } from '../docker/service-set';
import { announceDockerSkip, countLabelled, probeDocker } from '../docker/test-support';
import { injectFault } from './faults';
import { idleService, startRun, type TestRun } from './faults/test-support';
import { revertFaultsFromLabels } from './revert';

const probe = await probeDocker();
announceDockerSkip('chaos revert from labels', probe);
const MB = 1024 * 1024;

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the test images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

function iptablesRules(pid: number): Promise<string> {
  const list = (table: string) => new Promise<string>((resolve, reject) => execFile('nsenter', ['-t', String(pid), '-n', 'iptables', '-t', table, '-S'], (e, out) => (e ? reject(e) : resolve(out))));
  return Promise.all([list('filter'), list('raw')]).then((parts) => parts.join(''));
}

/** The container's event actions (start, pause, destroy…) from `since` (epoch s) until now. */
async function engineActions(docker: Docker, containerId: string, since: number): Promise<string[]> {
  const stream = await docker.getEvents({ since, until: Math.ceil(Date.now() / 1000) + 1, filters: { container: [containerId] } });
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { Action: string }).Action);
}

describe.skipIf(!probe.docker)('revert from labels (real engine)', () => {
  const docker = probe.docker!;
  const runs: TestRun[] = [];
  const disposables: ServiceSet[] = [];
  afterEach(async () => {
    await Promise.all([...runs.splice(0).map((r) => r.set), ...disposables.splice(0)].map((set) => set.dispose()));
  });

  it('undoes pause, iptables rules, limits, a disconnect, workers and a fill file with no process state', async () => {
    const run = await startRun(docker, [idleService('a', { limits: { memoryMb: 64, cpus: 1 } }), idleService('b'), idleService('c', { aliases: ['c-alias'] })]);
    runs.push(run);
    const inject = (service: string, fault: string, params: Record<string, unknown> = {}) => injectFault(run.target(service), fault, params);
    await inject('a', 'packet_loss', { loss_percent: 100 });
    await inject('a', 'dns_failure');
    await inject('a', 'memory_limit', { memory_mb: 32 });
    await inject('a', 'cpu_limit', { cpus: 0.5 });
    await inject('a', 'cpu_pressure', { workers: 1, duration_s: 120 });
    await inject('a', 'disk_fill', { size_mb: 1, path: '/tmp' });
    await inject('c', 'network_disconnect');
    await inject('b', 'container_pause');
    const pidA = (await run.inspect('a')).State.Pid;
    expect((await iptablesRules(pidA)).match(/clnrm:/g)).toHaveLength(3);

    // Every Revert above is dropped: only the engine's state and the labels are left. Workers killed:
    // cpu_pressure's marked shell, its busy loop and its sleep.
    const report = await revertFaultsFromLabels(docker, run.set.executionId);
    expect(report).toEqual({ unpaused: 1, rulesDeleted: 3, limitsRestored: 1, reconnected: 1, workersKilled: 3, errors: [] });

    expect((await run.inspect('b')).State.Paused).toBe(false);
    expect(await iptablesRules(pidA)).not.toContain('clnrm:');
    const host = (await run.inspect('a')).HostConfig as { Memory: number; MemorySwap: number; NanoCpus: number };
    expect([host.Memory, host.MemorySwap, host.NanoCpus]).toEqual([64 * MB, 64 * MB, 1e9]);
    const ping = async (from: string, to: string) => (await run.sh(from, `ping -c 2 -W 2 ${to} >/dev/null 2>&1; echo $?`)).stdout.trim();
    expect(await ping('b', 'a')).toBe('0');
    expect(await ping('b', 'c-alias')).toBe('0');
    expect((await run.sh('a', 'timeout 3 nslookup b >/dev/null 2>&1; echo $?')).stdout.trim()).toBe('0');
    expect((await run.sh('a', 'ls -A /tmp | grep -c clnrm-chaos-fill')).stdout.trim()).toBe('0');
    const loops = await run.sh('a', 'for p in /proc/[0-9]*; do tr "\\0" " " < $p/cmdline; echo; done | grep -c "^sh -c while"');
    expect(loops.stdout.trim()).toBe('0');

    // Nothing left to do the second time.
    expect(await revertFaultsFromLabels(docker, run.set.executionId)).toEqual({ unpaused: 0, rulesDeleted: 0, limitsRestored: 0, reconnected: 0, workersKilled: 0, errors: [] });
  });

  it('the reaper reverts a dead execution\'s faults before removing its resources', async () => {
    // An owner on another host, reaped only by age (olderThanMs: 0 below): a `clnrm run` in another test
    // file reaps every dead owner of this host at its start, and must not race us for this execution.
    const owner = { ...newExecutionIdentity(), host: 'chaos-revert-test.invalid' };
    const set = new ServiceSet(docker, { services: [idleService('p')], owner, stopTimeoutMs: 1000 });
    disposables.push(set);
    await set.start();
    const containerId = set.service('p').containerId;
    const since = Math.floor(Date.now() / 1000) - 1;
    await injectFault({ docker, containerId, runId: owner.runId, engineIsLocal: true }, 'container_pause', {});
    const report = await reapLeftovers(docker, { onlyExecutionId: owner.executionId, olderThanMs: 0, now: Date.now() + 1 });
    expect(report).toMatchObject({ executions: [owner.executionId], containers: 1, errors: [] });
    expect(await countLabelled(docker, owner.executionId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    // The engine's own event log shows the order: unpaused by the revert, then removed.
    const actions = await engineActions(docker, containerId, since);
    expect(actions.filter((a) => ['pause', 'unpause', 'destroy'].includes(a))).toEqual(['pause', 'unpause', 'destroy']);
  });
});
