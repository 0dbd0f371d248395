// A test file's services as Docker service definitions: the Docker layer's mapping (from-spec) plus
// limits — a service's own `limits` field by field over the file's `[limits]` — and the one
// readiness wait we do not honour literally: a `wait_for_span` on a `clnrm.*` span that only the
// service's own scenario (or the runner, after readiness) can produce would only time out, so it is
// treated as satisfied at start, with a note (validate warns about it as `spec.self-wait`).
import { isSelfProducedWait } from '../../shared/spec/advisories';
import type { LimitsSection } from '../../shared/spec/schema/run-config';
import type { ServiceSpec } from '../../shared/spec';
import type { ServiceDefinition } from '../docker';
import { serviceFromSpec, type FromSpecOptions } from '../docker/from-spec';

export interface RunnerService {
  readonly definition: ServiceDefinition;
  /** Said in progress: a wait the runner skipped, and why. */
  readonly note?: string;
}

/** The limits a service runs with: its own fields first, then the file's. */
export function effectiveLimits(spec: ServiceSpec, limits: LimitsSection | undefined): { memoryMb?: number; cpuMillicores?: number } {
  return { memoryMb: spec.limits?.memoryMb ?? limits?.memory_mb, cpuMillicores: spec.limits?.cpuMillicores ?? limits?.cpu_millicores };
}

export function serviceFromSpecWithLimits(spec: ServiceSpec, options: FromSpecOptions, limits: LimitsSection | undefined): RunnerService {
  const selfWait = isSelfProducedWait({ wait_for_span: spec.waitForSpan, args: spec.args });
  const def = serviceFromSpec(selfWait ? { ...spec, waitForSpan: undefined } : spec, options);
  const note = selfWait
    ? `service ${spec.id}: wait_for_span "${spec.waitForSpan}" can only be produced after this service is ready, so it is treated as satisfied at start`
    : undefined;
  const { memoryMb, cpuMillicores } = effectiveLimits(spec, limits);
  if (memoryMb === undefined && cpuMillicores === undefined) return { definition: def, note };
  return {
    definition: {
      ...def,
      limits: {
        // 0 means "no limit" in clnrm's examples; Docker would refuse a 0 MB memory limit.
        memoryMb: memoryMb ? memoryMb : undefined,
        cpus: cpuMillicores ? cpuMillicores / 1000 : undefined,
      },
    },
    note,
  };
}
