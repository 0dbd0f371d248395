// Resource faults: lower CPU or memory limits (`docker update`), and load inside the container — busy
// workers, held memory, a fill file, an OOM kill. Workers carry a marker (target.ts) and end by
// themselves after duration_s, so a runner that dies cannot leave load running for long.
import { randomBytes } from 'node:crypto';
import type { FaultParams } from '../../../shared/chaos/fault-spec';
import { limitsOf, restoreLimits } from './limits';
import type { FaultTarget, Injector } from './target';
import { engine, fail, inspect, killMarked, shell, startWorker, workerMarker } from './target';

const MB = 1024 * 1024;

const cpuLimit: Injector = async (target, params) => {
  const original = limitsOf(await inspect(target));
  await engine(target, `docker update --cpus ${String(params.cpus)}`, () =>
    target.docker.getContainer(target.containerId).update({ NanoCpus: Math.round(Number(params.cpus) * 1e9) }),
  );
  return async () => void (await restoreLimits(target.docker, target.containerId, original, 'cpu'));
};

const memoryLimit: Injector = async (target, params) => {
  const original = limitsOf(await inspect(target));
  const bytes = Number(params.memory_mb) * MB;
  await engine(target, `docker update --memory ${String(params.memory_mb)}m`, () =>
    target.docker.getContainer(target.containerId).update({ Memory: bytes, MemorySwap: bytes }),
  );
  return async () => void (await restoreLimits(target.docker, target.containerId, original, 'memory'));
};

/** Each worker is a marked busy loop; the marked parent kills them after duration_s. */
const cpuPressure: Injector = async (target, params) => {
  const marker = workerMarker(target.runId);
  const script = [
    'pids=""; i=0',
    `while [ $i -lt ${Number(params.workers)} ]; do sh -c 'while :; do :; done' "$0" & pids="$pids $!"; i=$((i+1)); done`,
    `sleep ${Number(params.duration_s)}; kill -9 $pids`,
  ].join('\n');
  await startWorker(target, script, marker);
  return stopWorkers(target, marker);
};

/**
 * `dd` reads memory_mb of zeros into one buffer (so the pages are really used) and then blocks writing
 * into a pipe nobody reads: it holds the memory until the reader ends after duration_s or is killed.
 */
const memoryPressure: Injector = async (target, params) => {
  const marker = workerMarker(target.runId);
  await startWorker(target, `dd if=/dev/zero bs=${Number(params.memory_mb) * MB} count=1 2>/dev/null | sleep ${Number(params.duration_s)}`, marker);
  return stopWorkers(target, marker);
};

function stopWorkers(target: FaultTarget, marker: string): () => Promise<void> {
  return async () => {
    const info = await target.docker.getContainer(target.containerId).inspect();
    // Workers die with the container: nothing to kill in one that no longer runs.
    if (info.State.Running && !info.State.Paused) await killMarked(target, marker);
  };
}

/** The fill file's name: a later start finds it by the run alone (main/chaos/revert.ts). */
export function fillFileName(runId: string, instance: string): string {
  return `.clnrm-chaos-fill-${runId}-${instance}`;
}

/** fallocate where the filesystem has it (instant), else dd; a full disk before size_mb is the fault working. */
const diskFill: Injector = async (target, params) => {
  const file = `${String(params.path).replace(/\/+$/, '')}/${fillFileName(target.runId, randomBytes(4).toString('hex'))}`;
  const bytes = Number(params.size_mb) * MB;
  const script = [
    'mkdir -p "$(dirname "$1")" || exit 3',
    'fallocate -l "$2" "$1" 2>/dev/null && exit 0',
    'out=$(dd if=/dev/zero of="$1" bs=1048576 count="$3" 2>&1) && exit 0',
    'case "$out" in *"No space left"*) exit 0;; esac; echo "$out" >&2; exit 4',
  ].join('\n');
  const result = await shell(target, script, [file, String(bytes), String(params.size_mb)], 120_000);
  if (result.exitCode !== 0) {
    await shell(target, 'rm -f "$1"', [file]);
    fail('chaos.inject-failed', target, `disk_fill could not write ${file}: ${result.stderr.trim() || `exit ${String(result.exitCode)}`}`);
  }
  return async () => {
    const info = await target.docker.getContainer(target.containerId).inspect();
    if (info.State.Running && !info.State.Paused) await shell(target, 'rm -f "$1"', [file]);
  };
};

/**
 * Makes PID 1 the OOM killer's first choice (oom_score_adj 1000: raising needs no capability), then
 * allocates past the limit: the kernel kills PID 1, the container exits 137 with OOMKilled set.
 */
const oom: Injector = async (target, params: FaultParams) => {
  const { memory } = limitsOf(await inspect(target));
  if (memory <= 0) fail('chaos.unavailable', target, 'oom needs a memory limit: give the service limits.memory_mb, or inject memory_limit first');
  const bytes = memory + Number(params.margin_mb) * MB;
  await startWorker(target, `echo 1000 > /proc/1/oom_score_adj; dd if=/dev/zero bs=${bytes} count=1 2>/dev/null | sleep 60`, workerMarker(target.runId));
  await waitForExit(target, 15_000);
  // Irreversible (the catalog says so): the container is dead.
  return () => Promise.resolve();
};

async function waitForExit(target: FaultTarget, timeoutMs: number): Promise<void> {
  const { StatusCode } = await engine(target, 'waiting for the OOM kill', () =>
    Promise.race([
      target.docker.getContainer(target.containerId).wait() as Promise<{ StatusCode: number }>,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`it still ran after ${timeoutMs} ms`)), timeoutMs).unref()),
    ]),
  );
  if (StatusCode !== 137) fail('chaos.inject-failed', target, `oom: the container exited ${StatusCode}, not 137`);
}

export const RESOURCE_INJECTORS: Readonly<Record<string, Injector>> = {
  cpu_limit: cpuLimit,
  memory_limit: memoryLimit,
  cpu_pressure: cpuPressure,
  memory_pressure: memoryPressure,
  disk_fill: diskFill,
  oom,
};
