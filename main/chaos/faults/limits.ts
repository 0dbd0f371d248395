// Setting and restoring a container's CPU and memory limits (`docker update`). Docker cannot unset a
// limit once set (0 means "unchanged" to its update API), so "no limit" is restored as all of the
// engine's CPUs or all of its memory — the same effect, and what `docker inspect` will show.
import type Docker from 'dockerode';
import { LABEL_LIMIT_CPUS, LABEL_LIMIT_MEMORY } from '../../docker/labels';

export interface Limits {
  /** Bytes; 0 = none. */
  readonly memory: number;
  /** Bytes of memory + swap; 0 or -1 = no separate bound. */
  readonly memorySwap: number;
  /** Billionths of a CPU; 0 = none. */
  readonly nanoCpus: number;
}

export function limitsOf(info: Docker.ContainerInspectInfo): Limits {
  const host = info.HostConfig as { Memory?: number; MemorySwap?: number; NanoCpus?: number };
  return { memory: host.Memory ?? 0, memorySwap: host.MemorySwap ?? 0, nanoCpus: host.NanoCpus ?? 0 };
}

/** The limits a service was created with, from its labels; undefined for containers made before the labels. */
export function limitsFromLabels(labels: Readonly<Record<string, string>> | undefined): Limits | undefined {
  const memory = Number(labels?.[LABEL_LIMIT_MEMORY]);
  const cpus = Number(labels?.[LABEL_LIMIT_CPUS]);
  if (!Number.isFinite(memory) || !Number.isFinite(cpus) || labels?.[LABEL_LIMIT_MEMORY] === undefined) return undefined;
  // Our services always get swap equal to memory (a hard limit): see main/docker/service.ts.
  return { memory, memorySwap: memory, nanoCpus: Math.round(cpus * 1e9) };
}

/**
 * Puts `limits` back ("none" becomes the engine's whole memory / all its CPUs); `only` keeps a fault's
 * revert to its own dimension, so undoing faults out of order cannot undo another's. Returns whether anything changed.
 */
export async function restoreLimits(docker: Docker, containerId: string, limits: Limits, only?: 'cpu' | 'memory'): Promise<boolean> {
  const container = docker.getContainer(containerId);
  const now = limitsOf(await container.inspect());
  const engine = (limits.nanoCpus > 0 && limits.memory > 0 ? undefined : await docker.info()) as { NCPU: number; MemTotal: number } | undefined;
  const nanoCpus = limits.nanoCpus > 0 ? limits.nanoCpus : engine!.NCPU * 1e9;
  const memory = limits.memory > 0 ? limits.memory : engine!.MemTotal;
  const update: Record<string, number> = {};
  if (only !== 'memory' && now.nanoCpus !== nanoCpus && !(limits.nanoCpus === 0 && now.nanoCpus === 0)) update.NanoCpus = nanoCpus;
  const unboundedSwap = !(limits.memory > 0 && limits.memorySwap > 0);
  if (only !== 'cpu' && now.memory !== memory && !(limits.memory === 0 && now.memory === 0)) {
    update.Memory = memory;
    // cgroup v1 refuses memory above memory+swap in one step with swap -1: bound it first, free it after.
    update.MemorySwap = unboundedSwap ? memory : limits.memorySwap;
  }
  if (Object.keys(update).length === 0) return false;
  await container.update(update);
  if (update.Memory !== undefined && unboundedSwap) await container.update({ MemorySwap: -1 });
  return true;
}
