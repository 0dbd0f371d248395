// The containers of one run: one bridge network (service ids are DNS aliases on it), containers started
// level by level in dependency order (a level starts in parallel and must be ready before the next),
// stopped in reverse order (SIGTERM, grace, then kill), and removed by `dispose()` — found by the run's
// labels, so even a container whose creation raced a failure is removed.
import type Docker from 'dockerode';
import { StudioError, toProblem } from '../../shared/errors';
import { planStartOrder, type DependencyEdge, type StartPlan } from '../../shared/orchestration/dag';
import { collectEvidence, type ContainerEvidence } from './evidence';
import { execInContainer, runToCompletion, type CommandOptions, type CommandResult, type RunOptions } from './exec';
import { ensureImages } from './images';
import { executionLabels, LABEL_EXECUTION_ID, LABEL_MANAGED, newExecutionIdentity, type ExecutionIdentity } from './labels';
import { createOptions, validateService, type ServiceDefinition } from './service';
import { sampleStats, type ContainerStatsSample } from './stats';
import { waitUntilReady, type SpanWaiter, type WaitStrategy } from './wait';

export interface ServiceSetOptions {
  readonly services: readonly ServiceDefinition[];
  /** Whose resources these are. Default: a fresh execution (its own run) owned by this process. */
  readonly owner?: ExecutionIdentity;
  /** More ordering edges, e.g. from `[orchestration.dependency_graph]`. */
  readonly extraEdges?: readonly DependencyEdge[];
  /** SIGTERM grace before SIGKILL. Default 5000. */
  readonly stopTimeoutMs?: number;
  /** Pull missing images (off by default: no surprise registry traffic). */
  readonly pull?: boolean;
  /** The runner's span feed, for `span` wait strategies. */
  readonly spanWaiter?: SpanWaiter;
  /** Where published ports are reachable from this process. Default 127.0.0.1 (a local engine). */
  readonly hostAddress?: string;
  /** Log lines kept per container in evidence. Default 50. */
  readonly logTailLines?: number;
  readonly onEvent?: (event: ServiceEvent) => void;
}

export type ServiceEventType = 'network-created' | 'creating' | 'started' | 'ready' | 'stopping' | 'stopped' | 'removed' | 'failed';

export interface ServiceEvent {
  readonly type: ServiceEventType;
  readonly service?: string;
  /** Epoch milliseconds with sub-millisecond precision. */
  readonly at: number;
  readonly detail?: string;
}

export interface RunningService {
  readonly id: string;
  readonly containerId: string;
  readonly image: string;
  /** Container port → host port on `hostAddress`. */
  readonly ports: ReadonlyMap<number, number>;
}

type State = 'new' | 'starting' | 'started' | 'stopping' | 'stopped' | 'disposed';

const now = () => performance.timeOrigin + performance.now();

export class ServiceSet {
  readonly owner: ExecutionIdentity;
  readonly plan: StartPlan;
  readonly networkName: string;
  private readonly docker: Docker;
  private readonly options: ServiceSetOptions;
  private readonly definitions = new Map<string, ServiceDefinition>();
  private readonly running = new Map<string, RunningService>();
  private readonly cancel = new AbortController();
  private state: State = 'new';
  private starting?: Promise<void>;
  private disposing?: Promise<void>;
  private stopped?: Promise<ContainerEvidence[]>;

  /** Validates every service and plans the order; throws `toml.shape`, `spec.reference` or `spec.cycle`. */
  constructor(docker: Docker, options: ServiceSetOptions) {
    this.docker = docker;
    this.options = options;
    this.owner = options.owner ?? newExecutionIdentity();
    this.networkName = `clnrm-${this.owner.executionId}`;
    for (const def of options.services) {
      validateService(def);
      this.definitions.set(def.id, def);
    }
    const planned = planStartOrder(options.services, options.extraEdges);
    if (!planned.ok) throw new StudioError(planned.problem);
    this.plan = planned.plan;
  }

  get executionId(): string {
    return this.owner.executionId;
  }

  /** Creates the network and starts every service in order, waiting for readiness. Call `dispose()` after, also on failure. */
  start(): Promise<void> {
    if (this.state !== 'new') throw new StudioError({ code: 'internal', message: `service set of execution ${this.executionId} was already started` });
    this.state = 'starting';
    this.starting = this.startAll().then(
      () => {
        if (this.state === 'starting') this.state = 'started';
      },
      (error: unknown) => {
        this.emit({ type: 'failed', detail: toProblem(error).message });
        throw error;
      },
    );
    return this.starting;
  }

  /** A started service; throws when the id is unknown or not started. */
  service(id: string): RunningService {
    const found = this.running.get(id);
    if (!found) {
      const known = [...this.definitions.keys()].join(', ');
      throw new StudioError({ code: 'spec.reference', message: `no running service "${id}" in execution ${this.executionId} (services: ${known})` });
    }
    return found;
  }

  services(): RunningService[] {
    return [...this.running.values()];
  }

  exec(id: string, options: CommandOptions): Promise<CommandResult> {
    return execInContainer(this.docker, this.service(id).containerId, options);
  }

  /** A one-off container on the run network (service names resolve), labelled with the run. */
  runOnce(options: Omit<RunOptions, 'network' | 'labels'>, label = 'step'): Promise<CommandResult> {
    return runToCompletion(this.docker, { ...options, network: this.networkName, labels: executionLabels(this.owner, label) });
  }

  /** Evidence of every container now (state, exit code, OOM, log tail). */
  evidence(): Promise<ContainerEvidence[]> {
    return Promise.all(this.services().map((s) => collectEvidence(this.docker, s.id, s.containerId, this.options.logTailLines ?? 50)));
  }

  /** One CPU/memory/network sample per running service (taken in parallel; ~1 s). */
  async stats(): Promise<ContainerStatsSample[]> {
    const samples = await Promise.all(this.services().map((s) => sampleStats(this.docker, s.id, s.containerId)));
    return samples.filter((s): s is ContainerStatsSample => s !== undefined);
  }

  /** Stops services in reverse dependency order; resolves with each container's final evidence. */
  stop(): Promise<ContainerEvidence[]> {
    this.stopped ??= this.stopAll();
    return this.stopped;
  }

  /** Stops (if needed) and removes every container, network and volume of this run. Idempotent. */
  dispose(): Promise<void> {
    this.disposing ??= this.disposeAll();
    return this.disposing;
  }

  private emit(event: Omit<ServiceEvent, 'at'>): void {
    this.options.onEvent?.({ ...event, at: now() });
  }

  private async startAll(): Promise<void> {
    const defs = [...this.definitions.values()];
    await ensureImages(this.docker, defs.map((d) => d.image), { pull: this.options.pull });
    await this.docker.createNetwork({ Name: this.networkName, Driver: 'bridge', CheckDuplicate: true, Labels: executionLabels(this.owner) });
    this.emit({ type: 'network-created', detail: this.networkName });
    for (const level of this.plan.levels) {
      if (this.cancel.signal.aborted) throw cancelled(this.executionId);
      const results = await Promise.allSettled(level.map((id) => this.startService(this.definitions.get(id)!)));
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
      if (failures.length > 0) {
        if (failures.length === 1) throw failures[0];
        const first = toProblem(failures[0]);
        throw new StudioError({ ...first, details: { ...first.details, otherFailures: failures.slice(1).map((f) => toProblem(f)) } });
      }
    }
  }

  private async startService(def: ServiceDefinition): Promise<void> {
    this.emit({ type: 'creating', service: def.id });
    const volumeNames = new Map<number, string>();
    for (const [i, v] of (def.volumes ?? []).entries()) {
      if (v.hostPath !== undefined) continue;
      const name = `clnrm-${this.executionId}-${def.id}-v${i}`;
      await this.docker.createVolume({ Name: name, Labels: executionLabels(this.owner, def.id) });
      volumeNames.set(i, name);
    }
    const container = await this.docker
      .createContainer(createOptions(def, this.owner, this.networkName, volumeNames, this.options.stopTimeoutMs ?? 5000))
      .catch((error: Error) => {
        throw engineError(def.id, 'create', error);
      });
    const ports = new Map<number, number>();
    // Known before it starts, so stop() collects its evidence even when the start fails.
    this.running.set(def.id, { id: def.id, containerId: container.id, image: def.image, ports });
    if (this.cancel.signal.aborted) throw cancelled(this.executionId);
    await container.start().catch((error: Error) => {
      throw engineError(def.id, 'start', error);
    });
    const info = await container.inspect();
    for (const port of def.ports ?? []) {
      const binding = info.NetworkSettings.Ports?.[`${port}/tcp`]?.[0];
      if (binding?.HostPort) ports.set(port, Number(binding.HostPort));
    }
    this.emit({ type: 'started', service: def.id });
    const strategies: WaitStrategy[] = [...(def.waitFor ?? [])];
    if (def.healthCheck) strategies.push({ kind: 'health', ...def.healthCheck, tryTimeoutMs: def.healthCheck.timeoutMs, timeoutMs: undefined, retries: def.healthCheck.retries ?? 30 });
    await waitUntilReady(
      {
        docker: this.docker,
        executionId: this.executionId,
        service: def.id,
        containerId: container.id,
        hostPort: (p) => ports.get(p),
        hostAddress: this.options.hostAddress ?? '127.0.0.1',
        spanWaiter: this.options.spanWaiter,
      },
      strategies,
      this.cancel.signal,
    );
    this.emit({ type: 'ready', service: def.id });
  }

  private async stopAll(): Promise<ContainerEvidence[]> {
    if (this.state === 'new') {
      this.state = 'stopped';
      return [];
    }
    this.cancel.abort();
    await this.starting?.catch(() => undefined);
    this.state = 'stopping';
    const evidence: ContainerEvidence[] = [];
    for (const level of this.plan.stopLevels) {
      const stoppedLevel = await Promise.all(level.filter((id) => this.running.has(id)).map((id) => this.stopService(id)));
      evidence.push(...stoppedLevel);
    }
    this.state = 'stopped';
    return evidence;
  }

  private async stopService(id: string): Promise<ContainerEvidence> {
    const service = this.running.get(id)!;
    const def = this.definitions.get(id)!;
    const container = this.docker.getContainer(service.containerId);
    this.emit({ type: 'stopping', service: id });
    const graceSeconds = Math.ceil((def.stopTimeoutMs ?? this.options.stopTimeoutMs ?? 5000) / 1000);
    try {
      // The engine sends SIGTERM, waits the grace period, then SIGKILLs.
      await container.stop({ t: graceSeconds });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      // 304: already stopped; 404: already gone. Anything else: make sure it is dead.
      if (status !== 304 && status !== 404) await container.kill().catch(() => undefined);
    }
    const evidence = await collectEvidence(this.docker, id, service.containerId, this.options.logTailLines ?? 50);
    this.emit({ type: 'stopped', service: id, detail: evidence.exitCode === null ? evidence.status : `exit ${evidence.exitCode}` });
    return evidence;
  }

  private async disposeAll(): Promise<void> {
    await this.stop().catch(() => undefined);
    this.state = 'disposed';
    await removeExecutionResources(this.docker, this.executionId, (type, detail) => this.emit({ type, detail }));
    this.running.clear();
  }
}

function engineError(service: string, action: string, error: Error): StudioError {
  return new StudioError({ code: 'docker.failed', message: `service "${service}": Docker could not ${action} its container: ${error.message}`, details: { service } });
}

function cancelled(executionId: string): StudioError {
  return new StudioError({ code: 'docker.failed', message: `execution ${executionId} was cancelled while starting` });
}

/**
 * Removes every container, network and volume of one execution (labelled `clnrm.execution_id`, or
 * `label` for resources of older versions), containers first: networks and volumes in use cannot be
 * removed. Returns what was removed; problems are collected, not thrown.
 */
export async function removeExecutionResources(
  docker: Docker,
  executionId: string,
  onRemoved?: (type: 'removed', detail: string) => void,
  label: string = LABEL_EXECUTION_ID,
): Promise<{ containers: number; networks: number; volumes: number; errors: string[] }> {
  const filters = { label: [`${LABEL_MANAGED}=true`, `${label}=${executionId}`] };
  const errors: string[] = [];
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .then(() => onRemoved?.('removed', `container ${c.Names[0] ?? c.Id}`))
        .catch((e: Error) => errors.push(`container ${c.Id.slice(0, 12)}: ${e.message}`)),
    ),
  );
  const networks = await docker.listNetworks({ filters });
  for (const n of networks) {
    await docker
      .getNetwork(n.Id)
      .remove()
      .then(() => onRemoved?.('removed', `network ${n.Name}`))
      .catch((e: Error) => errors.push(`network ${n.Name}: ${e.message}`));
  }
  const volumes = (await docker.listVolumes({ filters })).Volumes ?? [];
  for (const v of volumes) {
    await docker
      .getVolume(v.Name)
      .remove()
      .then(() => onRemoved?.('removed', `volume ${v.Name}`))
      .catch((e: Error) => errors.push(`volume ${v.Name}: ${e.message}`));
  }
  return { containers: containers.length, networks: networks.length, volumes: volumes.length, errors };
}
