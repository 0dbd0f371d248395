// A real `clnrm run` with a scenario `chaos_injection` on the real engine records the fault's window with
// the execution: in the run's JSON and in the store of its data folder, on the spans' clock, inside the
// execution, lasting about `duration_ms`, its service under the name its spans carry. Skips loudly without
// Docker (fails under CI=true).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nanoToMicros } from '../../shared/model/time';
import { runCli } from '../cli/testing';
import { announceDockerSkip, probeDocker } from '../docker/test-support';
import type { RunSummary } from '../runner/types';
import { openStore } from '../store';

const probe = await probeDocker();
announceDockerSkip('fault windows', probe);

const FILE = `[meta]
name = "fault_windows"
version = "1"

[service.victim]
plugin = "generic_container"
image = "cleanroom/busybox:latest"
args = ["sleep", "600"]

[service.bystander]
plugin = "generic_container"
image = "cleanroom/busybox:latest"
args = ["sleep", "600"]
env = { OTEL_SERVICE_NAME = "bystander-svc" }

[[scenario]]
name = "bystander_paused"
service = "victim"
run = "sh -c 'sleep 2; echo done'"
chaos_injection = { type = "pause_container", target = "bystander", delay_ms = 200, duration_ms = 800 }
`;

describe.runIf(probe.docker || process.env.CI === 'true')('fault windows recorded by clnrm run (real engine)', () => {
  const data = mkdtempSync(join(tmpdir(), 'clnrm-fault-windows-'));
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  it('a chaos_injection leaves its window in the execution evidence and the store finds it by time', { timeout: 120_000 }, async () => {
    const path = join(data, 'paused.clnrm.toml');
    writeFileSync(path, FILE);
    const result = await runCli(['run', path, '--format', 'json', '--data-dir', data]);
    expect(result.code, result.stderr).toBe(0);
    const execution = (JSON.parse(result.stdout) as RunSummary).tests[0]!.executions[0]!;
    const [window] = execution.faultWindows ?? [];
    expect(window).toMatchObject({ fault: 'container_pause', service: 'bystander', serviceName: 'bystander-svc', source: 'scenario', path: 'scenario[0].chaos_injection' });
    const startUs = nanoToMicros(window!.startUnixNano);
    const endUs = nanoToMicros(window!.endUnixNano!);
    const executionStartUs = Date.parse(execution.startedAt) * 1000;
    expect(startUs).toBeGreaterThan(executionStartUs);
    expect(endUs).toBeLessThan(executionStartUs + execution.durationMs * 1000);
    // 800 ms planned; the pause and unpause calls each take some time on a busy engine.
    expect(endUs - startUs).toBeGreaterThan(500_000);
    expect(endUs - startUs).toBeLessThan(3_000_000);

    const store = await openStore({ dataDir: data });
    try {
      const inside = await store.faultWindows({ fromUnixNano: window!.startUnixNano, toUnixNano: window!.startUnixNano, limit: 10 });
      expect(inside.windows).toEqual([{ ...window, executionId: execution.runId, executionEndUnixNano: expect.stringMatching(/^\d+$/) }]);
      const after = (BigInt(window!.endUnixNano!) + 1n).toString();
      expect((await store.faultWindows({ fromUnixNano: after, toUnixNano: after, limit: 10 })).windows).toEqual([]);
    } finally {
      await store.dispose();
    }
  });
});
