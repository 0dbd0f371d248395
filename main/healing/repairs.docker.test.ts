// The timing repair on the real engine, end to end: a service that always listens 12 s late refuses the
// step; `clnrm heal` proposes a health check on the port it was called on, verifies it by rerunning a
// patched copy (the file untouched), applies it (only that line added), the test then passes, and undo
// gives back the original bytes. And the concurrency repair: two steps that need the container to
// themselves, declared concurrent, fail together; `concurrent = false` is proposed and verified. And the
// duration bound: a span alternating 90/110 ms against a 100 ms bound flips the test; after four runs the
// bound is widened to the observed p99 × 1.2, verified by reruns.
// Skips loudly without Docker; fails under CI=true.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/testing';
import { announceDockerSkip, probeDocker } from '../docker/test-support';
import type { RunSummary } from '../runner/types';
import type { HealedFailure } from './heal';

const probe = await probeDocker(['cleanroom/busybox:latest']);
announceDockerSkip('clnrm heal repairs', probe);
const fixture = fileURLToPath(new URL('./fixtures/late-listener.clnrm.toml', import.meta.url));
const exclusive = fileURLToPath(new URL('./fixtures/exclusive-steps.clnrm.toml', import.meta.url));
const tightBound = fileURLToPath(new URL('./fixtures/tight-bound.clnrm.toml', import.meta.url));
const WAIT_LINE = 'health_check = { cmd = ["sh", "-c", "nc -w 1 127.0.0.1 8080 </dev/null"], interval = 1, retries = 30 }';

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe.skipIf(!probe.docker)('clnrm heal repairs (real engine)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('a step refused by a late listener gets a verified wait for its port; applied, the test passes; undone, the bytes are back', { timeout: 240_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'clnrm-heal-wait-'));
    dirs.push(cwd);
    const file = join(cwd, 'late-listener.clnrm.toml');
    copyFileSync(fixture, file);
    const original = readFileSync(file, 'utf8');

    const failed = await runCli(['run', file, '--data-dir', 'db', '--format', 'json'], { cwd });
    expect(failed.code).toBe(1);
    const execution = (JSON.parse(failed.stdout) as RunSummary).tests[0]!.executions[0]!;
    expect(execution.classification, JSON.stringify(execution.classification)).toMatchObject({ class: 'transient_network_error' });

    const healed = await runCli(['heal', '--last', '--data-dir', 'db', '--format', 'json', '--verify', '2'], { cwd });
    expect(healed.code, healed.stderr).toBe(0);
    const { failures } = JSON.parse(healed.stdout) as { failures: HealedFailure[] };
    expect(failures).toHaveLength(1);
    const patch = failures[0]!.patches.find((p) => p.kind === 'wait-for-service-port')!;
    expect(patch, JSON.stringify(failures[0])).toMatchObject({ verified: true, verification: { runs: 2, passed: 2 } });
    expect(patch.description).toMatch(/^wait until service `web` accepts connections on port 8080 before the steps run/);
    expect(patch.evidence[0]).toMatch(/connection refused \[get\]$/i);
    expect(patch.diff).toContain(`+${WAIT_LINE}\n`);
    // Verification ran on a copy: the file is as it was.
    expect(readFileSync(file, 'utf8')).toBe(original);

    const human = await runCli(['heal', '--last', '--data-dir', 'db', '--verify', '0'], { cwd });
    expect(human.stdout).toMatch(/^ {2}class: transient_network_error \(\d+ %\)/m);
    expect(human.stdout).toContain(`  patch ${patch.id}: wait until service \`web\``);

    const applied = await runCli(['heal', '--apply', patch.id, '--data-dir', 'db', '--verify', '0'], { cwd });
    expect(applied.code, applied.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original.replace('httpd -f -p 8080 -h /tmp & wait"]\n', `httpd -f -p 8080 -h /tmp & wait"]\n${WAIT_LINE}\n`));

    const passing = await runCli(['run', file, '--data-dir', 'db'], { cwd });
    expect(passing.stdout).toMatch(/1 passed, 0 failed/);
    expect(passing.code).toBe(0);

    const undone = await runCli(['heal', '--undo', patch.id, '--data-dir', 'db'], { cwd });
    expect(undone.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('concurrent steps that fail together get a verified proposal to run in sequence', { timeout: 180_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'clnrm-heal-sequence-'));
    dirs.push(cwd);
    const file = join(cwd, 'exclusive-steps.clnrm.toml');
    copyFileSync(exclusive, file);
    const original = readFileSync(file, 'utf8');

    const failed = await runCli(['run', file, '--data-dir', 'db', '--format', 'json'], { cwd });
    expect(failed.code).toBe(1);
    const steps = (JSON.parse(failed.stdout) as RunSummary).tests[0]!.executions[0]!.steps;
    expect(steps.map((s) => s.verdict)).toEqual(['failed', 'failed']);

    const healed = await runCli(['heal', '--last', '--data-dir', 'db', '--format', 'json', '--verify', '2'], { cwd });
    expect(healed.code, healed.stderr).toBe(0);
    const { failures } = JSON.parse(healed.stdout) as { failures: HealedFailure[] };
    const patch = failures[0]!.patches.find((p) => p.kind === 'run-steps-in-sequence')!;
    expect(patch, JSON.stringify(failures[0])).toMatchObject({ verified: true, verification: { runs: 2, passed: 2 } });
    expect(patch.evidence).toContain('2 of them failed in the same execution: `first`, `second`');
    expect(patch.diff).toMatch(/^-concurrent = true\n\+concurrent = false$/m);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('a duration bound the span keeps crossing is widened to the observed distribution, verified by reruns', { timeout: 240_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'clnrm-heal-bound-'));
    dirs.push(cwd);
    const state = join(cwd, 'state');
    mkdirSync(state);
    const env = { CLNRM_HEAL_STATE: state };
    const file = join(cwd, 'tight-bound.clnrm.toml');
    copyFileSync(tightBound, file);
    // 90 ms (pass), 110 ms (fail), 90, 110: a history that flips.
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await runCli(['run', file, '--data-dir', 'db'], { cwd, env })).code);
    const last = await runCli(['run', file, '--data-dir', 'db', '--format', 'json'], { cwd, env });
    expect([...codes, last.code]).toEqual([0, 1, 0, 1]);
    expect((JSON.parse(last.stdout) as RunSummary).tests[0]!.executions[0]!.classification).toMatchObject({ class: 'flaky_test' });

    const healed = await runCli(['heal', '--last', '--data-dir', 'db', '--format', 'json', '--verify', '2'], { cwd, env });
    expect(healed.code, healed.stderr).toBe(0);
    const { failures } = JSON.parse(healed.stdout) as { failures: HealedFailure[] };
    const patch = failures[0]!.patches.find((p) => p.kind === 'widen-duration-bound')!;
    expect(patch, JSON.stringify(failures[0])).toMatchObject({ verified: true, verification: { runs: 2, passed: 2 } });
    expect(patch.description).toBe('widen expect.span[0] `db.query` duration_ms.max from 100 to 140 ms (observed p99 110 ms × 1.2)');
    expect(patch.evidence[0]).toBe('`db.query` over the last 4 executions (4 spans): p50 100 ms, p95 110 ms, p99 110 ms, max 110 ms');
    expect(patch.diff).toMatch(/^-duration_ms = \{ max = 100 \}\n\+duration_ms = \{ max = 140 \}$/m);
  });
});
