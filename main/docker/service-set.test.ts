// ServiceSet against the real engine: dependency order with parallel levels, DNS between services,
// published ports, cleanup after success and failure, missing images. Skips loudly without Docker; fails under CI=true.
import { afterEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/errors';
import { ServiceSet, type ServiceEvent } from './service-set';
import type { ServiceDefinition } from './service';
import { announceDockerSkip, BUSYBOX, countLabelled, eventually, probeDocker } from './test-support';

const probe = await probeDocker();
announceDockerSkip('service-set', probe);

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the test images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

/** Runs until SIGTERM, then exits 0 at once (the trap interrupts `wait`). */
const idle = (banner = 'up'): string[] => ['sh', '-c', `trap "exit 0" TERM; echo ${banner}; sleep 600 & wait`];
const httpd = (text: string): string[] => ['sh', '-c', `trap "exit 0" TERM; mkdir -p /www && echo ${text} > /www/index.html && httpd -p 8080 -h /www && echo serving; sleep 600 & wait`];

describe('ServiceSet plan (no engine needed)', () => {
  it('rejects a dependency cycle before touching Docker, naming it', () => {
    const services: ServiceDefinition[] = [
      { id: 'api', image: BUSYBOX, dependsOn: ['db'] },
      { id: 'db', image: BUSYBOX, dependsOn: ['api'] },
    ];
    const make = () => new ServiceSet({} as never, { services });
    expect(make).toThrow(/api → db → api/);
  });

  it('rejects a bad log pattern and a port wait on an unpublished port before starting anything', () => {
    expect(() => new ServiceSet({} as never, { services: [{ id: 'w', image: BUSYBOX, waitFor: [{ kind: 'log', pattern: '(unclosed' }] }] })).toThrow(
      /service "w": wait_for\[0\]\.pattern is not a valid regular expression/,
    );
    expect(() => new ServiceSet({} as never, { services: [{ id: 'w', image: BUSYBOX, waitFor: [{ kind: 'port', port: 80 }] }] })).toThrow(/80 must also be listed in ports/);
  });

  it('rejects an invalid port with the field path', () => {
    try {
      new ServiceSet({} as never, { services: [{ id: 'web', image: BUSYBOX, ports: [70000] }] });
      expect.unreachable();
    } catch (error) {
      expect((error as StudioError).problem.path).toBe('services.web.ports[0]');
    }
  });
});

describe.skipIf(!probe.docker)('ServiceSet (real engine)', () => {
  const docker = probe.docker!;
  const sets: ServiceSet[] = [];
  const track = (set: ServiceSet) => (sets.push(set), set);
  afterEach(async () => {
    await Promise.all(sets.splice(0).map((s) => s.dispose()));
  });

  it('starts levels in dependency order, each level in parallel, and stops in reverse', async () => {
    const events: ServiceEvent[] = [];
    const ready = [{ kind: 'log', pattern: '^up$' }] as const;
    const set = track(
      new ServiceSet(docker, {
        stopTimeoutMs: 3000,
        onEvent: (e) => events.push(e),
        services: [
          { id: 'a', image: BUSYBOX, command: idle(), waitFor: ready },
          { id: 'b', image: BUSYBOX, command: idle(), waitFor: ready },
          { id: 'c', image: BUSYBOX, command: idle(), waitFor: ready },
          { id: 'd', image: BUSYBOX, command: idle(), waitFor: ready, dependsOn: ['a', 'b'] },
          { id: 'e', image: BUSYBOX, command: idle(), waitFor: ready, dependsOn: ['d', 'c'] },
        ],
      }),
    );
    expect(set.plan.levels).toEqual([['a', 'b', 'c'], ['d'], ['e']]);
    await set.start();
    const at = (type: ServiceEvent['type'], service: string) => events.find((e) => e.type === type && e.service === service)!.at;
    const level0 = ['a', 'b', 'c'];
    // Parallel: every level-0 service began before any of them was ready (sequential start could not do that).
    expect(Math.max(...level0.map((s) => at('creating', s)))).toBeLessThan(Math.min(...level0.map((s) => at('ready', s))));
    // Ordered: d begins only after a and b are ready; e only after d.
    expect(at('creating', 'd')).toBeGreaterThan(Math.max(at('ready', 'a'), at('ready', 'b')));
    expect(at('creating', 'e')).toBeGreaterThan(at('ready', 'd'));

    const evidence = await set.stop();
    expect(evidence.map((e) => e.service)).toEqual(['e', 'd', 'a', 'b', 'c']);
    expect(evidence.every((e) => e.exitCode === 0 && !e.oomKilled)).toBe(true);
    expect(at('stopped', 'e')).toBeLessThan(at('stopping', 'd'));
    expect(at('stopped', 'd')).toBeLessThan(Math.min(...level0.map((s) => at('stopping', s))));
  });

  it('gives services DNS names on the run network, publishes ports on 127.0.0.1, labels and removes everything', async () => {
    const set = track(
      new ServiceSet(docker, {
        services: [
          { id: 'web', image: BUSYBOX, command: httpd('hello-from-web'), ports: [8080], waitFor: [{ kind: 'port', port: 8080 }], volumes: [{ containerPath: '/data' }], limits: { memoryMb: 64, cpus: 0.5 } },
          { id: 'client', image: BUSYBOX, command: idle(), dependsOn: ['web'] },
        ],
      }),
    );
    await set.start();
    const viaDns = await set.exec('client', { cmd: ['wget', '-qO-', 'http://web:8080/'] });
    expect(viaDns.stdout.trim()).toBe('hello-from-web');
    const hostPort = set.service('web').ports.get(8080)!;
    const res = await fetch(`http://127.0.0.1:${hostPort}/`);
    expect((await res.text()).trim()).toBe('hello-from-web');
    const step = await set.runOnce({ image: BUSYBOX, cmd: ['wget', '-qO-', 'http://web:8080/'] });
    expect(step.stdout.trim()).toBe('hello-from-web');

    const info = await docker.getContainer(set.service('web').containerId).inspect();
    expect(info.Config.Labels).toMatchObject({ 'clnrm.managed': 'true', 'clnrm.execution_id': set.executionId, 'clnrm.run_id': set.owner.runId, 'clnrm.service': 'web' });
    expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(info.HostConfig.NanoCpus).toBe(5e8);
    expect(info.HostConfig.ExtraHosts).toContain('host.docker.internal:host-gateway');
    expect(await countLabelled(docker, set.executionId)).toEqual({ containers: 2, networks: 1, volumes: 1 });

    await set.dispose();
    expect(await countLabelled(docker, set.executionId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('fails with the evidence when a service dies while starting, starts nothing after it, and cleans up', async () => {
    const set = track(
      new ServiceSet(docker, {
        services: [
          { id: 'broken', image: BUSYBOX, command: ['sh', '-c', 'echo warming up; echo "fatal: no config" >&2; exit 3'], waitFor: [{ kind: 'log', pattern: 'never printed', timeoutMs: 20_000 }] },
          { id: 'after', image: BUSYBOX, command: idle(), dependsOn: ['broken'] },
        ],
      }),
    );
    const error = await set.start().then(
      () => undefined,
      (e: unknown) => e as StudioError,
    );
    expect(error?.code).toBe('docker.failed');
    expect(error?.message).toMatch(/service "broken" stopped before it was ready: broken exited with code 3/);
    expect(error?.message).toContain('fatal: no config');
    expect(set.services().map((s) => s.id)).toEqual(['broken']);
    const evidence = await set.stop();
    expect(evidence[0]).toMatchObject({ service: 'broken', exitCode: 3, running: false });
    await set.dispose();
    expect(await countLabelled(docker, set.executionId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('records an OOM kill in the evidence and the error', async () => {
    const set = track(
      new ServiceSet(docker, {
        services: [
          {
            id: 'hog',
            image: BUSYBOX,
            limits: { memoryMb: 8 },
            command: ['sh', '-c', 'echo allocating; a=$(head -c 50000000 /dev/zero | tr "\\0" x); echo never'],
            waitFor: [{ kind: 'log', pattern: 'never', timeoutMs: 20_000 }],
          },
        ],
      }),
    );
    const error = (await set.start().catch((e: unknown) => e)) as StudioError;
    expect(error.code).toBe('docker.failed');
    expect(error.message).toMatch(/hog exited with code 137 \(OOM killed: raise limits\.memory_mb\)/);
    const [evidence] = await set.stop();
    expect(evidence).toMatchObject({ service: 'hog', exitCode: 137, oomKilled: true, running: false });
    expect(evidence!.logTail).toContain('allocating');
  });

  it('reports a missing image with how to get it, creating nothing', async () => {
    const set = track(new ServiceSet(docker, { services: [{ id: 'x', image: 'cleanroom/not-built-anywhere:0' }] }));
    const error = (await set.start().catch((e: unknown) => e)) as StudioError;
    expect(error.code).toBe('docker.image-missing');
    expect(error.message).toContain('"cleanroom/not-built-anywhere:0"');
    expect(error.message).toContain('resources/images/build.sh');
    expect(error.message).toContain('docker load');
    expect(await countLabelled(docker, set.executionId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('disposing while a service is still waiting cancels the wait and removes everything', async () => {
    const set = track(new ServiceSet(docker, { services: [{ id: 'slow', image: BUSYBOX, command: idle(), waitFor: [{ kind: 'log', pattern: 'never', timeoutMs: 60_000 }] }] }));
    const starting = set.start().catch((e: unknown) => e as StudioError);
    await eventually(() => set.services().length > 0, 15_000, 'the container to be created');
    await set.dispose();
    const error = await starting;
    expect(error?.message).toMatch(/cancelled/);
    expect(await countLabelled(docker, set.executionId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
