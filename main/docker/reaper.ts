// Removes what crashed runs left behind: containers, networks and volumes labelled `clnrm.managed=true`
// whose execution is not live. An execution is live while its owner process (pid + process start time, on
// this host) is alive; one of another host is only reaped once older than `olderThanMs`. Resources of
// versions before executions had their own label carry the execution's id as `clnrm.run_id`. Faults of a
// dead execution are reverted (main/chaos/revert.ts) before its resources are removed.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type Docker from 'dockerode';
import { revertFaultsFromLabels } from '../chaos/revert';
import { LABEL_EXECUTION_ID, LABEL_HOST, LABEL_PID, LABEL_PID_STARTED, LABEL_RUN_ID, LABEL_STARTED, managedFilter } from './labels';
import { removeExecutionResources } from './service-set';

/** The earlier name of the execution-start label. */
const LEGACY_STARTED = 'clnrm.run_started_at';

export interface ReapOptions {
  /** Also reap executions older than this, even if their owner looks alive (or is on another host). */
  readonly olderThanMs?: number;
  /** Never reap this execution (the caller's own). */
  readonly keepExecutionId?: string;
  /** Only consider this execution; default: every managed one. */
  readonly onlyExecutionId?: string;
  /** For tests: when now is. */
  readonly now?: number;
}

export interface ReapReport {
  /** Execution ids whose resources were removed. */
  readonly executions: string[];
  readonly containers: number;
  readonly networks: number;
  readonly volumes: number;
  /** Faults undone before the removal, summed over the executions (main/chaos/revert.ts). */
  readonly faults: FaultsUndone;
  readonly errors: string[];
}

export interface FaultsUndone {
  unpaused: number;
  rulesDeleted: number;
  limitsRestored: number;
  reconnected: number;
  workersKilled: number;
}

interface Owner {
  /** The label that groups the execution's resources (the legacy one for older resources). */
  label: string;
  pid: number;
  pidStartedAt: number;
  startedAt: number;
  host: string;
}

export async function reapLeftovers(docker: Docker, options: ReapOptions = {}): Promise<ReapReport> {
  const filters = managedFilter(options.onlyExecutionId);
  const owners = new Map<string, Owner>();
  const note = (labels: Record<string, string> | undefined) => {
    const label = labels?.[LABEL_EXECUTION_ID] !== undefined ? LABEL_EXECUTION_ID : LABEL_RUN_ID;
    const id = labels?.[label];
    if (!labels || !id || owners.has(id)) return;
    owners.set(id, {
      label,
      pid: Number(labels[LABEL_PID]),
      pidStartedAt: Number(labels[LABEL_PID_STARTED]),
      startedAt: Number(labels[LABEL_STARTED] ?? labels[LEGACY_STARTED]),
      host: labels[LABEL_HOST] ?? '',
    });
  };
  for (const c of await docker.listContainers({ all: true, filters })) note(c.Labels);
  for (const n of await docker.listNetworks({ filters })) note(n.Labels);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) note(v.Labels ?? undefined);

  const faults: FaultsUndone = { unpaused: 0, rulesDeleted: 0, limitsRestored: 0, reconnected: 0, workersKilled: 0 };
  const report = { executions: [] as string[], containers: 0, networks: 0, volumes: 0, faults, errors: [] as string[] };
  const now = options.now ?? Date.now();
  const here = hostname();
  for (const [id, owner] of owners) {
    if (id === options.keepExecutionId) continue;
    if (!isDead(owner, here, now, options.olderThanMs)) continue;
    // Undo its faults first: a paused container or a lowered limit is the engine's state, not the runner's.
    if (owner.label === LABEL_EXECUTION_ID) {
      const { errors, ...undone } = await revertFaultsFromLabels(docker, id);
      for (const k of Object.keys(faults) as (keyof FaultsUndone)[]) faults[k] += undone[k];
      report.errors.push(...errors);
    }
    const removed = await removeExecutionResources(docker, id, undefined, owner.label);
    report.executions.push(id);
    report.containers += removed.containers;
    report.networks += removed.networks;
    report.volumes += removed.volumes;
    report.errors.push(...removed.errors);
  }
  return report;
}

function isDead(owner: Owner, here: string, now: number, olderThanMs: number | undefined): boolean {
  if (olderThanMs !== undefined && Number.isFinite(owner.startedAt) && now - owner.startedAt > olderThanMs) return true;
  // Unlabelled or foreign owners are only reaped by age: we cannot see their processes.
  if (owner.host !== here || !Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  return !processAlive(owner.pid, owner.pidStartedAt);
}

/** True when `pid` runs and is the same process that started at `startedAt` (not a reused pid). */
export function processAlive(pid: number, startedAt: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const actualStart = processStartTime(pid);
  // A process that started well after the execution's owner did is a different process with a reused pid.
  if (actualStart !== undefined && Number.isFinite(startedAt) && actualStart > startedAt + 2000) return false;
  return true;
}

/** Linux: process start in epoch ms from /proc (boot time + start ticks); undefined elsewhere. */
function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime) counts after the ")" closing the command name, which may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(btime)) return undefined;
    // USER_HZ is 100 on every mainstream Linux build.
    return btime * 1000 + ticks * 10;
  } catch {
    return undefined;
  }
}
