// Labels on every container, network and volume an execution creates. They say which execution made it
// (the unit that is created and removed together), which run that execution belongs to, and the owner
// process, so the reaper can tell a live execution from a crashed one and faults (the chaos layer) can
// be reverted from the labels alone. "Run" and "execution" mean what shared/run/records.ts says.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export const LABEL_MANAGED = 'clnrm.managed';
/** The execution that created the resource: everything with one value is removed together. */
export const LABEL_EXECUTION_ID = 'clnrm.execution_id';
/** The run (one `clnrm run` or studio Run) the execution belongs to. */
export const LABEL_RUN_ID = 'clnrm.run_id';
export const LABEL_SERVICE = 'clnrm.service';
/** Owner process id on `LABEL_HOST`. */
export const LABEL_PID = 'clnrm.pid';
/** Owner process start, epoch ms: with the pid it survives pid reuse. */
export const LABEL_PID_STARTED = 'clnrm.pid_started_at';
/** Execution start, epoch ms: the age bound of the reaper counts from here. */
export const LABEL_STARTED = 'clnrm.started_at';
export const LABEL_HOST = 'clnrm.host';
/** Limits a service was created with (bytes; CPUs as a decimal; "0" = none): a fault that changes them can be undone from labels alone. */
export const LABEL_LIMIT_MEMORY = 'clnrm.limits.memory';
export const LABEL_LIMIT_CPUS = 'clnrm.limits.cpus';
/** A service's DNS names on the run network, comma-separated: a container disconnected by a fault is reconnected with them. */
export const LABEL_ALIASES = 'clnrm.aliases';

/** Who owns a set of engine resources: one execution, of one run, in one process. */
export interface ExecutionIdentity {
  readonly executionId: string;
  /** The run it belongs to (a lone service set, e.g. in a test, is its own run). */
  readonly runId: string;
  readonly pid: number;
  readonly pidStartedAt: number;
  readonly startedAt: number;
  readonly host: string;
}

const ID = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

/** A fresh id: 12 lowercase hex chars (safe in container and network names). */
export function newId(): string {
  return randomBytes(6).toString('hex');
}

/** An identity owned by this process (ids default to fresh ones). */
export function newExecutionIdentity(executionId: string = newId(), runId: string = executionId): ExecutionIdentity {
  for (const id of [executionId, runId]) {
    if (!ID.test(id)) throw new Error(`id "${id}" must be 1-63 chars of a-z, 0-9, _ . - (it becomes part of container names)`);
  }
  return {
    executionId,
    runId,
    pid: process.pid,
    pidStartedAt: Math.round(Date.now() - process.uptime() * 1000),
    startedAt: Date.now(),
    host: hostname(),
  };
}

export function executionLabels(owner: ExecutionIdentity, service?: string): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL_MANAGED]: 'true',
    [LABEL_EXECUTION_ID]: owner.executionId,
    [LABEL_RUN_ID]: owner.runId,
    [LABEL_PID]: String(owner.pid),
    [LABEL_PID_STARTED]: String(owner.pidStartedAt),
    [LABEL_STARTED]: String(owner.startedAt),
    [LABEL_HOST]: owner.host,
  };
  if (service !== undefined) labels[LABEL_SERVICE] = service;
  return labels;
}

/** Docker list filter for everything of one execution (or every managed resource when omitted). */
export function managedFilter(executionId?: string): { label: string[] } {
  return { label: executionId ? [`${LABEL_MANAGED}=true`, `${LABEL_EXECUTION_ID}=${executionId}`] : [`${LABEL_MANAGED}=true`] };
}
