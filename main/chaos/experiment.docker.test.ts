// Chaos experiments through `clnrm run` on the real engine with the demo system (examples/chaos): the
// load generator's requests judged per phase, the fault injected at its time and undone, the failing
// example failing for exactly its documented reasons. Skips loudly without Docker (fails under CI=true).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/testing';
import { announceDockerSkip, countLabelled, probeDocker } from '../docker/test-support';
import type { RunSummary } from '../runner/types';

const probe = await probeDocker(['cleanroom/demo:latest']);
announceDockerSkip('chaos experiments', probe);
const example = (name: string): string => fileURLToPath(new URL(`../../examples/chaos/${name}.clnrm.toml`, import.meta.url));

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the demo image (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe.skipIf(!probe.docker)('chaos experiments in clnrm run (real engine, demo system)', () => {
  const data = mkdtempSync(join(tmpdir(), 'clnrm-chaos-run-'));
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  const chaosResults = async (name: string) => {
    const result = await runCli(['run', example(name), '--format', 'json', '--data-dir', data]);
    const execution = (JSON.parse(result.stdout) as RunSummary).tests[0]!.executions[0]!;
    const chaos = execution.expectations.filter((e) => e.kind === 'chaos');
    return { code: result.code, chaos, executionId: execution.runId, byPath: new Map(chaos.map((e) => [e.expectation, e])) };
  };

  it('db paused: api keeps serving from the cache; every phase holds and the pause is undone', { timeout: 120_000 }, async () => {
    const { code, chaos, byPath, executionId } = await chaosResults('db-paused-cache-serves');
    expect(chaos.filter((e) => !e.passed).map((e) => `${e.expectation}: ${e.message}`)).toEqual([]);
    expect(code).toBe(0);
    expect(byPath.get('chaos.experiment.injection[0]')!.message).toMatch(/^container_pause on db from 3\.\d s to 6\.\d s, undone$/);
    expect(byPath.get('chaos.experiment')!.message).toMatch(/resilience score 100; 5 of 5 assertions held/);
    // The load's requests were counted in each phase (20/s: about 60 in each 3 s window).
    expect(byPath.get('chaos.experiment.during_chaos.assertion[0]')!.message).toMatch(/^during_chaos: ([4-7]\d) requests \(root spans\): success 100\.0 %/);
    expect(await countLabelled(probe.docker!, executionId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('cache paused: fails on purpose, for exactly the during-chaos assertions, and recovers', { timeout: 120_000 }, async () => {
    const { code, chaos, byPath } = await chaosResults('cache-paused-fails-on-purpose');
    expect(code).toBe(1);
    expect(chaos.filter((e) => !e.passed).map((e) => e.expectation)).toEqual(['chaos.experiment', 'expect.resilience.min_success_rate_during', 'expect.resilience.max_downtime_ms']);
    expect(byPath.get('expect.resilience.min_success_rate_during')!.spans.length).toBeGreaterThan(0);
    expect(byPath.get('expect.resilience.full_recovery_time_ms')!.message).toMatch(/^recovery: recovered \d+ ms after the fault ended \(limit 2000 ms\)$/);
    expect(byPath.get('chaos.experiment')!.passed).toBe(false);
    expect(byPath.get('chaos.experiment.fault')!).toMatchObject({ passed: true, message: expect.stringMatching(/^container_pause on cache from 3\.\d s to 6\.\d s, undone$/) });
  });
});
