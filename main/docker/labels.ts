// Labels on every container, network and volume a run creates. They identify the run and its owner
// process so the reaper can tell a live run from a crashed one, and so faults (later: chaos) can be
// reverted from the labels alone.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export const LABEL_MANAGED = 'clnrm.managed';
export const LABEL_RUN_ID = 'clnrm.run_id';
export const LABEL_SERVICE = 'clnrm.service';
/** Owner process id on `LABEL_HOST`. */
export const LABEL_PID = 'clnrm.pid';
/** Owner process start, epoch ms: with the pid it survives pid reuse. */
export const LABEL_PID_STARTED = 'clnrm.pid_started_at';
/** Run start, epoch ms: the age bound of the reaper counts from here. */
export const LABEL_RUN_STARTED = 'clnrm.run_started_at';
export const LABEL_HOST = 'clnrm.host';

export interface RunIdentity {
  readonly runId: string;
  readonly pid: number;
  readonly pidStartedAt: number;
  readonly runStartedAt: number;
  readonly host: string;
}

/** A fresh run identity owned by this process. Run ids are 12 lowercase hex chars (safe in names). */
export function newRunIdentity(runId?: string): RunIdentity {
  const id = runId ?? randomBytes(6).toString('hex');
  if (!/^[a-z0-9][a-z0-9_.-]{0,62}$/.test(id)) {
    throw new Error(`run id "${id}" must be 1-63 chars of a-z, 0-9, _ . - (it becomes part of container names)`);
  }
  return {
    runId: id,
    pid: process.pid,
    pidStartedAt: Math.round(Date.now() - process.uptime() * 1000),
    runStartedAt: Date.now(),
    host: hostname(),
  };
}

export function runLabels(run: RunIdentity, service?: string): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL_MANAGED]: 'true',
    [LABEL_RUN_ID]: run.runId,
    [LABEL_PID]: String(run.pid),
    [LABEL_PID_STARTED]: String(run.pidStartedAt),
    [LABEL_RUN_STARTED]: String(run.runStartedAt),
    [LABEL_HOST]: run.host,
  };
  if (service !== undefined) labels[LABEL_SERVICE] = service;
  return labels;
}

/** Docker list filter for everything of one run (or every managed resource when runId is omitted). */
export function managedFilter(runId?: string): { label: string[] } {
  return { label: runId ? [`${LABEL_MANAGED}=true`, `${LABEL_RUN_ID}=${runId}`] : [`${LABEL_MANAGED}=true`] };
}
