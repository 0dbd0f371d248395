// Container stats sampled at a test file's interval while its steps run (`[performance] sample_stats_ms`).
// Why the engine's stream and not timed one-shots: the engine's stats collector reads each container's
// counters once a second, and every request — one-shot or not, however many are in flight — is answered
// with the next of those reads (checked on Docker 20.10, API 1.41). So nothing finer than ~1 s exists to
// ask for; one long-lived stream per container gets every read at the cost of one request, and an
// interval longer than the engine's is met by keeping only frames that far apart.
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { ENGINE_STATS_TICK_MS } from '../../shared/spec/schema/v2';
import { openDiskCounter } from './disk-io';
import { statsFromRaw, type ContainerStatsSample, type RawStats } from './stats';

/** When the file asks for no interval: every read the engine makes. */
export const DEFAULT_SAMPLE_INTERVAL_MS = ENGINE_STATS_TICK_MS;
/** Engine reads drift by a few ms; a frame this much early still counts as on time. */
const EARLY_TOLERANCE_MS = 100;

export interface StatsTarget {
  readonly service: string;
  readonly containerId: string;
}

export interface StatsSampler {
  /** The interval actually used (the asked one, raised to the engine's tick). */
  readonly intervalMs: number;
  /** Closes every stream; resolves once all are closed (or were never opened). No sample is delivered after it is called. */
  stop(): Promise<void>;
}

/** The interval a sampler uses for an asked one: never below what the engine can measure. */
export function effectiveInterval(askedMs: number | undefined): number {
  return Math.max(askedMs ?? DEFAULT_SAMPLE_INTERVAL_MS, ENGINE_STATS_TICK_MS);
}

/**
 * Follows every target's stats stream and delivers one sample per interval per container. Each sample's
 * `at` is the engine's read time; its CPU % is averaged over the whole interval since the previous
 * sample (not only the engine's last second); its disk bytes, when this machine can read them
 * (./disk-io.ts), are read as the frame arrives. A container that stops or vanishes just ends its stream.
 */
export function startStatsSampler(docker: Docker, targets: readonly StatsTarget[], askedMs: number | undefined, onSample: (sample: ContainerStatsSample) => void): StatsSampler {
  const intervalMs = effectiveInterval(askedMs);
  const abort = new AbortController();
  const streams = new Set<Readable>();
  const deliver = (sample: ContainerStatsSample): void => {
    if (!abort.signal.aborted) onSample(sample);
  };
  const followers = targets.map((t) => follow(docker, t, intervalMs, abort.signal, streams, deliver));
  return {
    intervalMs,
    async stop() {
      abort.abort();
      for (const stream of streams) stream.destroy();
      await Promise.all(followers);
    },
  };
}

async function follow(docker: Docker, target: StatsTarget, intervalMs: number, signal: AbortSignal, streams: Set<Readable>, deliver: (s: ContainerStatsSample) => void): Promise<void> {
  let stream: Readable;
  // dockerode's types omit abortSignal, but docker-modem honours it (and keeps it out of the URL).
  const options = { stream: true as const, abortSignal: signal };
  const disk = await openDiskCounter(docker, target.containerId);
  try {
    stream = (await docker.getContainer(target.containerId).stats(options)) as unknown as Readable;
  } catch {
    return; // gone before it could be followed, or stopped while connecting
  }
  if (signal.aborted) return void stream.destroy();
  streams.add(stream);
  let previous: RawStats | undefined;
  const onFrame = (raw: RawStats): boolean => {
    if (raw.read.startsWith('0001-')) return false; // the container stopped
    // Read at every frame, delivered or not: the fewer the gaps, the less an exiting exec'd command takes with it.
    const bytes = disk?.read();
    if (!previous) previous = raw; // the first frame only anchors the first interval
    else if (Date.parse(raw.read) - Date.parse(previous.read) >= intervalMs - EARLY_TOLERANCE_MS) {
      const sample = statsFromRaw(target.service, { ...raw, precpu_stats: previous.cpu_stats ?? {} });
      deliver(bytes ? { ...sample, diskReadBytes: bytes.readBytes, diskWriteBytes: bytes.writeBytes } : sample);
      previous = raw;
    }
    return true;
  };
  await new Promise<void>((resolve) => {
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      // One JSON document per line; a chunk may end mid-line.
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const raw = parseFrame(line);
        if (raw && !onFrame(raw)) return void stream.destroy();
      }
    });
    // A broken stream (stop, or the container went away) ends the series: what was delivered stands.
    stream.on('error', () => stream.destroy());
    stream.on('close', resolve);
  });
  streams.delete(stream);
}

function parseFrame(line: string): RawStats | undefined {
  try {
    const raw = JSON.parse(line) as RawStats;
    return typeof raw.read === 'string' ? raw : undefined;
  } catch {
    return undefined;
  }
}
