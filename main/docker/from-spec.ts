// Maps a parsed test file's service (`shared/spec` ServiceSpec, clnrm's field names) onto our
// ServiceDefinition: `args` → command, `health_check` seconds → ms, `wait_for_span` → a span wait,
// `depends_on` kept. The runner adds its own environment (OTLP endpoint, run id) through `env`.
import { StudioError } from '../../shared/errors';
import type { ServiceSpec } from '../../shared/spec/types';
import type { ServiceDefinition } from './service';
import type { WaitStrategy } from './wait';

export interface FromSpecOptions {
  /** Defaults under the file's env (the file wins), e.g. OTEL_SERVICE_NAME. */
  readonly baseEnv?: Readonly<Record<string, string>>;
  /** Over the file's env (these win), e.g. OTEL_EXPORTER_OTLP_ENDPOINT pointing at our receiver. */
  readonly overrideEnv?: Readonly<Record<string, string>>;
}

/** Plugins that are plain containers here (clnrm's service plugins that only differ by image). */
const CONTAINER_PLUGINS = new Set(['generic_container', 'surrealdb', 'postgres', 'redis']);

export function serviceFromSpec(spec: ServiceSpec, options: FromSpecOptions = {}): ServiceDefinition {
  if (!spec.image) {
    throw new StudioError({
      code: 'toml.shape',
      message: `service "${spec.id}" (plugin "${spec.plugin}") has no image; the Docker runner starts containers only, so add image = "..."`,
      path: `${spec.table}.${spec.id}.image`,
    });
  }
  if (!CONTAINER_PLUGINS.has(spec.plugin)) {
    throw new StudioError({
      code: 'toml.shape',
      message: `service "${spec.id}": plugin "${spec.plugin}" is not supported by the Docker runner (use plugin = "generic_container" with an image)`,
      path: `${spec.table}.${spec.id}.plugin`,
    });
  }
  const waitFor: WaitStrategy[] = [];
  if (spec.waitForSpan) waitFor.push({ kind: 'span', name: spec.waitForSpan, timeoutMs: (spec.waitForSpanTimeoutSecs ?? 30) * 1000 });
  const hc = spec.healthCheck;
  return {
    id: spec.id,
    image: spec.image,
    command: spec.args.length > 0 ? spec.args : undefined,
    env: { ...options.baseEnv, ...spec.env, ...options.overrideEnv },
    ports: spec.ports,
    volumes: spec.volumes.map((v) => ({ hostPath: v.hostPath, containerPath: v.containerPath, readOnly: v.readOnly })),
    healthCheck: hc
      ? {
          cmd: hc.cmd,
          intervalMs: (hc.intervalSecs ?? 1) * 1000,
          timeoutMs: hc.timeoutSecs !== undefined ? hc.timeoutSecs * 1000 : undefined,
          retries: hc.retries,
        }
      : undefined,
    waitFor,
    dependsOn: spec.dependsOn,
  };
}
