// Checks that ask the container engine, not spans: after an execution's cleanup, does anything
// labelled with its run id remain (`[expect.hermeticity] no_*_leakage`, `[expect.isolation]
// cleanup_verified`, `[cleanup] verify_cleanup`)? And the cleanup policy itself: `[cleanup]`
// containers / networks / volumes and each service's `cleanup_policy` decide whether the
// execution's resources are removed for its outcome.
import type Docker from 'dockerode';
import type { ExpectationResult } from '../../shared/expect';
import type { ScenarioSpec, TestFile } from '../../shared/spec';
import type { CleanupPolicy } from '../../shared/spec/schema/services';
import { cleanupPolicy } from '../../shared/spec/normalise';
import { managedFilter } from '../docker';

export interface Leftovers {
  readonly containers: string[];
  readonly networks: string[];
  readonly volumes: string[];
}

/** Where each policy came from, e.g. `[cleanup] containers` or `service.db.cleanup_policy`. */
function policies(test: TestFile, scenario: ScenarioSpec): { policy: CleanupPolicy; from: string }[] {
  const out: { policy: CleanupPolicy; from: string }[] = [];
  for (const kind of ['containers', 'networks', 'volumes'] as const) {
    const value = test.cleanup?.[kind];
    if (value !== undefined) out.push({ policy: cleanupPolicy(value), from: `[cleanup] ${kind}` });
  }
  for (const s of [...Object.values(test.services), ...scenario.services]) {
    if (s.cleanupPolicy) out.push({ policy: s.cleanupPolicy, from: `${s.table}.${s.id}.cleanup_policy` });
  }
  return out;
}

/** True when some policy may keep the resources, so removal waits for the verdict. */
export function cleanupDeferred(test: TestFile, scenario: ScenarioSpec): boolean {
  return policies(test, scenario).some((p) => p.policy !== 'always');
}

/**
 * One decision per execution (its containers, network and volumes are removed together, since a
 * network or volume in use by a kept container cannot be removed): kept when any policy keeps them
 * for this outcome.
 */
export function cleanupDecision(test: TestFile, scenario: ScenarioSpec, passed: boolean): { remove: boolean; keptBy?: string } {
  const keeping = policies(test, scenario).find(({ policy }) => policy === 'never' || (policy === 'on_success' && !passed) || (policy === 'on_failure' && passed));
  return keeping ? { remove: false, keptBy: `${keeping.from} = "${keeping.policy}"` } : { remove: true };
}

/** Everything labelled with the execution's run id that still exists. */
export async function listLeftovers(docker: Docker, executionId: string): Promise<Leftovers> {
  const filters = managedFilter(executionId);
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return {
    containers: containers.map((c) => `${(c.Names[0] ?? c.Id).replace(/^\//, '')} (${c.State})`),
    networks: networks.map((n) => n.Name),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name),
  };
}

/** True when the file asks for any engine leakage check. */
export function wantsLeakageCheck(test: TestFile): boolean {
  const h = test.expect?.hermeticity;
  return Boolean(h?.no_container_leakage || h?.no_network_leakage || h?.no_volume_leakage || test.expect?.isolation?.cleanup_verified || test.cleanup?.verify_cleanup || test.report?.cleanup_verification);
}

function leak(expectation: string, what: string, left: string[], keptBy: string | undefined): ExpectationResult {
  const why = keptBy ? ` (kept by ${keptBy})` : '';
  return {
    expectation,
    kind: 'engine',
    passed: left.length === 0,
    message: left.length === 0 ? `no ${what} of this execution remains after cleanup` : `${left.length} ${what}${left.length === 1 ? '' : 's'} of this execution remain after cleanup${why}: ${left.slice(0, 5).join(', ')}`,
    spans: [],
  };
}

/** The leakage results the file asked for, from what the engine still holds. */
export function leakageResults(test: TestFile, left: Leftovers, keptBy: string | undefined): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  const h = test.expect?.hermeticity;
  if (h?.no_container_leakage) out.push(leak('expect.hermeticity.no_container_leakage', 'container', left.containers, keptBy));
  if (h?.no_network_leakage) out.push(leak('expect.hermeticity.no_network_leakage', 'network', left.networks, keptBy));
  if (h?.no_volume_leakage) out.push(leak('expect.hermeticity.no_volume_leakage', 'volume', left.volumes, keptBy));
  const all = [...left.containers.map((c) => `container ${c}`), ...left.networks.map((n) => `network ${n}`), ...left.volumes.map((v) => `volume ${v}`)];
  if (test.expect?.isolation?.cleanup_verified) out.push(leak('expect.isolation.cleanup_verified', 'resource', all, keptBy));
  if (test.cleanup?.verify_cleanup) out.push(leak('cleanup.verify_cleanup', 'resource', all, keptBy));
  return out;
}

/** What `[report] cleanup_verification` writes for one execution. */
export interface CleanupRecord {
  readonly removed: boolean;
  readonly keptBy?: string;
  readonly leftovers: Leftovers;
  readonly results: ExpectationResult[];
}
