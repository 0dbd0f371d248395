// The clnrm forms the runner acts on (issue 18 §3), on the real engine: per-service limits in
// `docker inspect`, cleanup policies that keep resources, leakage and isolation checked against the
// engine, expect_failure, a `run` list run in parallel, max_containers, and a self-produced
// wait_for_span that no longer times out.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDocker, managedFilter, removeExecutionResources } from '../docker';
import { announceDockerSkip, countLabelled, probeDocker } from '../docker/test-support';
import { openStore, type TraceStore } from '../store';
import { runTests, type RunTestsOptions } from './runner';
import type { RunEvent } from '../../shared/run';

const probe = await probeDocker(['cleanroom/busybox:latest']);
announceDockerSkip('runner forms', probe);

const IDLE = `image = "cleanroom/busybox:latest"\nargs = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`;

describe('Docker availability (runner forms)', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe.skipIf(!probe.docker)('clnrm forms on the real engine', () => {
  let store: TraceStore;
  let dir: string;
  let base: Omit<RunTestsOptions, 'sources'>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clnrm-forms-'));
    store = await openStore({ inMemory: true });
    base = { cwd: dir, env: process.env, store, docker: await connectDocker(process.env), quietMs: 200 };
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies per-service limits over [limits], and a "never" cleanup policy keeps what the leakage check then finds', { timeout: 60_000 }, async () => {
    const source = `[meta]
name = "limits_kept"

[limits]
memory_mb = 256
cpu_millicores = 1000

[service.small]
${IDLE}
limits = { memory_mb = 64, cpu_millicores = 250 }

[service.big]
${IDLE}
limits = { cpu_millicores = 500 }

[[scenario]]
name = "s"
service = "small"
run = "true"

[cleanup]
containers = "never"

[expect.hermeticity]
no_container_leakage = true
`;
    const summary = await runTests({ ...base, writeReports: false, sources: [{ file: 'limits.clnrm.toml', source }] });
    const execution = summary.tests[0]!.executions[0]!;
    const docker = probe.docker!;
    try {
      const kept = await docker.listContainers({ all: true, filters: managedFilter(execution.runId) });
      const limits = Object.fromEntries(
        await Promise.all(
          kept.map(async (c) => {
            const info = await docker.getContainer(c.Id).inspect();
            return [c.Labels['clnrm.service'], [info.HostConfig.Memory, info.HostConfig.NanoCpus]] as const;
          }),
        ),
      );
      expect(limits).toEqual({ small: [64 * 1024 * 1024, 250_000_000], big: [256 * 1024 * 1024, 500_000_000] });
      const leak = execution.expectations.find((e) => e.expectation === 'expect.hermeticity.no_container_leakage')!;
      expect(leak).toMatchObject({ kind: 'engine', passed: false });
      expect(leak.message).toMatch(/^2 containers of this execution remain after cleanup \(kept by \[cleanup\] containers = "never"\)/);
      expect(summary.tests[0]!.verdict).toBe('failed');
    } finally {
      await removeExecutionResources(docker, execution.runId);
    }
  });

  it('runs a run list in parallel, passes expect_failure on failure, and checks leakage and isolation with the engine', { timeout: 60_000 }, async () => {
    // b connects to a's listener: run one after the other, a would wait forever and time out.
    const source = `[meta]
name = "parallel_failures"

[service.a]
${IDLE}

[service.b]
${IDLE}
wait_for_span = "clnrm.step:b"
wait_for_span_timeout_secs = 2

[[scenario]]
name = "both_fail"
timeout_ms = 20000
parallel_services = ["a", "b"]
run = [
  { service = "a", command = "sh -c 'echo hi | nc -l -p 7000 >/dev/null; exit 1'" },
  { service = "b", command = "sh -c 'until nc a 7000 </dev/null; do sleep 0.1; done; exit 2'" },
]
expect_failure = true

[expect.hermeticity]
no_container_leakage = true
no_network_leakage = true
no_volume_leakage = true

[expect.isolation]
unique_container_ids = true
no_persistent_state = true
no_shared_networks = true

[report]
cleanup_verification = "out/cleanup.json"
isolation_report = "out/isolation.json"
`;
    const green = `[meta]\nname = "expected_to_fail"\n\n[[scenario]]\nname = "ok"\nrun = "true"\nexpect_failure = true\n`;
    const events: RunEvent[] = [];
    const summary = await runTests({ ...base, sources: [{ file: 'parallel.clnrm.toml', source }, { file: 'green.clnrm.toml', source: green }], onEvent: (e) => events.push(e) });
    const [parallel, greenResult] = summary.tests;
    const execution = parallel!.executions[0]!;
    expect(execution.problems).toEqual([]);
    expect(execution.steps.map((s) => [s.name, s.exitCode, s.timedOut, s.verdict])).toEqual([
      ['a', 1, false, 'failed'],
      ['b', 2, false, 'failed'],
    ]);
    expect(execution.expectations.map((e) => [e.expectation, e.passed])).toEqual([
      ['scenario.both_fail.expect_failure', true],
      ['expect.hermeticity.no_container_leakage', true],
      ['expect.hermeticity.no_network_leakage', true],
      ['expect.hermeticity.no_volume_leakage', true],
      ['expect.isolation.unique_container_ids', true],
      ['expect.isolation.no_persistent_state', true],
      ['expect.isolation.no_shared_networks', true],
    ]);
    expect(parallel!.verdict).toBe('passed');
    expect(events.some((e) => e.type === 'log' && /wait_for_span "clnrm.step:b" can only be produced after this service is ready/.test(e.message))).toBe(true);
    expect(await countLabelled(probe.docker!, execution.runId)).toEqual({ containers: 0, networks: 0, volumes: 0 });

    const cleanup = JSON.parse(readFileSync(join(dir, 'out/cleanup.json'), 'utf8'));
    expect(cleanup).toMatchObject({ kind: 'cleanup_verification', executions: [{ runId: execution.runId, removed: true, passed: true, leftovers: { containers: [], networks: [], volumes: [] } }] });
    const isolation = JSON.parse(readFileSync(join(dir, 'out/isolation.json'), 'utf8'));
    expect(isolation.executions[0].containers.map((c: { service: string; networks: string[] }) => [c.service, c.networks])).toEqual([
      ['a', [`clnrm-${execution.runId}`]],
      ['b', [`clnrm-${execution.runId}`]],
    ]);

    expect(greenResult!.verdict).toBe('failed');
    expect(greenResult!.executions[0]!.expectations).toEqual([
      { expectation: 'scenario.ok.expect_failure', kind: 'scenario', passed: false, message: 'expect_failure = true, but all 1 steps passed', spans: [] },
    ]);
  });

  it('refuses to start more containers than [limits] max_containers', { timeout: 30_000 }, async () => {
    const source = `[meta]\nname = "too_many"\n\n[limits]\nmax_containers = 1\n\n[service.a]\n${IDLE}\n\n[service.b]\n${IDLE}\n\n[[scenario]]\nname = "s"\nservice = "a"\nrun = "true"\n`;
    const execution = (await runTests({ ...base, writeReports: false, sources: [{ file: 'many.clnrm.toml', source }] })).tests[0]!.executions[0]!;
    expect(execution.verdict).toBe('error');
    expect(execution.problems).toEqual([expect.objectContaining({ code: 'runner.limit', message: 'scenario "s" needs 2 containers (services and one-off steps), more than [limits] max_containers = 1' })]);
    expect(execution.containers).toEqual([]);
  });
});
