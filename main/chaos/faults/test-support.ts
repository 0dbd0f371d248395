// Test support for the fault suites: a run of busybox services on the real engine, a FaultTarget per
// service, and a shell in a service for measuring a fault's effect from outside the faulted process.
import type Docker from 'dockerode';
import type { ServiceDefinition } from '../../docker/service';
import { ServiceSet } from '../../docker/service-set';
import { BUSYBOX } from '../../docker/test-support';
import { execInContainer, type CommandResult } from '../../docker/exec';
import type { FaultTarget } from './target';

export interface TestRun {
  readonly set: ServiceSet;
  target(service: string): FaultTarget;
  containerId(service: string): string;
  sh(service: string, script: string, timeoutMs?: number): Promise<CommandResult>;
  inspect(service: string): Promise<Docker.ContainerInspectInfo>;
}

/** Idles until SIGTERM (exits 0 at once on it). */
export const IDLE = ['sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait'];

export function idleService(id: string, extra: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return { id, image: BUSYBOX, command: IDLE, ...extra };
}

export async function startRun(docker: Docker, services: ServiceDefinition[]): Promise<TestRun> {
  const set = new ServiceSet(docker, { services, stopTimeoutMs: 1000 });
  await set.start();
  const containerId = (service: string) => set.service(service).containerId;
  return {
    set,
    containerId,
    target: (service) => ({ docker, containerId: containerId(service), runId: set.owner.runId, engineIsLocal: true }),
    sh: (service, script, timeoutMs = 30_000) => execInContainer(docker, containerId(service), { cmd: ['sh', '-c', script], timeoutMs }),
    inspect: (service) => docker.getContainer(containerId(service)).inspect(),
  };
}
