// Chaos experiments through `clnrm run` on the real engine with the demo system (examples/chaos): the
// load generator's requests judged per phase (each phase decided while the experiment still runs, as the
// end decides it), the fault injected at its time and undone, the failing example failing for exactly its
// documented reasons. Skips loudly without Docker (fails under CI=true).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/testing';
import { announceDockerSkip, countLabelled, probeDocker } from '../docker/test-support';
import type { RunSummary } from '../runner/types';

const probe = await probeDocker(['cleanroom/demo:latest', 'cleanroom/chaos-proxy:latest']);
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

  const chaosResults = async (file: string) => {
    const result = await runCli(['run', file.includes('/') ? file : example(file), '--format', 'json', '--data-dir', data]);
    const execution = (JSON.parse(result.stdout) as RunSummary).tests[0]!.executions[0]!;
    const chaos = execution.expectations.filter((e) => e.kind === 'chaos');
    return { code: result.code, stderr: result.stderr, chaos, executionId: execution.runId, byPath: new Map(chaos.map((e) => [e.expectation, e])) };
  };

  it('db paused: api keeps serving from the cache; every phase holds, decided while running, and the pause is undone', { timeout: 120_000 }, async () => {
    const { code, chaos, byPath, executionId, stderr } = await chaosResults('db-paused-cache-serves');
    expect(chaos.filter((e) => !e.passed).map((e) => `${e.expectation}: ${e.message}`)).toEqual([]);
    expect(code).toBe(0);
    expect(byPath.get('chaos.experiment.injection[0]')!.message).toMatch(/^container_pause on db from 3\.\d s to 6\.\d s, undone$/);
    expect(byPath.get('chaos.experiment')!.message).toMatch(/resilience score 100; 5 of 5 assertions held/);
    // The load's requests were counted in each phase (20/s: about 60 in each 3 s window).
    expect(byPath.get('chaos.experiment.during_chaos.assertion[0]')!.message).toMatch(/^during_chaos: ([4-7]\d) requests \(root spans\): success 100\.0 %/);
    // The progress lines (the CLI's rendering of the run events, in their order): the steady state's
    // `phase-verdict` came while the experiment still ran (before its planned end at 9 s), so before the
    // execution finished, and said what the end says: both its assertions held, and no verdict changed.
    const lines = stderr.split('\n');
    const finished = lines.findIndex((l) => / scenario warm_the_cache: \d+ spans/.test(l));
    const decided = (phase: string) => {
      const line = lines.findIndex((l) => l.includes(`: chaos: ${phase} `));
      const m = / (passed|failed) \((\d+\/\d+)\) at (\d+\.\d)s/.exec(lines[line] ?? '');
      return { line, said: m ? `${m[1]} ${m[2]}` : `no line in:\n${stderr}`, atS: Number(m?.[3]) };
    };
    const steady = decided('steady_state');
    expect(steady.said).toBe('passed 2/2');
    expect(steady.atS).toBeGreaterThan(3);
    expect(steady.atS).toBeLessThan(9);
    expect(steady.line).toBeGreaterThan(-1);
    expect(steady.line).toBeLessThan(finished);
    const during = decided('during_chaos');
    expect(during.said).toBe('passed 2/2');
    expect(during.line).toBeLessThan(finished);
    expect(stderr).not.toMatch(/at the end, not (passed|failed) as decided/);
    expect(await countLabelled(probe.docker!, executionId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it("clnrm's forms: a chaos_injection pauses db during the step's reads, and [expect.chaos] sees api answer throughout", { timeout: 120_000 }, async () => {
    const { code, chaos, byPath, executionId } = await chaosResults('clnrm-injection-db-paused');
    expect(chaos.filter((e) => !e.passed).map((e) => `${e.expectation}: ${e.message}`)).toEqual([]);
    expect(code).toBe(0);
    expect(byPath.get('scenario[0].chaos_injection')!.message).toMatch(/^container_pause on db from 1\.\d s to [3-4]\.\d s, undone$/);
    expect(byPath.get('expect.chaos.graceful_degradation')!.message).toMatch(/^the system kept answering during every fault \(\d+ request\(s\) answered without error\)/);
    expect(byPath.get('expect.chaos.graceful_degradation')!.spans.length).toBeGreaterThan(0);
    expect([...byPath.keys()].filter((k) => k.startsWith('expect.chaos.'))).toEqual(['expect.chaos.graceful_degradation', 'expect.chaos.recovery_verified', 'expect.chaos.no_crashes', 'expect.chaos.resource_cleanup']);
    expect(await countLabelled(probe.docker!, executionId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('[[scenario.phase]]: baseline, db paused, recovery, each phase judged by its own expect keys', { timeout: 120_000 }, async () => {
    const { code, chaos, byPath } = await chaosResults('phases-db-paused');
    expect(chaos.filter((e) => !e.passed).map((e) => `${e.expectation}: ${e.message}`)).toEqual([]);
    expect(code).toBe(0);
    expect(byPath.get('scenario[0].phase')!.message).toMatch(/resilience score 100; 6 of 6 assertions held, 1 of 1 faults injected and undone; phases steady_state 0\.0–2\.\d s, during_chaos 2\.\d–4\.\d s, recovery 4\.\d–6\.0 s$/);
    expect(byPath.get('scenario[0].phase[1].chaos[0]')!.message).toMatch(/^container_pause on db from 2\.\d s to 4\.\d s, undone$/);
    expect(byPath.get('scenario[0].phase[1].expect[0].max_downtime_ms')!.message).toMatch(/^during_chaos: longest time without a successful request: \d+ ms \(limit 500 ms\)$/);
    expect(byPath.get('scenario[0].phase[0].expect[0].success_rate')!.message).toMatch(/^steady_state: \d+ requests \(root spans\): success 100\.0 %/);
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

  it('a proxy toxic: db behind the fault proxy gets 1.5 s of latency for 2 s, measured from outside and gone after', { timeout: 120_000 }, async () => {
    const file = join(data, 'db-latency.clnrm.toml');
    writeFileSync(file, DB_LATENCY);
    const { code, byPath, executionId } = await chaosResults(file);
    expect(code).toBe(1);
    const verdicts = ['steady_state', 'during_chaos', 'recovery'].map((p) => byPath.get(`chaos.experiment.${p}.assertion[0]`)!);
    expect(verdicts.map((v) => v.passed)).toEqual([true, false, true]);
    const p95 = Number(/p95 (\d+) ms >/.exec(verdicts[1]!.message)![1]);
    expect(p95).toBeGreaterThanOrEqual(1500);
    expect(byPath.get('chaos.experiment.injection[0]')!.message).toMatch(/^latency on db from 2\.\d s to 4\.\d s, undone$/);
    expect(await countLabelled(probe.docker!, executionId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('abort_on_fail halts the experiment the moment its assertion fails: every fault undone long before the planned end', { timeout: 120_000 }, async () => {
    const file = join(data, 'db-paused-halts.clnrm.toml');
    writeFileSync(file, DB_PAUSED_HALTS);
    const { code, chaos, byPath, executionId } = await chaosResults(file);
    expect(code).toBe(1);
    // Planned: 2 s steady, 30 s paused, 2 s recovery. Halted within a few seconds of the pause.
    const summary = byPath.get('chaos.experiment')!.message;
    expect(summary).toMatch(/^experiment "db_paused_halts": halted at (\d+\.\d) s: chaos\.experiment\.during_chaos\.assertion\[0\] failed in during_chaos \(success rate [\d.]+ % < 90\.0 %/);
    const haltedAt = Number(/halted at (\d+\.\d) s/.exec(summary)![1]);
    expect(haltedAt).toBeGreaterThan(3);
    expect(haltedAt).toBeLessThan(10);
    const fault = /^container_pause on db from (\d+\.\d) s to (\d+\.\d) s, undone$/.exec(byPath.get('chaos.experiment.injection[0]')!.message)!;
    expect(Number(fault[2])).toBeLessThan(haltedAt + 2);
    // The recovery phase was never reached, so it is not judged.
    expect(chaos.map((e) => e.expectation)).not.toContain('chaos.experiment.recovery.assertion[0]');
    expect(await countLabelled(probe.docker!, executionId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});

const DB_PAUSED_HALTS = `[meta]
name = "db_paused_halts"
version = "1"

[services.db]
image = "cleanroom/demo:latest"
args = ["db"]
ports = [7002]
health_check = { cmd = ["wget", "-qO-", "http://127.0.0.1:7002/health"], interval = 1, retries = 30 }

[[scenario]]
name = "read"
service = "db"
run = "wget -qO- http://db:7002/tables/items/1"

[chaos.experiment]
name = "db_paused_halts"

[chaos.experiment.load]
url = "http://db:7002/tables/items/1"
rate_per_s = 20
timeout_ms = 500

[chaos.experiment.steady_state]
duration_s = 2

[[chaos.experiment.injection]]
fault = "container_pause"
target = "service:db"
duration_s = 30

[[chaos.experiment.during_chaos.assertion]]
type = "success_rate"
min_success_rate = 0.9
abort_on_fail = true

[chaos.experiment.recovery]
duration_s = 2
[[chaos.experiment.recovery.assertion]]
type = "success_rate"
min_success_rate = 0.9
`;

const DB_LATENCY = `[meta]
name = "db_latency_through_the_proxy"
version = "1"

[services.db]
image = "cleanroom/demo:latest"
args = ["db"]
ports = [7002]
health_check = { cmd = ["wget", "-qO-", "http://127.0.0.1:7002/health"], interval = 1, retries = 30 }

[[scenario]]
name = "read"
service = "db"
run = "wget -qO- http://db:7002/tables/items/1"

[chaos.experiment.load]
url = "http://db:7002/tables/items/1"
rate_per_s = 20
timeout_ms = 3000

[chaos.experiment.steady_state]
duration_s = 2
[[chaos.experiment.steady_state.assertion]]
type = "latency"
p95_max_ms = 1000

[[chaos.experiment.injection]]
fault = "latency"
target = "service:db"
latency = 1500
duration_s = 2

[[chaos.experiment.during_chaos.assertion]]
type = "latency"
p95_max_ms = 1000

[chaos.experiment.recovery]
duration_s = 2
[[chaos.experiment.recovery.assertion]]
type = "latency"
p95_max_ms = 1000
`;
