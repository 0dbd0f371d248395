// `[expect.isolation]` checked against the engine: what each service container was attached to and
// mounted (inspected once its services have stopped, before removal) and which container ids earlier
// executions of the same run used. `cleanup_verified` is a leakage check (cleanup-check.ts).
import type Docker from 'dockerode';
import type { ExpectationResult } from '../../shared/expect';
import { isEngineSocket } from '../../shared/spec/host-access';
import type { TestFile } from '../../shared/spec';
import type { Leftovers } from './cleanup-check';

export interface ContainerIsolation {
  readonly service: string;
  readonly containerId: string;
  readonly networks: string[];
  /** Host paths and named volumes the container mounted (`bind:/src`, `volume:name`). */
  readonly mounts: string[];
}

/** Container ids used by earlier executions, per run (keyed by the run's environment object). */
const seenByRun = new WeakMap<object, Set<string>>();

export function wantsIsolation(test: TestFile): boolean {
  const i = test.expect?.isolation;
  return Boolean(i?.unique_container_ids || i?.no_persistent_state || i?.no_shared_networks || test.report?.isolation_report);
}

/** Networks and mounts of each container (by service id); a container the engine no longer has is reported without them. */
export async function inspectIsolation(docker: Docker, services: readonly { id: string; containerId: string }[]): Promise<ContainerIsolation[]> {
  const ordered = [...services].sort((a, b) => a.id.localeCompare(b.id));
  return Promise.all(
    ordered.map(async (s) => {
      const info = await docker
        .getContainer(s.containerId)
        .inspect()
        .catch(() => undefined);
      return {
        service: s.id,
        containerId: s.containerId,
        networks: Object.keys(info?.NetworkSettings?.Networks ?? {}),
        mounts: (info?.Mounts ?? []).map((m) => (m.Type === 'volume' ? `volume:${m.Name ?? m.Destination}` : `${m.Type}:${m.Source}`)),
      };
    }),
  );
}

function result(expectation: string, passed: boolean, message: string): ExpectationResult {
  return { expectation, kind: 'engine', passed, message, spans: [] };
}

/**
 * The isolation results the file asked for. `run` identifies the whole `clnrm run` (for
 * unique_container_ids); `network` is the execution's own network.
 */
export function isolationResults(test: TestFile, run: object, network: string, containers: readonly ContainerIsolation[], left: Leftovers): ExpectationResult[] {
  const wanted = test.expect?.isolation;
  const seen = seenByRun.get(run) ?? new Set<string>();
  seenByRun.set(run, seen);
  const reused = containers.filter((c) => seen.has(c.containerId));
  for (const c of containers) seen.add(c.containerId);
  const out: ExpectationResult[] = [];
  if (wanted?.unique_container_ids) {
    out.push(
      result(
        'expect.isolation.unique_container_ids',
        reused.length === 0 && containers.length > 0,
        containers.length === 0
          ? 'no service container to check: the scenario started none'
          : reused.length === 0
            ? `${containers.length} container${containers.length === 1 ? '' : 's'}, none used by an earlier execution`
            : `container of ${reused.map((c) => c.service).join(', ')} was used by an earlier execution`,
      ),
    );
  }
  if (wanted?.no_persistent_state) {
    // The engine's socket gives access to the engine, not a place where one run leaves files for the next
    // (what the engine keeps, leftovers, is the leakage checks' business).
    const mounted = containers.flatMap((c) => c.mounts.filter((m) => !(m.startsWith('bind:') && isEngineSocket(m.slice('bind:'.length)))).map((m) => `${c.service} ${m}`));
    const state = [...mounted, ...left.volumes.map((v) => `volume ${v} left after cleanup`)];
    out.push(result('expect.isolation.no_persistent_state', state.length === 0, state.length === 0 ? 'no host path or volume mounted, none left after cleanup' : `state outside the containers: ${state.slice(0, 5).join(', ')}`));
  }
  if (wanted?.no_shared_networks) {
    const shared = containers.filter((c) => c.networks.some((n) => n !== network));
    out.push(
      result(
        'expect.isolation.no_shared_networks',
        shared.length === 0,
        shared.length === 0 ? `every container is attached only to ${network}` : shared.map((c) => `${c.service} is also on ${c.networks.filter((n) => n !== network).join(', ')}`).join('; '),
      ),
    );
  }
  return out;
}
