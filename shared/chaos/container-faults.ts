// The container, process and resource fault families: what the Docker engine (and an exec inside the
// container) can do to one service. Their injectors live in main/chaos/faults/.
import type { FaultSpec, ParameterSpec } from './fault-spec';

export const SIGNALS = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGSTOP', 'SIGCONT'] as const;

const signal = (fallback: string): ParameterSpec => ({ name: 'signal', type: 'enum', values: SIGNALS, default: fallback, description: 'the signal sent' });
const grace: ParameterSpec = {
  name: 'timeout_s', type: 'number', unit: 's', min: 0, max: 300, integer: true, default: 10,
  description: 'SIGTERM grace before the engine sends SIGKILL',
};
/** Workers and holders end by themselves after this, so a runner that dies cannot leave them running. */
const lifetime: ParameterSpec = {
  name: 'duration_s', type: 'number', unit: 's', min: 1, max: 3600, integer: true, default: 60,
  description: 'how long it lasts at most (it ends by itself then)',
};

export const CONTAINER_FAULTS: readonly FaultSpec[] = [
  {
    id: 'container_kill', family: 'container', description: 'Send a signal to the container (default SIGKILL)',
    parameters: [signal('SIGKILL')], needs: ['docker'], revertible: false, injectable: true,
    revert: 'cannot be undone: the processes are gone (a restart policy or a later step must start it again)',
  },
  {
    id: 'container_stop', family: 'container', description: 'Stop the container (SIGTERM, then SIGKILL after the grace)',
    parameters: [grace], needs: ['docker'], revertible: true, injectable: true,
    revert: 'starts the container again (a fresh process: in-memory state is lost)',
  },
  {
    id: 'container_restart', family: 'container', description: 'Restart the container (a new process: its start time changes, in-memory state is lost)',
    parameters: [grace], needs: ['docker'], revertible: true, injectable: true,
    revert: 'nothing to undo once it runs again; revert starts it if it did not come back',
  },
  {
    id: 'container_pause', family: 'container', description: 'Freeze every process of the container (cgroup freezer)',
    parameters: [], needs: ['docker'], revertible: true, injectable: true,
    revert: 'unpauses it; a later start unpauses every paused container of a dead run',
  },
];

export const PROCESS_FAULTS: readonly FaultSpec[] = [
  {
    id: 'process_kill', family: 'process', description: 'Signal every process with this name inside the container',
    parameters: [
      { name: 'process_name', type: 'string', required: true, pattern: '^[^/\\s]{1,15}$', description: 'the process name (/proc/<pid>/comm, at most 15 chars)' },
      signal('SIGKILL'),
    ],
    needs: ['docker'], revertible: false, injectable: true,
    revert: 'cannot be undone: the signalled processes are gone',
  },
];

export const RESOURCE_FAULTS: readonly FaultSpec[] = [
  {
    id: 'cpu_limit', family: 'resource', description: 'Lower the container\'s CPU limit (docker update --cpus)',
    parameters: [{ name: 'cpus', type: 'number', unit: 'CPUs', min: 0.01, max: 64, default: 0.5, description: 'the new limit (no more than the engine has)' }],
    needs: ['docker'], revertible: true, injectable: true,
    revert: 'restores the limit the service was created with (label clnrm.limits.cpus); "none" becomes all of the engine\'s CPUs',
  },
  {
    id: 'memory_limit', family: 'resource', description: 'Lower the container\'s memory limit (docker update --memory)',
    parameters: [{ name: 'memory_mb', type: 'number', unit: 'MB', min: 6, max: 1_048_576, integer: true, default: 128, description: 'the new hard limit (swap included)' }],
    needs: ['docker'], revertible: true, injectable: true,
    revert: 'restores the limit the service was created with (label clnrm.limits.memory); Docker cannot unset a limit, so "none" becomes the engine\'s total memory',
  },
  {
    id: 'cpu_pressure', family: 'resource', description: 'Busy-loop workers inside the container',
    parameters: [{ name: 'workers', type: 'number', unit: 'workers', min: 1, max: 64, integer: true, default: 1, description: 'busy loops (each can use one CPU)' }, lifetime],
    needs: ['docker'], revertible: true, injectable: true,
    revert: 'kills the workers (found by their clnrm-chaos marker); they also end after duration_s and die with the container',
  },
  {
    id: 'memory_pressure', family: 'resource', description: 'Allocate and hold memory inside the container',
    parameters: [{ name: 'memory_mb', type: 'number', unit: 'MB', min: 1, max: 65_536, integer: true, default: 64, description: 'memory held (counts against the container\'s limit)' }, lifetime],
    needs: ['docker'], revertible: true, injectable: true,
    revert: 'kills the holder (found by its clnrm-chaos marker); it also ends after duration_s',
  },
  {
    id: 'disk_fill', family: 'resource', description: 'Write a file of a given size into a directory of the container',
    parameters: [
      { name: 'size_mb', type: 'number', unit: 'MB', min: 1, max: 1_048_576, integer: true, default: 100, description: 'bytes written (stops early when the disk is full)' },
      { name: 'path', type: 'string', pattern: '^/', default: '/tmp', description: 'an absolute directory in the container' },
    ],
    needs: ['docker'], revertible: true, injectable: true,
    revert: 'removes the fill file (.clnrm-chaos-fill-<run>); a later start removes it from /tmp and the container\'s mounts',
  },
  {
    id: 'oom', family: 'resource', description: 'Allocate past the memory limit so the kernel OOM-kills the container (exit 137)',
    parameters: [{ name: 'margin_mb', type: 'number', unit: 'MB', min: 1, max: 4096, integer: true, default: 16, description: 'how far past the limit to allocate' }],
    needs: ['docker'], revertible: false, injectable: true,
    revert: 'cannot be undone: the container is killed (needs a memory limit: limits.memory_mb or memory_limit first)',
  },
];
