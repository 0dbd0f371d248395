// Container evidence kept with a run for diagnosis and (later) self-healing: final state, exit code,
// OOM kill flag, and the last log lines. Collected before a container is removed.
import type Docker from 'dockerode';
import { readLogTail } from './output';

export interface ContainerEvidence {
  readonly service: string;
  readonly containerId: string;
  readonly image: string;
  /** Docker's state: created | running | paused | restarting | removing | exited | dead | missing. */
  readonly status: string;
  readonly running: boolean;
  readonly exitCode: number | null;
  readonly oomKilled: boolean;
  /** The engine's own error for the container (e.g. a failed start), if any. */
  readonly error: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly restartCount: number;
  readonly logTail: readonly string[];
  readonly collectedAt: string;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export async function collectEvidence(docker: Docker, service: string, containerId: string, logLines = 50): Promise<ContainerEvidence> {
  const container = docker.getContainer(containerId);
  const collectedAt = new Date().toISOString();
  let info: Docker.ContainerInspectInfo;
  try {
    info = await container.inspect();
  } catch (error) {
    return {
      service,
      containerId,
      image: '',
      status: 'missing',
      running: false,
      exitCode: null,
      oomKilled: false,
      error: (error as Error).message,
      startedAt: null,
      finishedAt: null,
      restartCount: 0,
      logTail: [],
      collectedAt,
    };
  }
  const logTail = await readLogTail(container, logLines).catch((error: Error) => [`(logs unavailable: ${error.message})`]);
  const state = info.State;
  const exited = !state.Running && state.FinishedAt && state.FinishedAt !== ZERO_TIME;
  return {
    service,
    containerId,
    image: info.Config.Image,
    status: state.Status,
    running: state.Running,
    exitCode: exited ? state.ExitCode : null,
    oomKilled: state.OOMKilled,
    error: state.Error || null,
    startedAt: state.StartedAt && state.StartedAt !== ZERO_TIME ? state.StartedAt : null,
    finishedAt: exited ? state.FinishedAt : null,
    restartCount: info.RestartCount ?? 0,
    logTail,
    collectedAt,
  };
}

/** One line for messages: `api exited 137 (OOM killed); last log: "…"`. */
export function describeEvidence(e: ContainerEvidence): string {
  const parts = [`${e.service} ${e.running ? 'is running' : e.exitCode !== null ? `exited with code ${e.exitCode}` : `is ${e.status}`}`];
  if (e.oomKilled) parts.push('(OOM killed: raise limits.memory_mb)');
  if (e.error) parts.push(`(engine: ${e.error})`);
  const last = e.logTail.slice(-3).join(' ⏎ ');
  if (last) parts.push(`— last log: ${JSON.stringify(last)}`);
  return parts.join(' ');
}
