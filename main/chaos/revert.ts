// Undoing the faults of an execution knowing only what the engine tells us — for a runner that died
// mid-experiment (the reaper calls it before removing a dead execution's resources). Nothing comes
// from the dead process: paused containers are unpaused; iptables rules tagged clnrm:<run> are deleted;
// limits go back to the clnrm.limits.* labels; containers missing from their execution's network are
// reconnected with the clnrm.aliases label; marked workers are killed and fill files removed.
// Kill, stop, restart and OOM leave nothing to find (a stopped container is indistinguishable from one
// that exited by itself): the reaper removes those containers anyway.
import type Docker from 'dockerode';
import { StudioError } from '../../shared/errors';
import { LABEL_ALIASES, LABEL_EXECUTION_ID, LABEL_RUN_ID, managedFilter } from '../docker/labels';
import { limitsFromLabels, restoreLimits } from './faults/limits';
import { deleteRunRules, enterablePid } from './faults/netns';
import { aliasesFor } from './faults/network';
import type { FaultTarget } from './faults/target';
import { killMarked, shell } from './faults/target';

export interface RevertReport {
  readonly unpaused: number;
  readonly rulesDeleted: number;
  readonly limitsRestored: number;
  readonly reconnected: number;
  readonly workersKilled: number;
  readonly errors: string[];
}

export interface RevertOptions {
  /** False for a remote engine: iptables rules cannot be reached (they die with the containers). Default: a unix socket is local. */
  readonly engineIsLocal?: boolean;
}

type Counts = { -readonly [K in keyof Omit<RevertReport, 'errors'>]: number };

/** Reverts every fault found on the containers of `executionId`. Never throws: problems are listed in `errors`. */
export async function revertFaultsFromLabels(docker: Docker, executionId: string, options: RevertOptions = {}): Promise<RevertReport> {
  const counts: Counts = { unpaused: 0, rulesDeleted: 0, limitsRestored: 0, reconnected: 0, workersKilled: 0 };
  const errors: string[] = [];
  try {
    await revertExecution(docker, executionId, options, counts, errors);
  } catch (error) {
    // A container removed while we looked, or the engine gone: report it, the reaper goes on.
    errors.push(`execution ${executionId}: ${(error as Error).message}`);
  }
  return { ...counts, errors };
}

async function revertExecution(docker: Docker, executionId: string, options: RevertOptions, counts: Counts, errors: string[]): Promise<void> {
  const engineIsLocal = options.engineIsLocal ?? Boolean((docker.modem as { socketPath?: unknown }).socketPath);
  const networks = (await docker.listNetworks({ filters: managedFilter(executionId) })).map((n) => n.Name);
  for (const summary of await docker.listContainers({ all: true, filters: managedFilter(executionId) })) {
    const step = async (what: string, action: () => Promise<void>) => {
      try {
        await action();
      } catch (error) {
        // No sh in the image, no nsenter/iptables here: then no fault of that kind can have been injected either.
        if (error instanceof StudioError && error.code === 'chaos.unavailable') return;
        errors.push(`container ${summary.Id.slice(0, 12)}: ${what}: ${(error as Error).message}`);
      }
    };
    const container = docker.getContainer(summary.Id);
    const target: FaultTarget = { docker, containerId: summary.Id, runId: summary.Labels[LABEL_RUN_ID] ?? summary.Labels[LABEL_EXECUTION_ID] ?? executionId, engineIsLocal };
    let info = await container.inspect();
    if (info.State.Paused) {
      await step('unpause', async () => {
        await container.unpause();
        counts.unpaused++;
      });
    }
    info = await container.inspect();
    const limits = limitsFromLabels(info.Config.Labels);
    if (limits) {
      await step('restore limits', async () => {
        if (await restoreLimits(docker, summary.Id, limits)) counts.limitsRestored++;
      });
    }
    for (const network of networks) {
      if (info.NetworkSettings.Networks?.[network] || !info.Config.Labels?.[LABEL_ALIASES]) continue;
      await step(`reconnect to ${network}`, async () => {
        await docker.getNetwork(network).connect({ Container: summary.Id, EndpointConfig: { Aliases: aliasesFor(info, []) } });
        counts.reconnected++;
      });
    }
    if (!info.State.Running) continue;
    await step('kill workers', async () => {
      counts.workersKilled += await killMarked(target, `clnrm-chaos:${target.runId}:`);
    });
    await step('remove fill files', () => removeFillFiles(target, info));
    if (engineIsLocal && process.getuid?.() === 0) {
      await step('delete iptables rules', async () => {
        counts.rulesDeleted += await deleteRunRules(await enterablePid(target), target.runId);
      });
    }
  }
}

/**
 * Fill files only outlive the container on mounts; look there and in /tmp, a few levels deep (-xdev stays on
 * each filesystem; the depth bound keeps a large bind-mounted folder from making the reaper slow).
 */
async function removeFillFiles(target: FaultTarget, info: Docker.ContainerInspectInfo): Promise<void> {
  const dirs = new Set(['/tmp', ...(info.Mounts ?? []).map((m) => m.Destination), ...Object.keys((info.HostConfig as { Tmpfs?: Record<string, string> }).Tmpfs ?? {})]);
  const script = 'pat="$1"; shift; for d in "$@"; do find "$d" -xdev -maxdepth 4 -name "$pat" -type f 2>/dev/null; done | while read -r f; do rm -f "$f"; done';
  await shell(target, script, [`.clnrm-chaos-fill-${target.runId}-*`, ...dirs]);
}
