// clnrm's scenario-level `chaos_injection` through `clnrm run` on the real engine: the fault lands at
// `delay_ms` after the steps begin, on the scenario's service (or its `target`), and is undone when
// `duration_ms` ends or with the steps; `[expect.chaos]` judges the execution afterwards. Skips loudly
// without Docker (fails under CI=true).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/testing';
import { announceDockerSkip, countLabelled, probeDocker } from '../docker/test-support';
import type { RunSummary } from '../runner/types';

const probe = await probeDocker();
announceDockerSkip('chaos_injection', probe);

const file = (scenario: string): string => `[meta]
name = "chaos_injection"
version = "1"

[service.victim]
plugin = "generic_container"
image = "cleanroom/busybox:latest"
args = ["sleep", "600"]

[service.bystander]
plugin = "generic_container"
image = "cleanroom/busybox:latest"
args = ["sleep", "600"]

${scenario}`;

describe.runIf(probe.docker || process.env.CI === 'true')('chaos_injection in clnrm run (real engine)', () => {
  const data = mkdtempSync(join(tmpdir(), 'clnrm-chaos-injection-'));
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  const run = async (name: string, scenario: string) => {
    const path = join(data, `${name}.clnrm.toml`);
    writeFileSync(path, file(scenario));
    const result = await runCli(['run', path, '--format', 'json', '--data-dir', data]);
    const execution = (JSON.parse(result.stdout) as RunSummary).tests[0]!.executions[0]!;
    return { code: result.code, execution, fault: execution.expectations.find((e) => e.expectation === 'scenario[0].chaos_injection') };
  };

  it('kill_container at delay_ms kills the step that runs in the scenario service; expect_failure makes that the pass', { timeout: 120_000 }, async () => {
    const { code, execution, fault } = await run('killed', `[[scenario]]
name = "killed_mid_step"
service = "victim"
run = "sh -c 'echo started; sleep 20; echo should-not-print'"
expect_failure = true
chaos_injection = { type = "kill_container", delay_ms = 700, signal = "SIGKILL" }

[expect.chaos]
recovery_verified = true
cleanup_spans_match_failures = true
no_crashes = true
zombie_processes = { eq = 0 }
resource_cleanup = "complete"
`);
    expect(fault).toMatchObject({ kind: 'chaos', passed: true });
    expect(fault!.message).toMatch(/^container_kill on victim from (0\.[7-9]|[12]\.\d) s to .* \(cannot be undone: a kill\)$/);
    const step = execution.steps[0]!;
    expect(step.verdict).not.toBe('passed');
    expect(step.stdoutTail).not.toContain('should-not-print');
    // The kill ended the 20 s step early.
    expect(step.durationMs).toBeLessThan(10_000);
    expect(execution.expectations.filter((e) => !e.passed)).toEqual([]);
    const judged = execution.expectations.filter((e) => e.expectation.startsWith('expect.chaos.')).map((e) => e.expectation);
    expect(judged).toEqual(['recovery_verified', 'cleanup_spans_match_failures', 'no_crashes', 'zombie_processes', 'resource_cleanup'].map((k) => `expect.chaos.${k}`));
    expect(code).toBe(0);
    expect(execution.expectations.some((e) => e.expectation === 'chaos.experiment')).toBe(false);
  });

  it('a revertible fault on another target lasts duration_ms and is undone; the steps go on', { timeout: 120_000 }, async () => {
    const { code, execution, fault } = await run('paused', `[[scenario]]
name = "bystander_paused"
service = "victim"
run = "sh -c 'sleep 2; echo done'"
chaos_injection = { type = "pause_container", target = "bystander", delay_ms = 200, duration_ms = 800 }
`);
    expect(fault).toMatchObject({ passed: true });
    expect(fault!.message).toMatch(/^container_pause on bystander from (0\.[2-9]|1\.\d) s to [12]\.\d s, undone$/);
    expect(execution.steps[0]).toMatchObject({ verdict: 'passed' });
    expect(code).toBe(0);
    expect(await countLabelled(probe.docker!, execution.runId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('a fault whose time never comes fails, saying so', { timeout: 120_000 }, async () => {
    const { code, fault, execution } = await run('late', `[[scenario]]
name = "too_late"
service = "victim"
run = "true"
chaos_injection = { type = "pause_container", delay_ms = 30000 }

[expect.chaos]
recovery_successful = true
`);
    expect(fault).toMatchObject({ passed: false, message: 'container_pause on victim was never injected: the experiment ended before its time' });
    expect(execution.expectations.find((e) => e.expectation === 'expect.chaos.recovery_successful')).toMatchObject({ passed: false, message: 'no fault was injected in this execution: there is nothing it recovered from' });
    expect(code).toBe(1);
  });
});
