// Spans home from an engine whose containers cannot reach this machine (a remote DOCKER_HOST): each
// execution gets an OTLP relay container (cleanroom/otlp-relay, main/relay) on its own network, started
// before every service and stopped after them; services and steps send to `http://clnrm-otlp-relay:4318`,
// and the relay's records come back over the engine's API (relay-stream.ts). Its SIGTERM — the last stop of
// the set — is the flush request, so the end marker is checked before the execution's quiet wait and its
// expectations. The relay hides behind the ServiceSetPort seam: plugins, evidence and the execution's
// trace see only the test's services. `CLNRM_RELAY=always|never|auto` (auto: remote engines only).
import { StudioError } from '../../shared/errors';
import type { DockerEndpoint, ServiceDefinition, ServiceEvent, ServiceSetOptions } from '../docker';
import type Docker from 'dockerode';
import type { TraceStore } from '../store';
import { RelayFollower } from './relay-stream';
import type { ServiceSetFactory, ServiceSetPort } from './service-port';

export const RELAY_IMAGE = 'cleanroom/otlp-relay:latest';
/** The relay's service id and DNS name on the execution's network. */
export const RELAY_SERVICE = 'clnrm-otlp-relay';
export const RELAY_OTLP_ENDPOINT = `http://${RELAY_SERVICE}:4318`;

export type RelayMode = 'always' | 'never' | 'auto';
const MODES: readonly RelayMode[] = ['always', 'never', 'auto'];

/** `CLNRM_RELAY` (default auto); another value is a `relay.mode` error. */
export function relayMode(env: Readonly<Record<string, string | undefined>>): RelayMode {
  const raw = env.CLNRM_RELAY?.trim().toLowerCase() || 'auto';
  if ((MODES as readonly string[]).includes(raw)) return raw as RelayMode;
  throw new StudioError({ code: 'relay.mode', message: `CLNRM_RELAY="${env.CLNRM_RELAY}" is not a relay mode: use always, never or auto (auto relays spans for remote engines only)` });
}

/** Whether executions on this engine send spans through a relay. */
export function wantsRelay(mode: RelayMode, endpoint: DockerEndpoint): boolean {
  return mode === 'always' || (mode === 'auto' && !endpoint.local);
}

/** Where an engine's containers send spans, and how its executions get their services. */
export interface SpanRoute {
  readonly otlpEndpoint: string;
  readonly services: ServiceSetFactory;
  /** Said in the run's start line. */
  readonly description: string;
}

export function spanRoute(docker: Docker, endpoint: DockerEndpoint, store: TraceStore, env: Readonly<Record<string, string | undefined>>, direct: { otlpEndpoint: string; services: ServiceSetFactory }): SpanRoute {
  if (!wantsRelay(relayMode(env), endpoint)) return { ...direct, description: `containers send to ${direct.otlpEndpoint}` };
  return { otlpEndpoint: RELAY_OTLP_ENDPOINT, services: relayedServiceSets(direct.services, docker, store), description: `containers send to a relay per execution (${RELAY_IMAGE}), read back over the engine's API` };
}

const RELAY_DEFINITION: ServiceDefinition = {
  id: RELAY_SERVICE,
  image: RELAY_IMAGE,
  waitFor: [{ kind: 'log', pattern: /^CLNRM-RELAY\/1 ready /m, timeoutMs: 30_000 }],
  // Its flush on SIGTERM writes what it holds; a generous grace before the engine kills it.
  stopTimeoutMs: 10_000,
};

/** Service sets with a relay in front: it starts first (every service depends on it) and stops last. */
export function relayedServiceSets(inner: ServiceSetFactory, docker: Docker, store: TraceStore): ServiceSetFactory {
  return (options) => new RelayedSet(inner, docker, store, options);
}

class RelayedSet implements ServiceSetPort {
  private readonly inner: ServiceSetPort;
  private follower: RelayFollower | undefined;
  private following: Promise<void> | undefined;
  private stopped: ReturnType<ServiceSetPort['stop']> | undefined;

  constructor(factory: ServiceSetFactory, docker: Docker, store: TraceStore, options: ServiceSetOptions) {
    const clash = options.services.find((s) => s.id === RELAY_SERVICE || s.dnsName === RELAY_SERVICE || s.aliases?.includes(RELAY_SERVICE));
    if (clash) throw new StudioError({ code: 'spec.reference', message: `service "${clash.id}" uses the name "${RELAY_SERVICE}", which the span relay of a remote engine needs: rename it` });
    const executionId = options.owner?.executionId ?? 'unknown';
    const onEvent = (event: ServiceEvent): void => {
      if (event.service !== RELAY_SERVICE) return options.onEvent?.(event);
      // Started: follow its output from the beginning, while the services start (their wait_for_span needs the spans).
      if (event.type === 'started' && !this.follower) {
        const relay = this.inner.services().find((s) => s.id === RELAY_SERVICE);
        if (relay) {
          this.follower = new RelayFollower({ docker, containerId: relay.containerId, store, executionId });
          this.following = this.follower.follow();
        }
      }
    };
    this.inner = factory({
      ...options,
      services: [RELAY_DEFINITION, ...options.services],
      extraEdges: [...(options.extraEdges ?? []), ...options.services.map((s) => ({ dependency: RELAY_SERVICE, dependent: s.id }))],
      onEvent,
    });
  }

  get networkName(): string {
    return this.inner.networkName;
  }

  get plan(): ServiceSetPort['plan'] {
    return { levels: this.inner.plan.levels.map((level) => level.filter((id) => id !== RELAY_SERVICE)).filter((level) => level.length > 0) };
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  service(id: string): ReturnType<ServiceSetPort['service']> {
    return this.inner.service(id);
  }

  services(): ReturnType<ServiceSetPort['services']> {
    return this.inner.services().filter((s) => s.id !== RELAY_SERVICE);
  }

  exec(...args: Parameters<ServiceSetPort['exec']>): ReturnType<ServiceSetPort['exec']> {
    return this.inner.exec(...args);
  }

  runOnce(...args: Parameters<ServiceSetPort['runOnce']>): ReturnType<ServiceSetPort['runOnce']> {
    return this.inner.runOnce(...args);
  }

  async evidence(): ReturnType<ServiceSetPort['evidence']> {
    return (await this.inner.evidence()).filter((e) => e.service !== RELAY_SERVICE);
  }

  /** Stops the services, then the relay (its flush); resolves once every span it accepted is stored. */
  stop(): ReturnType<ServiceSetPort['stop']> {
    this.stopped ??= this.stopAndSettle();
    return this.stopped;
  }

  private async stopAndSettle(): ReturnType<ServiceSetPort['stop']> {
    const evidence = await this.inner.stop();
    if (this.follower) {
      await this.following;
      await this.follower.settle();
    }
    return evidence.filter((e) => e.service !== RELAY_SERVICE);
  }

  async dispose(): Promise<void> {
    try {
      await this.inner.dispose();
    } finally {
      this.follower?.close();
    }
  }
}
