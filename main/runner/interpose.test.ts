// Putting a service behind a proxy: the plan (pure), and on a real engine a proxy container that takes
// the service's name, so a client that connects to `db` is answered through the proxy.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../docker';
import { announceDockerSkip, probeDocker } from '../docker/test-support';
import { openStore, type TraceStore } from '../store';
import { interposeProxies, upstreamName } from './interpose';
import { runTests } from './runner';

const def = (id: string, dependsOn: string[] = []): ServiceDefinition => ({ id, image: 'img', ports: [7000], dependsOn });

describe('interposeProxies', () => {
  it('gives the service its upstream name, the proxy its id, and makes dependents wait for the proxy', () => {
    const out = interposeProxies([def('db'), def('api', ['db']), def('worker')], [
      { service: 'db', proxy: (upstream) => ({ id: 'db-proxy', image: 'proxy', env: { UPSTREAM: `${upstream.host}:${upstream.ports.join(',')}` } }) },
    ]);
    expect(out.find((d) => d.id === 'db')).toMatchObject({ dnsName: 'db--upstream' });
    expect(out.find((d) => d.id === 'db-proxy')).toMatchObject({ aliases: ['db'], dependsOn: ['db'], env: { UPSTREAM: 'db--upstream:7000' } });
    expect(out.find((d) => d.id === 'api')!.dependsOn).toEqual(['db', 'db-proxy']);
    expect(out.find((d) => d.id === 'worker')!.dependsOn).toEqual([]);
    expect(upstreamName('db')).toBe('db--upstream');
  });

  it('refuses an unknown service and a proxy id that is taken', () => {
    expect(() => interposeProxies([def('db')], [{ service: 'cache', proxy: () => def('p') }])).toThrow(/no such service \(services: db\)/);
    expect(() => interposeProxies([def('db'), def('p')], [{ service: 'db', proxy: () => def('p') }])).toThrow(/"p", which a service of the test already uses/);
  });
});

const probe = await probeDocker(['cleanroom/busybox:latest', 'cleanroom/node:20']);
announceDockerSkip('runner interpose', probe);

// A TCP proxy that says who it is, then forwards both ways to UPSTREAM (host:port).
const FORWARDER = `const net=require('net');const [h,p]=process.env.UPSTREAM.split(':');net.createServer({allowHalfOpen:true},(c)=>{c.write('via-proxy\\n');const u=net.connect(+p,h);c.pipe(u);u.pipe(c);u.on('error',()=>c.destroy());c.on('error',()=>u.destroy());}).listen(7000);process.on('SIGTERM',()=>process.exit(0));`;

const PROXY_LISTENING = { cmd: ['node', '-e', "require('net').connect(7000).on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"], intervalMs: 200, retries: 50 };

const TEST = `
[meta]
name = "behind_a_proxy"

[service.db]
image = "cleanroom/busybox:latest"
args = ["sh", "-c", "trap 'exit 0' TERM; nc -ll -p 7000 -e echo pong & wait"]
ports = [7000]
health_check = { cmd = ["sh", "-c", "netstat -ltn | grep -q ':7000 '"], interval = 1, retries = 20 }

[[scenario]]
name = "ask"

[[scenario.steps]]
name = "connect"
command = ["nc", "-w", "3", "db", "7000"]
expected_output_regex = "pong"
`;

describe.skipIf(!probe.docker)('a service behind a proxy (real engine)', () => {
  let dir: string;
  let store: TraceStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clnrm-interpose-'));
    store = await openStore({ inMemory: true });
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a client of `db` through the proxy, the test file unchanged', { timeout: 90_000 }, async () => {
    const run = (interpose: boolean) =>
      runTests({
        sources: [{ file: join(dir, 'p.clnrm.toml'), source: TEST }],
        cwd: dir,
        env: process.env,
        store,
        writeReports: false,
        ...(interpose
          ? { interpose: () => [{ service: 'db', proxy: (upstream: { host: string; ports: readonly number[] }) => ({ id: 'db-proxy', image: 'cleanroom/node:20', command: ['node', '-e', FORWARDER], env: { UPSTREAM: `${upstream.host}:${upstream.ports[0]}` }, healthCheck: PROXY_LISTENING }) }] }
          : {}),
      });
    const direct = (await run(false)).tests[0]!.executions[0]!.steps[0]!;
    expect(direct.verdict, direct.message).toBe('passed');
    expect(direct.stdoutTail.trim()).toBe('pong');
    const proxied = (await run(true)).tests[0]!.executions[0]!.steps[0]!;
    expect(proxied.verdict, proxied.message).toBe('passed');
    expect(proxied.stdoutTail.trim().split('\n')).toEqual(['via-proxy', 'pong']);
  });
});
