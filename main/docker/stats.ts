// One resource sample of a running container (CPU, memory, network, disk), for the performance layer's
// per-run figures. A sample of a stopped or vanished container is `undefined`, not an error.
import type Docker from 'dockerode';

export interface ContainerStatsSample {
  readonly service: string;
  /** Epoch ms when the engine read the counters. */
  readonly at: number;
  /** CPU use over the engine's sampling interval, in percent of one core (200 = two cores busy). */
  readonly cpuPercent: number;
  readonly memoryBytes: number;
  /** The container's memory limit (the host's memory when unlimited). */
  readonly memoryLimitBytes: number;
  readonly networkRxBytes: number;
  readonly networkTxBytes: number;
  /** Bytes read from and written to storage by the container's processes so far (./disk-io.ts); absent when they cannot be read here. */
  readonly diskReadBytes?: number;
  readonly diskWriteBytes?: number;
}

/** One frame of the engine's stats API (the fields read here). */
export interface RawStats {
  read: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: { cache?: number; inactive_file?: number } };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
}

/** Reads one sample (the engine takes ~1 s to measure CPU over an interval). */
export async function sampleStats(docker: Docker, service: string, containerId: string): Promise<ContainerStatsSample | undefined> {
  let raw: RawStats;
  try {
    raw = (await docker.getContainer(containerId).stats({ stream: false })) as unknown as RawStats;
  } catch {
    return undefined;
  }
  if (!raw.read || raw.read.startsWith('0001-')) return undefined; // not running
  return statsFromRaw(service, raw);
}

/** The docker CLI's formulas (cgroup v1 and v2): CPU delta over system delta × cores; memory minus page cache. */
export function statsFromRaw(service: string, raw: RawStats): ContainerStatsSample {
  const cpuDelta = (raw.cpu_stats?.cpu_usage?.total_usage ?? 0) - (raw.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (raw.cpu_stats?.system_cpu_usage ?? 0) - (raw.precpu_stats?.system_cpu_usage ?? 0);
  const cores = raw.cpu_stats?.online_cpus ?? 1;
  const cpuPercent = cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * cores * 100 : 0;
  const mem = raw.memory_stats ?? {};
  const cache = mem.stats?.inactive_file ?? mem.stats?.cache ?? 0;
  let rx = 0;
  let tx = 0;
  for (const net of Object.values(raw.networks ?? {})) {
    rx += net.rx_bytes ?? 0;
    tx += net.tx_bytes ?? 0;
  }
  return {
    service,
    at: Date.parse(raw.read),
    cpuPercent,
    memoryBytes: Math.max(0, (mem.usage ?? 0) - cache),
    memoryLimitBytes: mem.limit ?? 0,
    networkRxBytes: rx,
    networkTxBytes: tx,
  };
}
