// `[service.<id>]` / `[services.<id>]`: the containers (or plugin-provided services) a test starts.
import { z } from 'zod';
import { bool, nonNegInt, positiveInt, shape, str, stringMap, strArray } from './common';

export const volumeSchema = z.object(
  {
    host_path: str('an absolute host path like "/data"').refine((p) => p.startsWith('/'), 'must be an absolute path'),
    container_path: str('an absolute container path like "/data"').refine(
      (p) => p.startsWith('/'),
      'must be an absolute path',
    ),
    read_only: bool().optional(),
  },
  shape('a table like { host_path = "/src", container_path = "/app", read_only = true }'),
);

/** Docker's short form `"/host:/container"` or `"/host:/container:ro"`, accepted beside the table form. */
const volumeStringSchema = z
  .string()
  .regex(/^[^:]+:[^:]+(:(ro|rw))?$/, 'must look like "/host/path:/container/path" or "/host:/container:ro"')
  .refine((v) => v.startsWith('/') && v.split(':')[1]!.startsWith('/'), 'must use absolute paths like "/host/data:/data"');

export const healthCheckSchema = z.object(
  {
    cmd: strArray('an array of strings like ["pg_isready", "-U", "postgres"]'),
    interval: nonNegInt('an integer number of seconds like 5').optional(),
    timeout: nonNegInt('an integer number of seconds like 3').optional(),
    retries: nonNegInt('an integer like 3').optional(),
  },
  shape('a table like { cmd = ["curl", "-f", "http://localhost/health"], interval = 5 }'),
);

const port = z
  .number(shape('an array of integers like [8080]'))
  .int(shape('an array of integers like [8080]'))
  .min(1, 'must be a port between 1 and 65535')
  .max(65535, 'must be a port between 1 and 65535');

/** The plugin that runs a plain container and so needs an image (other plugins may bring their own). */
export const CONTAINER_PLUGINS = ['generic_container'] as const;

/**
 * clnrm's service plugin names (crates/clnrm-core/src/services): `type` is older clnrm's name for
 * `plugin`; a value outside this list gets a warning (checks.ts), not an error.
 */
export const CLNRM_SERVICE_TYPES = ['generic_container', 'surrealdb', 'ollama', 'tgi', 'vllm', 'otel_collector', 'chaos_engine'] as const;

/** When Docker resources are removed after an execution (`[cleanup]`, service `cleanup_policy`). */
export const CLEANUP_POLICIES = ['always', 'on_success', 'on_failure', 'never'] as const;
export type CleanupPolicy = (typeof CLEANUP_POLICIES)[number];

/** A cleanup policy; clnrm's cleanroom.toml writes `on-success`, its test files `on_success`: both are accepted. */
export const cleanupPolicySchema = z
  .string(shape('a cleanup policy ("always", "on_success", "on_failure" or "never")'))
  .refine((v) => (CLEANUP_POLICIES as readonly string[]).includes(v.toLowerCase().replace('-', '_')), {
    message: 'must be "always", "on_success", "on_failure" or "never"',
  });

/** Per-service `limits = { memory_mb, cpu_millicores }`: override the file's `[limits]` for this container. */
export const serviceLimitsSchema = z.object(
  {
    memory_mb: nonNegInt('an integer number of megabytes like 256').optional(),
    cpu_millicores: nonNegInt('an integer number of millicores like 500').optional(),
  },
  shape('a table like { memory_mb = 256, cpu_millicores = 500 }'),
);

export const serviceSchema = z.object(
  {
    plugin: str('a plugin name like "generic_container"').min(1, 'must not be empty').optional(),
    /** Older clnrm's name for `plugin` (its test files write both, equal). */
    type: str('a service type like "generic_container"').min(1, 'must not be empty').optional(),
    image: str('an image reference like "alpine:3.20"').min(1, 'must not be empty').optional(),
    args: strArray('an array of strings like ["--port", "8080"]').optional(),
    env: stringMap('a table of strings like { LOG_LEVEL = "debug" }').optional(),
    ports: z.array(port, shape('an array of integers like [8080]')).optional(),
    volumes: z
      .array(
        z.union([volumeSchema, volumeStringSchema], shape('a table like { host_path = "/src", container_path = "/app" } or a string like "/src:/app:ro"')),
        shape('an array like [{ host_path = "/src", container_path = "/app" }] or ["/src:/app:ro"]'),
      )
      .optional(),
    health_check: healthCheckSchema.optional(),
    username: str().optional(),
    password: str().optional(),
    strict: bool().optional(),
    wait_for_span: str('a span name like "http.server.ready"').optional(),
    wait_for_span_timeout_secs: positiveInt('a positive integer number of seconds like 30').optional(),
    depends_on: strArray('an array of service names like ["db"]').optional(),
    limits: serviceLimitsSchema.optional(),
    cleanup_policy: cleanupPolicySchema.optional(),
  },
  shape('a table like [service.api] with image = "..."'),
);

export const serviceMapSchema = z.record(
  z.string(),
  serviceSchema,
  shape('a table of services like [service.api] (one table per service, not [[service]])'),
);

export type ServiceSection = z.infer<typeof serviceSchema>;
