// `clnrm heal` on the real engine, end to end: the corpus's nondeterministic test fails its
// [determinism] check; heal proposes excluding the differing attribute, verifies it by rerunning a
// patched copy (the file untouched), applies it (only those lines change), the test then passes, and
// undo gives back the original bytes. And quarantine: the corpus's coin flip under mode = "autonomous"
// is quarantined at its flaky failure, which then does not fail the run. And an OOM kill retried with
// more memory until the step fits. Skips loudly without Docker; fails under CI=true.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/testing';
import { announceDockerSkip, probeDocker } from '../docker/test-support';
import type { RunSummary } from '../runner/types';
import type { HealedFailure } from './heal';

const probe = await probeDocker(['cleanroom/busybox:latest']);
announceDockerSkip('clnrm heal', probe);
const fixture = fileURLToPath(new URL('./fixtures/nondeterministic.clnrm.toml', import.meta.url));
const coinFlip = fileURLToPath(new URL('./fixtures/coin-flip.clnrm.toml', import.meta.url));
const oomRetry = fileURLToPath(new URL('./fixtures/oom-retry.clnrm.toml', import.meta.url));

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe.skipIf(!probe.docker)('clnrm heal (real engine)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('the determinism failure’s patch is verified, applied, makes the test pass, and undoes to the original bytes', { timeout: 180_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'clnrm-heal-'));
    dirs.push(cwd);
    const file = join(cwd, 'nondeterministic.clnrm.toml');
    copyFileSync(fixture, file);
    const original = readFileSync(file, 'utf8');

    const failed = await runCli(['run', file, '--data-dir', 'db', '--format', 'json'], { cwd });
    expect(failed.code).toBe(1);
    expect((JSON.parse(failed.stdout) as RunSummary).tests[0]!.determinism![0]!.classification?.class).toBe('determinism_violation');

    const human = await runCli(['heal', '--last', '--data-dir', 'db', '--verify', '0'], { cwd });
    expect(human.stdout).toMatch(/^ {2}class: determinism_violation \(90 %\)/m);
    expect(human.stdout).toMatch(/^ {2}patch [0-9a-f]{8}: exclude `order\.token` from the determinism hash .* — not verified \(--verify 0\)$/m);
    expect(human.stdout).toMatch(/^ {4}\+exclude_fields = \["order\.token"\]$/m);

    const healed = await runCli(['heal', '--last', '--data-dir', 'db', '--format', 'json', '--verify', '2'], { cwd });
    expect(healed.stderr).not.toMatch(/error/i);
    const { failures } = JSON.parse(healed.stdout) as { failures: HealedFailure[] };
    expect(failures).toHaveLength(1);
    // Named relative to the folder holding the knowledge store (db/.clnrm/ under --data-dir db).
    expect(failures[0]).toMatchObject({ test: 'heal_nondeterministic', file: '../nondeterministic.clnrm.toml', classification: { class: 'determinism_violation' } });
    const patch = failures[0]!.patches[0]!;
    expect(patch).toMatchObject({ kind: 'exclude-nondeterministic-attributes', verified: true, verification: { runs: 2, passed: 2 } });
    expect(patch.diff).toMatch(/^\+exclude_fields = \["order\.token"\]$/m);
    // Verification ran on a copy: the file is as it was.
    expect(readFileSync(file, 'utf8')).toBe(original);

    const applied = await runCli(['heal', '--apply', patch.id, '--data-dir', 'db'], { cwd });
    expect(applied.code).toBe(0);
    const written = readFileSync(file, 'utf8');
    expect(written).toBe(original.replace('iterations = 2\n', 'iterations = 2\nexclude_fields = ["order.token"]\n'));

    const passing = await runCli(['run', file, '--data-dir', 'db'], { cwd });
    expect(passing.stdout).toMatch(/1 passed, 0 failed/);
    expect(passing.code).toBe(0);

    const undone = await runCli(['heal', '--undo', patch.id, '--data-dir', 'db'], { cwd });
    expect(undone.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('an OOM kill is retried with more memory (× 1.5 each time) until the step fits; the file is not changed', { timeout: 180_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'clnrm-heal-oom-'));
    dirs.push(cwd);
    const file = join(cwd, 'oom-retry.clnrm.toml');
    copyFileSync(oomRetry, file);
    const original = readFileSync(file, 'utf8');
    const run = await runCli(['run', file, '--data-dir', 'db', '--format', 'json'], { cwd });
    const execution = (JSON.parse(run.stdout) as RunSummary).tests[0]!.executions[0]!;
    expect(run.code, run.stderr).toBe(0);
    expect(execution.healing).toMatchObject({ healed: true });
    expect(execution.healing!.attempts.map((a) => [a.classification.class, a.retriedWith])).toEqual([
      ['resource_exhaustion', 'memory limit × 1.5 after the OOM kill: hog 24 → 36 MB'],
      ['resource_exhaustion', 'memory limit × 1.5 after the OOM kill: hog 36 → 54 MB'],
    ]);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('autonomous mode quarantines the coin flip at its flaky failure: reported, not failing the run', { timeout: 180_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'clnrm-quarantine-'));
    dirs.push(cwd);
    const state = join(cwd, 'state');
    mkdirSync(state);
    const file = join(cwd, 'coin.clnrm.toml');
    writeFileSync(file, readFileSync(coinFlip, 'utf8').replace('[self_healing]\nenabled = true\n', '[self_healing]\nenabled = true\nmode = "autonomous"\n'));
    const env = { CLNRM_HEAL_STATE: state };
    // tails (fail), heads (pass): a history; the next tails is flaky.
    expect((await runCli(['run', file, '--data-dir', 'db'], { cwd, env })).code).toBe(1);
    expect((await runCli(['run', file, '--data-dir', 'db'], { cwd, env })).code).toBe(0);
    const third = await runCli(['run', file, '--data-dir', 'db', '--format', 'json'], { cwd, env });
    const summary = JSON.parse(third.stdout) as RunSummary;
    expect(summary.tests[0]).toMatchObject({ verdict: 'failed', quarantine: { state: 'quarantined', consecutivePasses: 0, releaseAfterPasses: 3 } });
    expect(summary).toMatchObject({ failed: 0, quarantined: 1 });
    expect(third.code).toBe(0);
    expect(third.stderr).toMatch(/heal_coin_flip: quarantined, does not fail the run/);
    expect(JSON.parse(readFileSync(join(cwd, 'db', '.clnrm', 'quarantine.json'), 'utf8'))).toMatchObject({ tests: [{ file: '../coin.clnrm.toml', test: 'heal_coin_flip' }] });
    const flaky = await runCli(['flaky', '--data-dir', 'db'], { cwd });
    expect(flaky.stdout).toMatch(/^1\.00 +FPF +heal_coin_flip › toss .*QUARANTINED/m);
  });
});
