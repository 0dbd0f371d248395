// Docker orchestration for runs: connect, start a set of services in dependency order on a private
// network, wait for readiness, exec commands, collect evidence, clean up (also after crashes).
export { connectDocker, dockerOptionsFromEnv } from './connect';
export type { ConnectOptions, DockerConnection, DockerEndpoint, DockerEnv } from './connect';
export { collectEvidence, describeEvidence } from './evidence';
export type { ContainerEvidence } from './evidence';
export { execInContainer, runToCompletion } from './exec';
export type { CommandOptions, CommandResult, ContainerLifecycle, RunOptions } from './exec';
export { ensureImages, imageExists } from './images';
export type { ImageOptions } from './images';
export * from './labels';
export { processAlive, reapLeftovers } from './reaper';
export type { ReapOptions, ReapReport } from './reaper';
export { containerName, validateService } from './service';
export type { HealthCheckDefinition, ServiceDefinition, VolumeDefinition } from './service';
export { removeExecutionResources, ServiceSet } from './service-set';
export type { RunningService, ServiceEvent, ServiceEventType, ServiceSetOptions } from './service-set';
export { serviceFromSpec } from './from-spec';
export type { FromSpecOptions } from './from-spec';
export { installSignalCleanup } from './signals';
export { sampleStats, statsFromRaw } from './stats';
export { DEFAULT_SAMPLE_INTERVAL_MS, effectiveInterval, startStatsSampler, type StatsSampler, type StatsTarget } from './stats-sampler';
export type { ContainerStatsSample } from './stats';
export type { SignalCleanupOptions } from './signals';
export { DEFAULT_WAIT_TIMEOUT_MS, describeStrategy, waitUntilReady } from './wait';
export type { SpanWaiter, WaitContext, WaitStrategy } from './wait';
