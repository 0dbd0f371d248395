// connectDocker: DOCKER_HOST parsing, the docker.unavailable message, and a real connection when one exists.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/errors';
import { connectDocker, dockerOptionsFromEnv } from './connect';
import { probeDocker } from './test-support';

describe('dockerOptionsFromEnv', () => {
  it('defaults to the local socket', () => {
    const { options, endpoint } = dockerOptionsFromEnv({});
    expect(options.socketPath).toBe('/var/run/docker.sock');
    expect(endpoint).toEqual({ address: 'unix:///var/run/docker.sock', local: true });
  });

  it('reads unix, tcp, TLS port and ssh addresses', () => {
    expect(dockerOptionsFromEnv({ DOCKER_HOST: 'unix:///tmp/d.sock' }).options.socketPath).toBe('/tmp/d.sock');
    const tcp = dockerOptionsFromEnv({ DOCKER_HOST: 'tcp://10.1.2.3:2375' });
    expect(tcp.options).toMatchObject({ host: '10.1.2.3', port: '2375', protocol: 'http' });
    expect(tcp.endpoint.local).toBe(false);
    expect(dockerOptionsFromEnv({ DOCKER_HOST: 'tcp://h:2376' }).options.protocol).toBe('https');
    expect(dockerOptionsFromEnv({ DOCKER_HOST: 'h:2375', DOCKER_TLS_VERIFY: '1' }).options).toMatchObject({ host: 'h', protocol: 'https' });
    expect(dockerOptionsFromEnv({ DOCKER_HOST: 'ssh://me@box' }).options).toMatchObject({ protocol: 'ssh', username: 'me', host: 'box' });
  });

  it('rejects an address Docker would not understand', () => {
    expect(() => dockerOptionsFromEnv({ DOCKER_HOST: 'tcp://[bad' })).toThrow(/DOCKER_HOST="tcp:\/\/\[bad" is not an address/);
  });
});

describe('connectDocker', () => {
  it('explains how to start Docker when DOCKER_HOST points at a dead socket', async () => {
    const error = (await connectDocker({ DOCKER_HOST: 'unix:///tmp/clnrm-no-such-docker.sock' }).catch((e: unknown) => e)) as StudioError;
    expect(error).toBeInstanceOf(StudioError);
    expect(error.code).toBe('docker.unavailable');
    expect(error.message).toMatch(/^Docker is not reachable at unix:\/\/\/tmp\/clnrm-no-such-docker\.sock \(.*ENOENT.*\)\. Start Docker/);
    expect(error.message).toContain('set DOCKER_HOST to a remote engine');
  });

  it('bounds the wait on an engine that never answers', async () => {
    // A TCP port that accepts nothing useful: a black hole at a reserved TEST-NET address.
    const error = (await connectDocker({ DOCKER_HOST: 'tcp://192.0.2.1:2375' }, { pingTimeoutMs: 300 }).catch((e: unknown) => e)) as StudioError;
    expect(error.code).toBe('docker.unavailable');
    expect(error.message).toContain('Check that the engine in DOCKER_HOST is running');
  });

  it('connects to the engine this machine has (when it has one)', async () => {
    const probe = await probeDocker([]);
    if (!probe.docker) {
      if (process.env.CI === 'true') throw new Error(`Docker is required when CI=true: ${probe.reason}`);
      console.warn(`⚠ skipping the real connection check: ${probe.reason}`);
      return;
    }
    const connection = await connectDocker(process.env);
    expect(connection.serverVersion).toMatch(/^\d+\.\d+/);
  });
});
