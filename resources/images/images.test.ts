// Each offline image runs its entry point: busybox applets, the host's node, and the demo service
// (listens, answers /health, exits 0 on SIGTERM). Skips loudly without Docker; fails under CI=true.
import { describe, expect, it } from 'vitest';
import { runToCompletion } from '../../main/docker/exec';
import { ServiceSet } from '../../main/docker/service-set';
import { announceDockerSkip, probeDocker } from '../../main/docker/test-support';

const IMAGES = ['cleanroom/busybox:latest', 'cleanroom/node:20', 'cleanroom/demo:latest'];
const probe = await probeDocker(IMAGES);
announceDockerSkip('offline images', probe);

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine and the images from resources/images/build.sh (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe.skipIf(!probe.docker)('offline images', () => {
  const docker = probe.docker!;

  it('cleanroom/busybox: sh with the applets tests use', async () => {
    const result = await runToCompletion(docker, { image: 'cleanroom/busybox:latest', cmd: ['sh', '-c', 'which wget nc sleep httpd grep && echo ok'] });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['/bin/wget', '/bin/nc', '/bin/sleep', '/bin/httpd', '/bin/grep', 'ok']);
  });

  it('cleanroom/node:20: the host node runs (and has sh beside it)', async () => {
    const result = await runToCompletion(docker, { image: 'cleanroom/node:20', cmd: ['node', '-e', 'console.log(process.version, require("node:os").platform())'] });
    expect(result).toMatchObject({ exitCode: 0, stdout: `${process.version} linux\n` });
    expect((await runToCompletion(docker, { image: 'cleanroom/node:20', cmd: ['sh', '-c', 'echo shell'] })).stdout).toBe('shell\n');
  });

  it('cleanroom/demo: its entry point serves a demo service and stops with exit 0', async () => {
    const set = new ServiceSet(docker, { services: [{ id: 'db', image: 'cleanroom/demo:latest', command: ['db'], waitFor: [{ kind: 'log', pattern: /demo db listening on :7002/ }] }] });
    try {
      await set.start();
      const health = await set.exec('db', { cmd: ['wget', '-qO-', 'http://127.0.0.1:7002/health'] });
      expect(JSON.parse(health.stdout)).toMatchObject({ status: 'ok', items: 3 });
      const [evidence] = await set.stop();
      expect(evidence).toMatchObject({ exitCode: 0 });
      expect(evidence!.logTail).toContain('demo db stopping (SIGTERM)');
    } finally {
      await set.dispose();
    }
  });

  it('cleanroom/demo: a bad service name is a usage error, not a crash', async () => {
    const result = await runToCompletion(docker, { image: 'cleanroom/demo:latest', cmd: ['nope'] });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('usage: node main.mjs <api|cache|db|worker>');
  });
});
