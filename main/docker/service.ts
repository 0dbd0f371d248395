// What a service of a run is, in Docker terms. The runner maps a test file's `[services.x]` onto
// `ServiceDefinition` (clnrm `args` → `command`, `health_check` → `healthCheck`, `wait_for_span` → a
// `span` wait strategy, `depends_on` → `dependsOn`). Kept small and plain on purpose.
import type Docker from 'dockerode';
import { StudioError } from '../../shared/errors';
import type { ExecutionIdentity } from './labels';
import { executionLabels, LABEL_ALIASES, LABEL_LIMIT_CPUS, LABEL_LIMIT_MEMORY } from './labels';
import type { WaitStrategy } from './wait';

export interface VolumeDefinition {
  /** Absolute path inside the container. */
  readonly containerPath: string;
  /** Absolute host path to bind; omit for a fresh Docker volume owned (and removed) by the run. */
  readonly hostPath?: string;
  readonly readOnly?: boolean;
}

export interface HealthCheckDefinition {
  /** Exec form, e.g. `["wget", "-qO-", "http://localhost:8080/health"]`; passes when it exits 0. */
  readonly cmd: readonly string[];
  /** Pause between tries. Default 500. */
  readonly intervalMs?: number;
  /** Tries before giving up. Default 30. */
  readonly retries?: number;
  /** Bound on one try. Default 5000. */
  readonly timeoutMs?: number;
}

export interface ServiceDefinition {
  /** Service id: the DNS name other services of the run use, and part of the container name. */
  readonly id: string;
  readonly image: string;
  /** Replaces the image's CMD (clnrm `args`). */
  readonly command?: readonly string[];
  /** Replaces the image's ENTRYPOINT. */
  readonly entrypoint?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Container TCP ports; each is published on a random 127.0.0.1 port of the engine's host. */
  readonly ports?: readonly number[];
  readonly volumes?: readonly VolumeDefinition[];
  readonly limits?: { readonly memoryMb?: number; readonly cpus?: number };
  /** Shorthand for a `health` wait strategy (clnrm `health_check`). */
  readonly healthCheck?: HealthCheckDefinition;
  /** Readiness conditions, all of which must hold before dependents start. None: ready once started. */
  readonly waitFor?: readonly WaitStrategy[];
  /** Ids of services that must be ready before this one starts. */
  readonly dependsOn?: readonly string[];
  /**
   * The name other containers of the run reach it by. Default: its id. A proxy that takes the id over
   * (main/runner/interpose.ts) gives the service another name, so the system under test is unchanged.
   */
  readonly dnsName?: string;
  /** Extra DNS aliases on the run network. */
  readonly aliases?: readonly string[];
  readonly workdir?: string;
  /** Run a tiny init as PID 1 (reaps zombies, forwards SIGTERM to processes that ignore it as PID 1). */
  readonly init?: boolean;
  /** SIGTERM grace before SIGKILL when stopping. Default: the set's stopTimeoutMs. */
  readonly stopTimeoutMs?: number;
}

const ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

/** Checks what Docker would reject late (or worse, accept wrongly); the error names the service and field. */
export function validateService(def: ServiceDefinition): void {
  const fail = (field: string, message: string): never => {
    throw new StudioError({ code: 'toml.shape', message: `service "${def.id}": ${field} ${message}`, path: `services.${def.id}.${field}` });
  };
  if (!ID_PATTERN.test(def.id)) fail('id', 'must be 1-63 chars of letters, digits, _ . - (it is a DNS name on the run network)');
  if (!def.image || /\s/.test(def.image)) fail('image', `must be an image reference like "cleanroom/busybox:latest", got ${JSON.stringify(def.image)}`);
  for (const [i, port] of (def.ports ?? []).entries()) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`ports[${i}]`, `must be a TCP port 1-65535, got ${port}`);
  }
  for (const [i, v] of (def.volumes ?? []).entries()) {
    if (!v.containerPath.startsWith('/')) fail(`volumes[${i}].container_path`, `must be absolute, got "${v.containerPath}"`);
    if (v.hostPath !== undefined && !v.hostPath.startsWith('/')) fail(`volumes[${i}].host_path`, `must be absolute, got "${v.hostPath}"`);
  }
  if (def.limits?.memoryMb !== undefined && !(def.limits.memoryMb >= 6)) fail('limits.memory_mb', 'must be at least 6 (Docker refuses less)');
  if (def.limits?.cpus !== undefined && !(def.limits.cpus > 0)) fail('limits.cpus', 'must be a positive number');
  if (def.healthCheck && def.healthCheck.cmd.length === 0) fail('health_check.cmd', 'must not be empty');
  for (const alias of def.aliases ?? []) if (!ID_PATTERN.test(alias)) fail('aliases', `"${alias}" is not a valid DNS alias`);
  if (def.dnsName !== undefined && !ID_PATTERN.test(def.dnsName)) fail('dnsName', `"${def.dnsName}" is not a valid DNS name`);
  for (const [i, wait] of (def.waitFor ?? []).entries()) {
    if (wait.kind === 'log' && typeof wait.pattern === 'string') {
      try {
        new RegExp(wait.pattern);
      } catch (error) {
        fail(`wait_for[${i}].pattern`, `is not a valid regular expression: ${(error as Error).message}`);
      }
    }
    if (wait.kind === 'port' && !(def.ports ?? []).includes(wait.port)) fail(`wait_for[${i}].port`, `${wait.port} must also be listed in ports (it is reached through its published port)`);
    if (wait.timeoutMs !== undefined && !(wait.timeoutMs > 0)) fail(`wait_for[${i}].timeout_ms`, 'must be a positive number of milliseconds');
  }
}

export function containerName(owner: ExecutionIdentity, serviceId: string): string {
  return `clnrm-${owner.executionId}-${serviceId}`;
}

/** The engine-side create request for one service on the run network. */
export function createOptions(
  def: ServiceDefinition,
  owner: ExecutionIdentity,
  network: string,
  volumeNames: ReadonlyMap<number, string>,
  stopTimeoutMs: number,
): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of def.ports ?? []) {
    exposed[`${port}/tcp`] = {};
    // Loopback only: a test system must not be reachable from the network the developer is on.
    bindings[`${port}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: '' }];
  }
  const binds = (def.volumes ?? []).map((v, i) => `${v.hostPath ?? volumeNames.get(i)}:${v.containerPath}${v.readOnly ? ':ro' : ''}`);
  const memory = def.limits?.memoryMb ? Math.round(def.limits.memoryMb * 1024 * 1024) : undefined;
  const aliases = [def.dnsName ?? def.id, ...(def.aliases ?? [])];
  return {
    name: containerName(owner, def.id),
    Image: def.image,
    // The engine's DNS also answers for a container's hostname, so a service that gave its name away
    // (dnsName) must not keep it as hostname either.
    Hostname: (def.dnsName ?? def.id).replace(/[_.]/g, '-'),
    Cmd: def.command ? [...def.command] : undefined,
    Entrypoint: def.entrypoint ? [...def.entrypoint] : undefined,
    Env: Object.entries(def.env ?? {}).map(([k, v]) => `${k}=${v}`),
    WorkingDir: def.workdir,
    ExposedPorts: exposed,
    Labels: {
      ...executionLabels(owner, def.id),
      [LABEL_LIMIT_MEMORY]: String(memory ?? 0),
      [LABEL_LIMIT_CPUS]: String(def.limits?.cpus ?? 0),
      [LABEL_ALIASES]: aliases.join(','),
    },
    StopTimeout: Math.ceil((def.stopTimeoutMs ?? stopTimeoutMs) / 1000),
    HostConfig: {
      PortBindings: bindings,
      Binds: binds,
      // Lets containers reach the OTLP receiver on the host: it must listen on an address the bridge
      // can reach (0.0.0.0 or the bridge gateway), not only 127.0.0.1.
      ExtraHosts: ['host.docker.internal:host-gateway'],
      Memory: memory,
      // Swap equal to memory: the limit is hard, so exceeding it is an OOM kill (evidence), not slow swapping.
      MemorySwap: memory,
      NanoCpus: def.limits?.cpus ? Math.round(def.limits.cpus * 1e9) : undefined,
      Init: def.init ?? undefined,
      NetworkMode: network,
    },
    NetworkingConfig: {
      EndpointsConfig: { [network]: { Aliases: aliases } },
    },
  };
}
