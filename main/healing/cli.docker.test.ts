// `clnrm run` with self-healing on the real engine: --format json carries each failed execution's
// classification and a healed execution's attempts; the human summary names the class in one line and
// lists what a retry healed; the run history keeps the classification. Skips loudly without Docker.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/testing';
import { announceDockerSkip, probeDocker } from '../docker/test-support';
import type { RunSummary } from '../runner/types';
import { openStore } from '../store';

const probe = await probeDocker(['cleanroom/busybox:latest']);
announceDockerSkip('self-healing CLI', probe);
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe.skipIf(!probe.docker)('clnrm run with self-healing (real engine)', () => {
  const dirs: string[] = [];
  const dir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'clnrm-heal-cli-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('--format json: a failed execution carries its classification; the history keeps it', { timeout: 90_000 }, async () => {
    const data = dir();
    const result = await runCli(['run', fixture('assertion.clnrm.toml'), '--format', 'json', '--data-dir', data]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as RunSummary;
    const execution = report.tests[0]!.executions[0]!;
    expect(execution.classification).toMatchObject({ class: 'assertion_failure', confidence: 0.8, evidence: [{ kind: 'step', ref: 'add' }] });
    expect(execution.healing).toBeUndefined();
    expect(result.stderr).toMatch(/^ {4}sum: class: assertion_failure \(80 %\): output does not match .*\[add\]$/m);
    const store = await openStore({ dataDir: data });
    try {
      const [run] = await store.listRuns({});
      expect(run!.executions[0]!.evidence?.classification?.class).toBe('assertion_failure');
    } finally {
      await store.dispose();
    }
  });

  it('--retries 2 heals a late service: JSON has the attempt, its class and delay; the summary says healed', { timeout: 90_000 }, async () => {
    const state = dir();
    const result = await runCli(['run', fixture('late-service.clnrm.toml'), '--retries', '2', '--data-dir', dir()], { env: { CLNRM_HEAL_STATE: state } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Healed by retry:\n✓ heal_late_service call: healed by 1 retry; attempt 1 failed as transient_network_error \(\d+ %\): .*Connection refused/);
    const json = await runCli(['run', fixture('late-service.clnrm.toml'), '--retries', '2', '--format', 'json', '--data-dir', dir()], { env: { CLNRM_HEAL_STATE: dir() } });
    const execution = (JSON.parse(json.stdout) as RunSummary).tests[0]!.executions[0]!;
    expect(execution.verdict).toBe('passed');
    expect(execution.healing).toMatchObject({ healed: true, attempts: [{ verdict: 'failed', classification: { class: 'transient_network_error' } }] });
    expect(execution.healing!.attempts[0]!.delayMs).toBeGreaterThan(0);
  });

  it('--retries rejects what is not a small whole number', async () => {
    const result = await runCli(['run', fixture('assertion.clnrm.toml'), '--retries', 'many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/give a whole number of retries per execution from 0 to 10/);
  });
});
