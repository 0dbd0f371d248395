// Builds the typed TestFile from a schema-valid document (see types.ts for what is normalised).
import type { RawTestFile } from './schema/root';
import { splitCommand } from './shell-words';
import type { ScenarioSection } from './schema/scenario';
import type { CleanupPolicy, ServiceSection } from './schema/services';
import type { ScenarioSpec, ServiceCommandSpec, ServiceSpec, StepSpec, TestFile, TestMeta, VolumeSpec } from './types';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function durationMs(text: string | undefined): number | undefined {
  const m = text === undefined ? null : /^\s*(\d+)\s*([a-z]+)\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (UNIT_MS[m[2]![0]!] ?? 1000);
}

function volume(v: NonNullable<NonNullable<RawTestFile['service']>[string]['volumes']>[number]): VolumeSpec {
  if (typeof v !== 'string') return { hostPath: v.host_path, containerPath: v.container_path, readOnly: v.read_only ?? false };
  const [hostPath = '', containerPath = '', mode] = v.split(':');
  return { hostPath, containerPath, readOnly: mode === 'ro' };
}

function argv(command: string | string[]): string[] {
  if (Array.isArray(command)) return [...command];
  const split = splitCommand(command);
  return split.ok ? split.argv : [command];
}

function service(id: string, table: string, s: ServiceSection): ServiceSpec {
  return {
    id,
    table,
    plugin: s.plugin ?? s.type ?? 'generic_container',
    image: s.image,
    args: s.args ?? [],
    env: { ...(s.env ?? {}) },
    ports: s.ports ?? [],
    volumes: (s.volumes ?? []).map(volume),
    healthCheck: s.health_check && {
      cmd: s.health_check.cmd,
      intervalSecs: s.health_check.interval,
      timeoutSecs: s.health_check.timeout,
      retries: s.health_check.retries,
    },
    username: s.username,
    password: s.password,
    strict: s.strict,
    waitForSpan: s.wait_for_span,
    waitForSpanTimeoutSecs: s.wait_for_span_timeout_secs,
    dependsOn: s.depends_on ?? [],
    ...(s.limits ? { limits: { memoryMb: s.limits.memory_mb, cpuMillicores: s.limits.cpu_millicores } } : {}),
    ...(s.cleanup_policy ? { cleanupPolicy: cleanupPolicy(s.cleanup_policy) } : {}),
  };
}

/** "on-success" (cleanroom.toml's spelling) and "On_Success" mean on_success. */
export function cleanupPolicy(text: string): CleanupPolicy {
  return text.toLowerCase().replace('-', '_') as CleanupPolicy;
}

/** `[scenario.services]` (id → service) or `[[scenario.services]]` (entries with `name`). */
function scenarioServices(raw: ScenarioSection['services'], position: number): ServiceSpec[] {
  if (!raw) return [];
  const table = `scenario[${position}].services`;
  if (!Array.isArray(raw)) return Object.entries(raw).map(([id, s]) => service(id, table, s));
  return raw.flatMap((s, i) => (s.name ? [service(s.name, `${table}[${i}]`, s)] : []));
}

function step(raw: NonNullable<RawTestFile['steps']>[number]): StepSpec {
  return {
    name: raw.name,
    command: argv(raw.command),
    expectedExitCode: raw.expected_exit_code ?? 0,
    expectedOutputRegex: raw.expected_output_regex,
    workdir: raw.workdir,
    env: { ...(raw.env ?? {}) },
    continueOnFailure: raw.continue_on_failure ?? false,
    service: raw.service,
  };
}

export function normalise(doc: RawTestFile, source: string, file?: string): TestFile {
  const legacy = doc.test?.metadata;
  const meta: TestMeta = doc.meta
    ? { name: doc.meta.name, version: doc.meta.version, description: doc.meta.description, author: doc.meta.author, tags: doc.meta.tags ?? [], source: 'meta' }
    : {
        name: legacy?.name ?? doc.test?.name ?? '',
        description: legacy?.description ?? doc.test?.description,
        version: legacy?.version,
        author: legacy?.author,
        tags: legacy?.tags ?? [],
        timeoutMs: durationMs(legacy?.timeout ?? doc.test?.timeout),
        source: 'test.metadata',
      };

  const services: Record<string, ServiceSpec> = {};
  for (const table of ['service', 'services'] as const) {
    for (const [id, s] of Object.entries(doc[table] ?? {})) services[id] ??= service(id, table, s);
  }

  const scenarios: ScenarioSpec[] = [];
  if ((doc.steps?.length ?? 0) > 0) {
    scenarios.push({ name: 'default', implicit: true, steps: doc.steps!.map(step), concurrent: false, artifacts: [], parallelRun: [], expectFailure: false, services: [], crossService: [] });
  }
  for (const [position, s] of (doc.scenario ?? []).entries()) {
    const single = typeof s.run === 'string' || s.run?.every((a): a is string => typeof a === 'string') ? s.run : undefined;
    const parallelRun: ServiceCommandSpec[] = single === undefined && Array.isArray(s.run) ? s.run.flatMap((e) => (typeof e === 'string' ? [] : [{ service: e.service, command: argv(e.command) }])) : [];
    scenarios.push({
      name: s.name,
      implicit: false,
      run: single,
      runArgv: single === undefined ? undefined : argv(single),
      parallelRun,
      ...(s.parallel_services ? { parallelServices: s.parallel_services } : {}),
      expectFailure: s.expect_failure ?? false,
      services: scenarioServices(s.services, position),
      crossService: s.expect?.cross_service ?? [],
      ...(s.chaos_injection && s.chaos_enabled !== false ? { chaosInjection: s.chaos_injection } : {}),
      ...(s.phase && s.phase.length > 0 && s.chaos_enabled !== false ? { phases: s.phase } : {}),
      service: s.service,
      steps: (s.steps ?? []).map(step),
      concurrent: s.concurrent ?? false,
      timeoutMs: s.timeout_ms,
      policy: s.policy,
      artifacts: s.artifacts?.collect ?? [],
    });
  }

  return {
    file,
    name: meta.name,
    meta,
    matrix: {},
    vars: { ...(doc.vars ?? {}) },
    otel: doc.otel,
    services,
    scenarios,
    expect: doc.expect,
    determinism: doc.determinism,
    limits: doc.limits,
    report: doc.report,
    cleanup: doc.cleanup,
    orchestration: doc.orchestration,
    chaos: doc.chaos,
    performance: doc.performance,
    intelligence: doc.intelligence,
    selfHealing: doc.self_healing,
    plugins: doc.plugins,
    layers: doc.layers,
    raw: doc,
    source,
  };
}
