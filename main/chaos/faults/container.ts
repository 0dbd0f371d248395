// Container and process faults through the engine: kill, stop, restart, pause, and signalling processes
// by name inside the container. Kill and process_kill cannot be undone (the catalog says so).
import type { Injector, FaultTarget, Revert } from './target';
import { engine, fail, inspect, shell } from './target';

/** For faults whose effect cannot be undone: nothing to do, said by the catalog's `revertible: false`. */
const irreversible: Revert = () => Promise.resolve();

/** Starts the container unless it already runs (revert of stop and restart). */
async function ensureRunning(target: FaultTarget): Promise<void> {
  const info = await target.docker.getContainer(target.containerId).inspect();
  if (info.State.Paused) await target.docker.getContainer(target.containerId).unpause();
  else if (!info.State.Running) await target.docker.getContainer(target.containerId).start();
}

const containerKill: Injector = async (target, params) => {
  await engine(target, `kill with ${String(params.signal)}`, () => target.docker.getContainer(target.containerId).kill({ signal: params.signal }));
  return irreversible;
};

const containerStop: Injector = async (target, params) => {
  await engine(target, 'stop', () => target.docker.getContainer(target.containerId).stop({ t: Number(params.timeout_s) }));
  return () => ensureRunning(target);
};

const containerRestart: Injector = async (target, params) => {
  await engine(target, 'restart', () => target.docker.getContainer(target.containerId).restart({ t: Number(params.timeout_s) }));
  return () => ensureRunning(target);
};

const containerPause: Injector = async (target) => {
  const info = await inspect(target);
  if (!info.State.Running) fail('chaos.inject-failed', target, `cannot pause it: it is ${info.State.Status}`);
  await engine(target, 'pause', () => target.docker.getContainer(target.containerId).pause());
  return async () => {
    const now = await target.docker.getContainer(target.containerId).inspect();
    if (now.State.Paused) await target.docker.getContainer(target.containerId).unpause();
  };
};

/** Signals by /proc/<pid>/comm with the shell's own kill, so the image needs no pkill. */
const processKill: Injector = async (target, params) => {
  const script = [
    'n=0; for p in /proc/[0-9]*; do read -r c < "$p/comm" 2>/dev/null || continue',
    '[ "$c" = "$1" ] && kill -s "$2" "${p#/proc/}" 2>/dev/null && n=$((n+1)); done; echo $n',
  ].join('\n');
  const result = await shell(target, script, [String(params.process_name), String(params.signal).replace(/^SIG/, '')]);
  const count = Number(result.stdout.trim());
  if (result.exitCode !== 0 || !Number.isInteger(count)) fail('chaos.inject-failed', target, `process_kill failed: ${result.stderr.trim() || result.stdout.trim()}`);
  if (count === 0) fail('chaos.inject-failed', target, `no process named "${String(params.process_name)}" runs in it (names are /proc/<pid>/comm, at most 15 chars)`);
  return irreversible;
};

export const CONTAINER_INJECTORS: Readonly<Record<string, Injector>> = {
  container_kill: containerKill,
  container_stop: containerStop,
  container_restart: containerRestart,
  container_pause: containerPause,
  process_kill: processKill,
};
