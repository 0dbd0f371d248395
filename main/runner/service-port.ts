// The seam between the runner's orchestration and the engine: what an execution needs from its set of
// services. `ServiceSet` (main/docker) is the real one; orchestration tests use their own below this seam.
import type Docker from 'dockerode';
import type { CommandOptions, CommandResult, ContainerEvidence, RunningService, RunOptions, ServiceSetOptions } from '../docker';
import { ServiceSet } from '../docker';

export interface ServiceSetPort {
  readonly networkName: string;
  readonly plan: { readonly levels: readonly (readonly string[])[] };
  start(): Promise<void>;
  service(id: string): RunningService;
  services(): RunningService[];
  exec(id: string, options: CommandOptions): Promise<CommandResult>;
  runOnce(options: Omit<RunOptions, 'network' | 'labels'>, label?: string): Promise<CommandResult>;
  evidence(): Promise<ContainerEvidence[]>;
  stop(): Promise<ContainerEvidence[]>;
  dispose(): Promise<void>;
}

export type ServiceSetFactory = (options: ServiceSetOptions) => ServiceSetPort;

export const dockerServiceSets = (docker: Docker): ServiceSetFactory => (options) => new ServiceSet(docker, options);
