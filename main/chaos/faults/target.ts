// What every fault injector gets (the container and the run it belongs to) and gives back (a Revert),
// plus the few engine operations they share: a shell in the container, a detached worker that can be
// found again by its marker, and the errors that say why a fault could not be injected.
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { FaultParams } from '../../../shared/chaos/fault-spec';
import { StudioError, type ErrorCode } from '../../../shared/errors';
import { execInContainer, type CommandResult } from '../../docker/exec';

export interface FaultTarget {
  readonly docker: Docker;
  readonly containerId: string;
  /** The run: iptables rules and worker markers carry it, so a later start can find and undo them. */
  readonly runId: string;
  /** False for a remote DOCKER_HOST: faults that enter the container's namespaces from this host are unavailable. */
  readonly engineIsLocal: boolean;
}

/** Undoes one injected fault; safe to call twice. A fault that cannot be undone says so in the catalog. */
export type Revert = () => Promise<void>;

export type Injector = (target: FaultTarget, params: FaultParams) => Promise<Revert>;

/** The marker in a worker's command line: `clnrm-chaos:<run>:<fault instance>`. */
export function workerMarker(runId: string, instance = randomBytes(4).toString('hex')): string {
  return `clnrm-chaos:${runId}:${instance}`;
}

export function fail(code: ErrorCode, target: FaultTarget, message: string): never {
  throw new StudioError({ code, message: `container ${target.containerId.slice(0, 12)}: ${message}`, details: { containerId: target.containerId } });
}

/** Runs `script` with sh as root in the container (`args` are $1…); an image without sh cannot take exec-based faults. */
export async function shell(target: FaultTarget, script: string, args: readonly string[] = [], timeoutMs = 30_000): Promise<CommandResult> {
  try {
    return await execInContainer(target.docker, target.containerId, { cmd: ['sh', '-c', script, 'clnrm-fault', ...args], user: '0', timeoutMs });
  } catch (error) {
    fail('chaos.unavailable', target, `cannot run sh in it (${(error as Error).message}); exec-based faults need a shell in the image`);
  }
}

/**
 * Starts `script` detached, with `marker` as its $0 so it shows in /proc/<pid>/cmdline: the process and
 * its children can be killed later by marker alone (also by a later start that knows only the run).
 */
export async function startWorker(target: FaultTarget, script: string, marker: string): Promise<void> {
  try {
    const exec = await target.docker.getContainer(target.containerId).exec({ Cmd: ['sh', '-c', script, marker], User: '0', AttachStdout: false, AttachStderr: false });
    await exec.start({ Detach: true });
  } catch (error) {
    fail('chaos.inject-failed', target, `cannot start a worker: ${(error as Error).message}`);
  }
}

/**
 * Kills every process whose command line contains `marker`, and their children (a holder's `dd` is a
 * child of the marked shell). Returns how many were signalled. Uses only sh, tr, grep and kill (busybox
 * grep stops at the NULs between arguments, hence tr).
 */
export async function killMarked(target: FaultTarget, marker: string): Promise<number> {
  const script = [
    'self=$$; hit=""',
    'for p in /proc/[0-9]*; do n=${p#/proc/}; [ "$n" = "$self" ] && continue; tr "\\0" " " < "$p/cmdline" 2>/dev/null | grep -qF -- "$1" && hit="$hit $n"; done',
    'kids=""; for p in /proc/[0-9]*; do read -r _ _ _ pp _ < "$p/stat" 2>/dev/null || continue; for h in $hit; do [ "$pp" = "$h" ] && kids="$kids ${p#/proc/}"; done; done',
    'n=0; done=" "; for k in $hit $kids; do case "$done" in *" $k "*) continue;; esac; done="$done$k "; kill -9 "$k" 2>/dev/null && n=$((n+1)); done; echo $n',
  ].join('\n');
  const result = await shell(target, script, [marker]);
  return Number(result.stdout.trim()) || 0;
}

/** The container's inspect data, or a clear error when it is gone. */
export async function inspect(target: FaultTarget): Promise<Docker.ContainerInspectInfo> {
  try {
    return await target.docker.getContainer(target.containerId).inspect();
  } catch (error) {
    fail('chaos.inject-failed', target, `cannot inspect it: ${(error as Error).message}`);
  }
}

/** Engine calls whose failure means the fault did not happen. */
export async function engine<T>(target: FaultTarget, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    fail('chaos.inject-failed', target, `${what} failed: ${(error as Error).message}`);
  }
}
