// Builds the typed TestFile from a schema-valid document (see types.ts for what is normalised).
import type { RawTestFile } from './schema/root';
import { splitCommand } from './shell-words';
import type { ScenarioSpec, ServiceSpec, StepSpec, TestFile, TestMeta, VolumeSpec } from './types';

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

function step(raw: NonNullable<RawTestFile['steps']>[number]): StepSpec {
  const split = typeof raw.command === 'string' ? splitCommand(raw.command) : null;
  return {
    name: raw.name,
    command: Array.isArray(raw.command) ? [...raw.command] : split?.ok ? split.argv : [raw.command],
    expectedExitCode: raw.expected_exit_code ?? 0,
    expectedOutputRegex: raw.expected_output_regex,
    workdir: raw.workdir,
    env: { ...(raw.env ?? {}) },
    continueOnFailure: raw.continue_on_failure ?? false,
    service: raw.service,
  };
}

function runArgv(run: string): string[] {
  const split = splitCommand(run);
  return split.ok ? split.argv : [run];
}

export function normalise(doc: RawTestFile, source: string, file?: string): TestFile {
  const legacy = doc.test?.metadata;
  const meta: TestMeta = doc.meta
    ? { name: doc.meta.name, version: doc.meta.version, description: doc.meta.description, source: 'meta' }
    : {
        name: legacy?.name ?? doc.test?.name ?? '',
        description: legacy?.description ?? doc.test?.description,
        timeoutMs: durationMs(legacy?.timeout ?? doc.test?.timeout),
        source: 'test.metadata',
      };

  const services: Record<string, ServiceSpec> = {};
  for (const table of ['service', 'services'] as const) {
    for (const [id, s] of Object.entries(doc[table] ?? {})) {
      if (services[id]) continue;
      services[id] = {
        id,
        table,
        plugin: s.plugin ?? 'generic_container',
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
      };
    }
  }

  const scenarios: ScenarioSpec[] = [];
  if ((doc.steps?.length ?? 0) > 0) {
    scenarios.push({ name: 'default', implicit: true, steps: doc.steps!.map(step), concurrent: false, artifacts: [] });
  }
  for (const s of doc.scenario ?? []) {
    scenarios.push({
      name: s.name,
      implicit: false,
      run: s.run,
      runArgv: s.run === undefined ? undefined : Array.isArray(s.run) ? [...s.run] : runArgv(s.run),
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
