// Every wait strategy against the real engine: success, and the timeout message naming the service,
// what it waited for and what was last seen.
import { afterEach, describe, expect, it } from 'vitest';
import type { StudioError } from '../../shared/errors';
import { ServiceSet } from './service-set';
import type { ServiceDefinition } from './service';
import { announceDockerSkip, BUSYBOX, probeDocker } from './test-support';
import type { SpanWaiter } from './wait';

const probe = await probeDocker();
announceDockerSkip('wait strategies', probe);

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the test images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

const sh = (script: string): string[] => ['sh', '-c', `trap "exit 0" TERM; ${script}; sleep 600 & wait`];

describe.skipIf(!probe.docker)('wait strategies (real engine)', () => {
  const docker = probe.docker!;
  const sets: ServiceSet[] = [];
  afterEach(async () => {
    await Promise.all(sets.splice(0).map((s) => s.dispose()));
  });
  async function start(service: ServiceDefinition, spanWaiter?: SpanWaiter): Promise<{ set: ServiceSet; error?: StudioError }> {
    const set = new ServiceSet(docker, { services: [service], spanWaiter, stopTimeoutMs: 2000 });
    sets.push(set);
    try {
      await set.start();
      return { set };
    } catch (error) {
      return { set, error: error as StudioError };
    }
  }

  it('port: ready once something listens behind the published port (not merely the port proxy)', async () => {
    // The server starts late: a plain connect would succeed at once through Docker's proxy.
    const { set, error } = await start({
      id: 'web',
      image: BUSYBOX,
      command: sh('sleep 1; mkdir -p /www; echo ok > /www/index.html; httpd -p 8080 -h /www'),
      ports: [8080],
      waitFor: [{ kind: 'port', port: 8080, timeoutMs: 15_000 }],
    });
    expect(error).toBeUndefined();
    const res = await fetch(`http://127.0.0.1:${set.service('web').ports.get(8080)}/`);
    expect(res.status).toBe(200);
  });

  it('port: timeout names the service, the port and what the connection did', async () => {
    const { error } = await start({ id: 'mute', image: BUSYBOX, command: sh('true'), ports: [9000], waitFor: [{ kind: 'port', port: 9000, timeoutMs: 1500 }] });
    expect(error?.code).toBe('docker.wait-timeout');
    expect(error?.message).toMatch(/^service "mute" was not ready within 1500 ms: waited for port 9000 to accept connections; last seen: /);
    expect(error?.message).toMatch(/accepted then closed|ECONNREFUSED|ECONNRESET/);
  });

  it('log: ready on a matching line, split across writes and on stderr', async () => {
    const { error } = await start({
      id: 'logger',
      image: BUSYBOX,
      command: sh('echo booting; printf "server lis" >&2; sleep 0.2; printf "tening on 80\\n" >&2'),
      waitFor: [{ kind: 'log', pattern: /listening on \d+/, timeoutMs: 10_000 }],
    });
    expect(error).toBeUndefined();
  });

  it('log: timeout shows the last lines seen', async () => {
    const { error } = await start({ id: 'quiet', image: BUSYBOX, command: sh('echo one; echo two; echo three; echo four'), waitFor: [{ kind: 'log', pattern: 'ready', timeoutMs: 1500 }] });
    expect(error?.code).toBe('docker.wait-timeout');
    expect(error?.message).toContain('service "quiet" was not ready within 1500 ms: waited for a log line matching /ready/; last seen: "two", "three", "four"');
  });

  it('health: ready once the command exits 0', async () => {
    const { error, set } = await start({
      id: 'db',
      image: BUSYBOX,
      command: sh('sleep 0.5; touch /tmp/ready'),
      healthCheck: { cmd: ['test', '-f', '/tmp/ready'], intervalMs: 100, retries: 100 },
    });
    expect(error).toBeUndefined();
    expect((await set.exec('db', { cmd: ['test', '-f', '/tmp/ready'] })).exitCode).toBe(0);
  });

  it('health: gives up after its retries with the last result', async () => {
    const { error } = await start({ id: 'sick', image: BUSYBOX, command: sh('true'), healthCheck: { cmd: ['sh', '-c', 'echo not yet >&2; exit 4'], intervalMs: 50, retries: 3 } });
    expect(error?.code).toBe('docker.wait-timeout');
    expect(error?.message).toBe('service "sick": health check ["sh","-c","echo not yet >&2; exit 4"] failed 3 times; last: try 3: exit 4 ("not yet")');
  });

  it('span: asks the runner’s span feed for this run, service and name', async () => {
    const asked: string[] = [];
    const waiter: SpanWaiter = async ({ executionId, service, spanName }) => {
      asked.push(`${executionId.length}:${service}:${spanName}`);
    };
    const { error } = await start({ id: 'api', image: BUSYBOX, command: sh('true'), waitFor: [{ kind: 'span', name: 'server.ready' }] }, waiter);
    expect(error).toBeUndefined();
    expect(asked).toEqual(['12:api:server.ready']);
  });

  it('span: timeout names the span and aborts the feed’s wait', async () => {
    let aborted = false;
    const waiter: SpanWaiter = ({ signal }) =>
      new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          resolve();
        });
      });
    const { error, set } = await start({ id: 'api', image: BUSYBOX, command: sh('true'), waitFor: [{ kind: 'span', name: 'server.ready', timeoutMs: 800 }] }, waiter);
    expect(error?.code).toBe('docker.wait-timeout');
    expect(error?.message).toBe(`service "api" was not ready within 800 ms: waited for a span named "server.ready"; last seen: no span named "server.ready" received for execution ${set.executionId}`);
    expect(aborted).toBe(true);
  });
});
