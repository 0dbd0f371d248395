// Retrying an OOM-killed execution with more memory (the seed's `remediation = "increase_resources"`,
// `resource_multiplier`): each service the kernel killed for memory gets its limit × the multiplier for the
// next attempt, from the limit it last ran with, up to MAX_RETRY_MEMORY_MB. Only services that ran under a limit grow (without one the
// kill came from the host, which more limit cannot help). The file itself is not changed: `clnrm heal`
// proposes the change, verified, for review.
import { DEFAULT_RESOURCE_MULTIPLIER } from './repairs';

/** The most memory a retry gives a service (the seed's `max_memory_mb` for its `oom_killed` rule). */
export const MAX_RETRY_MEMORY_MB = 8192;

/** What a retry changes: a memory limit per service, in MB. */
export interface MemoryAdjustment {
  readonly memoryMb: Readonly<Record<string, number>>;
  /** One line for the run's log and the attempt's record. */
  readonly note: string;
}

export interface MemoryRetryInput {
  /** Services of the attempt the kernel OOM-killed. */
  readonly oomKilled: readonly string[];
  /** The limit each service ran with (its own `limits.memory_mb`, else the file's `[limits]`), absent = none. */
  readonly limitOf: (service: string) => number | undefined;
  /** The adjustment the failed attempt already ran with (limits grow from there). */
  readonly previous?: MemoryAdjustment;
  readonly multiplier?: number;
}

export function memoryRetry(input: MemoryRetryInput): MemoryAdjustment | undefined {
  const multiplier = input.multiplier ?? DEFAULT_RESOURCE_MULTIPLIER;
  if (!(multiplier > 1)) return undefined;
  const memoryMb: Record<string, number> = { ...input.previous?.memoryMb };
  const grown: string[] = [];
  for (const service of [...new Set(input.oomKilled)].sort()) {
    const current = input.previous?.memoryMb[service] ?? input.limitOf(service);
    if (current === undefined || current <= 0 || current >= MAX_RETRY_MEMORY_MB) continue;
    memoryMb[service] = Math.min(MAX_RETRY_MEMORY_MB, Math.ceil(current * multiplier));
    grown.push(`${service} ${current} → ${memoryMb[service]} MB`);
  }
  if (grown.length === 0) return undefined;
  return { memoryMb, note: `memory limit × ${multiplier} after the OOM kill: ${grown.join(', ')}` };
}
