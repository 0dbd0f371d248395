// Connecting to a Docker engine: DOCKER_HOST from the environment we are given (unix socket, tcp, ssh,
// npipe; TLS via DOCKER_TLS_VERIFY/DOCKER_CERT_PATH as the docker CLI does), else the default socket.
// An engine that does not answer becomes one `docker.unavailable` error that says how to start one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { StudioError } from '../../shared/errors';

export type DockerEnv = Readonly<Record<string, string | undefined>>;

export interface ConnectOptions {
  /** Bound on the first ping; an unreachable TCP engine must not hang the CLI. Default 5000. */
  readonly pingTimeoutMs?: number;
}

/** What the engine is, for messages and run records. */
export interface DockerEndpoint {
  /** e.g. `unix:///var/run/docker.sock`, `tcp://10.0.0.5:2375`. */
  readonly address: string;
  /** True when the engine runs on this machine (unix socket / npipe), so pids and 127.0.0.1 ports are ours. */
  readonly local: boolean;
}

export interface DockerConnection {
  readonly docker: Docker;
  readonly endpoint: DockerEndpoint;
  readonly serverVersion: string;
}

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Translates DOCKER_HOST & co into dockerode options (explicit, so process.env cannot leak in). */
export function dockerOptionsFromEnv(env: DockerEnv): { options: Docker.DockerOptions; endpoint: DockerEndpoint } {
  const raw = env.DOCKER_HOST?.trim();
  // `host: undefined` matters: docker-modem merges its own process.env defaults under ours.
  if (!raw) return { options: { socketPath: DEFAULT_SOCKET, host: undefined }, endpoint: { address: `unix://${DEFAULT_SOCKET}`, local: true } };
  if (raw.startsWith('unix://')) {
    const socketPath = raw.slice('unix://'.length) || DEFAULT_SOCKET;
    return { options: { socketPath, host: undefined }, endpoint: { address: `unix://${socketPath}`, local: true } };
  }
  if (raw.startsWith('npipe://')) {
    const socketPath = raw.slice('npipe://'.length) || '//./pipe/docker_engine';
    return { options: { socketPath, host: undefined }, endpoint: { address: `npipe://${socketPath}`, local: true } };
  }
  let url: URL;
  try {
    url = new URL(raw.includes('//') ? raw : `tcp://${raw}`);
  } catch {
    throw new StudioError({
      code: 'docker.unavailable',
      message: `DOCKER_HOST="${raw}" is not an address Docker understands; use unix:///path/docker.sock, tcp://host:2375 or ssh://user@host`,
      details: { dockerHost: raw },
    });
  }
  const options: Docker.DockerOptions = { host: url.hostname, socketPath: undefined };
  if (url.protocol === 'ssh:') {
    options.protocol = 'ssh';
    options.username = url.username || undefined;
    options.port = url.port || 22;
    options.sshOptions = { agent: env.SSH_AUTH_SOCK };
  } else {
    options.port = url.port || 2375;
    const tls = env.DOCKER_TLS_VERIFY === '1' || String(options.port) === '2376';
    options.protocol = tls ? 'https' : 'http';
    if (env.DOCKER_CERT_PATH) {
      try {
        options.ca = readFileSync(join(env.DOCKER_CERT_PATH, 'ca.pem'));
        options.cert = readFileSync(join(env.DOCKER_CERT_PATH, 'cert.pem'));
        options.key = readFileSync(join(env.DOCKER_CERT_PATH, 'key.pem'));
        options.protocol = 'https';
      } catch (error) {
        throw new StudioError({
          code: 'docker.unavailable',
          message: `cannot read the TLS certificates in DOCKER_CERT_PATH=${env.DOCKER_CERT_PATH} (ca.pem, cert.pem, key.pem): ${(error as Error).message}`,
        });
      }
    }
  }
  return { options, endpoint: { address: raw, local: false } };
}

/** Connects and pings. Throws `docker.unavailable` (with how to start Docker) when the engine does not answer. */
export async function connectDocker(env: DockerEnv, options: ConnectOptions = {}): Promise<DockerConnection> {
  const { options: dockerOptions, endpoint } = dockerOptionsFromEnv(env);
  const docker = new Docker(dockerOptions);
  const timeoutMs = options.pingTimeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const version = await Promise.race([
      docker.version(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { docker, endpoint, serverVersion: version.Version };
  } catch (error) {
    throw unavailable(endpoint, error);
  } finally {
    clearTimeout(timer);
  }
}

function unavailable(endpoint: DockerEndpoint, error: unknown): StudioError {
  const reason = error instanceof Error ? error.message : String(error);
  const how = endpoint.local
    ? 'Start Docker (Docker Desktop, `sudo systemctl start docker`, or `sudo dockerd &`), or set DOCKER_HOST to a remote engine (tcp://host:2375, ssh://user@host).'
    : 'Check that the engine in DOCKER_HOST is running and reachable from here, or unset DOCKER_HOST to use the local Docker.';
  return new StudioError({
    code: 'docker.unavailable',
    message: `Docker is not reachable at ${endpoint.address} (${reason}). ${how}`,
    details: { address: endpoint.address, reason },
  });
}
