// A runner killed with SIGKILL in the middle of an experiment leaves a paused container, iptables rules
// and a lowered memory limit on the engine; the next `clnrm run` undoes all of it (from labels alone)
// before removing the dead execution. Real engine, real processes; needs root and a local engine for the
// iptables rules (as CI has). Skips loudly without Docker (fails under CI=true).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/testing';
import { LABEL_EXECUTION_ID, LABEL_RUN_ID, LABEL_SERVICE, managedFilter } from '../docker/labels';
import { announceDockerSkip, BUSYBOX, countLabelled, eventually, probeDocker } from '../docker/test-support';

const probe = await probeDocker([BUSYBOX]);
announceDockerSkip('SIGKILL mid-experiment', probe);
const CLI = fileURLToPath(new URL('../../bin/clnrm.js', import.meta.url));
const IDLE = '["sh", "-c", "trap \\"exit 0\\" TERM; sleep 600 & wait"]';

const EXPERIMENT = `[meta]
name = "killed_mid_experiment"
version = "1"

[services.a]
image = "${BUSYBOX}"
args = ${IDLE}

[services.b]
image = "${BUSYBOX}"
args = ${IDLE}

[[scenario]]
name = "long"
run = "sleep 120"
service = "a"

[[chaos.experiment.injection]]
fault = "container_pause"
target = "service:b"
timing = "immediately"
duration_s = 100

[[chaos.experiment.injection]]
fault = "packet_loss"
target = "service:a"
timing = "immediately"
loss_percent = 50
duration_s = 100

[[chaos.experiment.injection]]
fault = "memory_limit"
target = "service:a"
timing = "immediately"
memory_mb = 64
duration_s = 100
`;

const TRIVIAL = `[meta]\nname = "next_run"\nversion = "1"\n\n[[scenario]]\nname = "s"\nrun = "true"\n`;

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with busybox (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe.skipIf(!probe.docker || process.getuid?.() !== 0)('SIGKILL in the middle of an experiment (real engine)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clnrm-chaos-kill-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the next clnrm run unpauses, deletes the rules and restores the limit before removing the dead execution', { timeout: 180_000 }, async () => {
    const docker = probe.docker!;
    writeFileSync(join(dir, 'experiment.clnrm.toml'), EXPERIMENT);
    writeFileSync(join(dir, 'next.clnrm.toml'), TRIVIAL);
    const since = Math.floor(Date.now() / 1000);
    const child = spawn(process.execPath, [CLI, 'run', join(dir, 'experiment.clnrm.toml'), '--data-dir', join(dir, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    await eventually(() => (output.match(/chaos: \w+ on \w+ at /g) ?? []).length === 3, 90_000, `three faults injected (output so far: ${output})`);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    // What the dead runner left on the engine (other suites may be running beside this one: only ours).
    const runId = /clnrm run (\w+):/.exec(output)![1]!;
    const containers = (await docker.listContainers({ all: true, filters: managedFilter() })).filter((c) => c.Labels[LABEL_RUN_ID] === runId);
    const executionId = containers[0]!.Labels[LABEL_EXECUTION_ID]!;
    const byService = new Map(containers.map((c) => [c.Labels[LABEL_SERVICE], c.Id]));
    const a = await docker.getContainer(byService.get('a')!).inspect();
    const b = await docker.getContainer(byService.get('b')!).inspect();
    expect(b.State.Paused).toBe(true);
    expect(a.HostConfig.Memory).toBe(64 * 1024 * 1024);
    const rules = execFileSync('nsenter', ['-t', String(a.State.Pid), '-n', 'iptables', '-S'], { encoding: 'utf8' });
    expect(rules).toMatch(/statistic --mode random --probability 0\.5.* --comment "?clnrm:/);

    const next = await runCli(['run', join(dir, 'next.clnrm.toml'), '--data-dir', join(dir, 'data')]);
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(next.stderr + next.stdout).toMatch(new RegExp(`removed leftovers of \\d+ crashed execution\\(s\\): [^;\\n]*${executionId}[^;\\n]*; undid their faults: [1-9]\\d* unpaused, [1-9]\\d* iptables rules deleted, [1-9]\\d* limits restored`));
    expect(await countLabelled(docker, executionId)).toEqual({ containers: 0, networks: 0, volumes: 0 });

    // The engine's own log: b was unpaused and a's limit updated before either was destroyed.
    const events = execFileSync('docker', ['events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', 'type=container', '--format', '{{.Action}} {{.Actor.ID}}'], { encoding: 'utf8' }).trim().split('\n');
    const at = (action: string, id: string) => events.indexOf(`${action} ${id}`);
    expect(at('unpause', b.Id)).toBeGreaterThan(-1);
    expect(at('unpause', b.Id)).toBeLessThan(at('destroy', b.Id));
    // Lowered by the fault, then restored by the reaper (restoring may take more than one update), all before the destroy.
    expect(events.filter((e) => e === `update ${a.Id}`).length).toBeGreaterThanOrEqual(2);
    expect(events.lastIndexOf(`update ${a.Id}`)).toBeLessThan(at('destroy', a.Id));
  });
});
