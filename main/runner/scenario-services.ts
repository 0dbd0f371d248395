// The `services` phase of an execution: the test file's services as service definitions (OTLP wiring and
// the execution's tags in their environment, `[limits]`), started in dependency levels on a fresh
// network; then the plugins' `onServicesReady` with handles to what runs.
import { toProblem } from '../../shared/errors';
import type { ExecutionInfo, ServiceHandle } from '../../shared/plugins';
import { StudioError } from '../../shared/errors';
import type { ScenarioSpec, TestFile } from '../../shared/spec';
import { newExecutionIdentity, type ServiceDefinition, type ServiceEvent } from '../docker';
import type { ExecutionTrace } from './execution-trace';
import type { RunnerEnvironment } from './scenario';
import { withFileResources } from './otel-resources';
import { resourceAttributes } from './scenario';
import { interposeProxies } from './interpose';
import { chaosInterpose } from './scenario-chaos';
import { containerCount } from './scenario-commands';
import { serviceFromSpecWithLimits } from './services';
import type { ServiceSetPort } from './service-port';
import { storeSpanWaiter } from './span-wait';

export interface ServicesRequest {
  readonly test: TestFile;
  /** Its `[scenario.services]` start beside the file's. */
  readonly scenario: ScenarioSpec;
  readonly info: ExecutionInfo;
  readonly tags: Readonly<Record<string, string>>;
  readonly onEvent: (e: ServiceEvent) => void;
  readonly trace: ExecutionTrace;
}

/** The environment every service and step of the execution gets: where to send spans, and our tags. */
export function otelEnvironment(env: RunnerEnvironment, tags: Readonly<Record<string, string>>, fileEnv: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: env.otlpEndpoint,
    OTEL_RESOURCE_ATTRIBUTES: resourceAttributes(fileEnv.OTEL_RESOURCE_ATTRIBUTES, tags),
  };
}

/** The OTEL_RESOURCE_ATTRIBUTES a service or step starts from: the file's `[otel] resources`, then its own. */
export function fileOtelEnv(test: TestFile, own: Readonly<Record<string, string>> = {}): Record<string, string> {
  const merged = withFileResources(test, own.OTEL_RESOURCE_ATTRIBUTES);
  return merged === undefined ? { ...own } : { ...own, OTEL_RESOURCE_ATTRIBUTES: merged };
}

/** The execution's set of services, planned but not started (throws for an invalid plan: cycles, bad references). */
export function createServices(env: RunnerEnvironment, req: ServicesRequest): { set: ServiceSetPort; defs: ServiceDefinition[] } {
  const { test, scenario } = req;
  const needed = containerCount(test, scenario);
  if (test.limits?.max_containers !== undefined && needed > test.limits.max_containers) {
    throw new StudioError({ code: 'runner.limit', message: `scenario "${scenario.name}" needs ${needed} containers (services and one-off steps), more than [limits] max_containers = ${test.limits.max_containers}`, path: 'limits.max_containers' });
  }
  const services = [...Object.values(test.services), ...scenario.services].map((s) =>
    serviceFromSpecWithLimits(s, { baseEnv: { OTEL_SERVICE_NAME: s.id }, overrideEnv: otelEnvironment(env, req.tags, fileOtelEnv(test, s.env)) }, test.limits),
  );
  for (const s of services) if (s.note) env.emit({ type: 'log', source: test.name, message: s.note });
  const defs = interposeProxies(
    services.map((s) => s.definition),
    [...(env.interpose?.(test, req.info) ?? []), ...chaosInterpose(test, req.scenario)],
  );
  const extraEdges = (test.orchestration?.dependency_graph?.edges ?? []).map(([from, to]) => ({ dependency: from, dependent: to }));
  const set = env.services({
    services: defs,
    owner: newExecutionIdentity(req.info.executionId, req.info.runId),
    extraEdges,
    spanWaiter: storeSpanWaiter(env.store),
    onEvent: req.onEvent,
    stopTimeoutMs: env.stopTimeoutMs ?? 5000,
    hostAddress: env.hostAddress,
  });
  return { set, defs };
}

/**
 * Starts the services (throws what stopped them, after ending their spans with the reason; the caller
 * disposes the set either way), then tells the plugins what runs.
 */
export async function startServices(env: RunnerEnvironment, req: ServicesRequest, { set, defs }: { set: ServiceSetPort; defs: readonly ServiceDefinition[] }): Promise<void> {
  try {
    await set.start();
  } catch (error) {
    req.trace.servicesFailed(toProblem(error).message);
    throw error;
  }
  const handles: ServiceHandle[] = set.services().map((s) => {
    const def = defs.find((d) => d.id === s.id);
    return { id: s.id, containerId: s.containerId, image: s.image, aliases: [def?.dnsName ?? s.id, ...(def?.aliases ?? [])], ports: Object.fromEntries(s.ports) };
  });
  await env.hooks.call('onServicesReady', { execution: req.info, network: set.networkName, services: handles });
}
