// A test file's services as Docker service definitions: the Docker layer's mapping (from-spec) plus
// the file's `[limits]` (cpu_millicores, memory_mb) applied to every service that sets none itself.
import type { LimitsSection } from '../../shared/spec/schema/run-config';
import type { ServiceSpec } from '../../shared/spec';
import type { ServiceDefinition } from '../docker';
import { serviceFromSpec, type FromSpecOptions } from '../docker/from-spec';

export function serviceFromSpecWithLimits(spec: ServiceSpec, options: FromSpecOptions, limits: LimitsSection | undefined): ServiceDefinition {
  const def = serviceFromSpec(spec, options);
  if (!limits || (limits.memory_mb === undefined && limits.cpu_millicores === undefined)) return def;
  return {
    ...def,
    limits: {
      // 0 means "no limit" in clnrm's examples; Docker would refuse a 0 MB memory limit.
      memoryMb: limits.memory_mb ? limits.memory_mb : undefined,
      cpus: limits.cpu_millicores ? limits.cpu_millicores / 1000 : undefined,
    },
  };
}
