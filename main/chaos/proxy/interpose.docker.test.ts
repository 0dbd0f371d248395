// The fault proxy image on a real engine, in front of a service: a client container reaches `db` by
// its DNS name through the proxy (the test file unchanged), and a toxic added through the proxy's API
// from inside the run network cuts what the client gets. Skips loudly without Docker; fails under CI=true.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceDockerSkip, probeDocker } from '../../docker/test-support';
import { runTests } from '../../runner/runner';
import { openStore, type TraceStore } from '../../store';
import { FAULT_PROXY_IMAGE, faultProxyId, faultProxyInFront, faultProxyName } from './interpose';

const probe = await probeDocker(['cleanroom/busybox:latest', FAULT_PROXY_IMAGE]);
announceDockerSkip('fault proxy in front of a service', probe);

// The toxic's JSON inside a TOML string: its quotes escaped for TOML, single-quoted for sh.
const toxic = JSON.stringify({ type: 'limit_data', attributes: { bytes: 2 } }).replace(/"/g, '\\"');
const TEST = `
[meta]
name = "db_through_the_fault_proxy"

[service.db]
image = "cleanroom/busybox:latest"
args = ["sh", "-c", "trap 'exit 0' TERM; nc -ll -p 7000 -e echo pong & wait"]
ports = [7000]
health_check = { cmd = ["sh", "-c", "netstat -ltn | grep -q ':7000 '"], interval = 1, retries = 20 }

[[scenario]]
name = "ask"

[[scenario.steps]]
name = "through the proxy"
command = ["nc", "-w", "3", "db", "7000"]
expected_output_regex = "pong"

[[scenario.steps]]
name = "cut by a toxic"
command = ["sh", "-c", "wget -q -O /dev/null --post-data '${toxic}' http://${faultProxyId('db')}:8474/proxies/${faultProxyName('db', 7000)}/toxics && nc -w 3 db 7000"]
`;

describe('fault proxy image in front of a service', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the fault proxy image (required when CI=true)', () => {
    expect(probe.docker, probe.reason).toBeDefined();
  });
});

describe.skipIf(!probe.docker)('fault proxy in front of a service (real engine)', () => {
  let dir: string;
  let store: TraceStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clnrm-fault-proxy-'));
    store = await openStore({ inMemory: true });
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries a client\'s connection to `db` by its DNS name, and its toxics act on it', { timeout: 120_000 }, async () => {
    const result = await runTests({
      sources: [{ file: join(dir, 'p.clnrm.toml'), source: TEST }],
      cwd: dir,
      env: process.env,
      store,
      writeReports: false,
      interpose: () => [faultProxyInFront('db')],
    });
    const [through, cut] = result.tests[0]!.executions[0]!.steps;
    expect(through!.verdict, through!.message).toBe('passed');
    expect(through!.stdoutTail.trim()).toBe('pong');
    expect(cut!.verdict, cut!.message).toBe('passed');
    expect(cut!.stdoutTail).toBe('po'); // limit_data: 2 bytes of "pong\n", then closed
  });
});
