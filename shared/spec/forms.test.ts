// The forms clnrm's own test files use (issue 18 §3): each is parsed, typed, validated with a
// position, and (when not acted on yet) warned about — never ignored.
import { describe, expect, it } from 'vitest';
import { parseTestFile } from './parse';
import { statsIntervalMs } from './schema/v2';
import { HEAD, errorsOf, warningsOf } from './test-helpers';

const parse = (source: string) => parseTestFile(source, { file: 't.clnrm.toml' });

describe('service type, limits and cleanup_policy', () => {
  const file = `${HEAD}
[service.api]
type = "generic_container"
image = "alpine:3.20"
limits = { memory_mb = 64, cpu_millicores = 250 }
cleanup_policy = "on-success"
`;
  it('types them: type stands in for plugin, limits per service, cleanup policy normalised', () => {
    const r = parse(file);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.tests[0]!.services.api).toMatchObject({ plugin: 'generic_container', limits: { memoryMb: 64, cpuMillicores: 250 }, cleanupPolicy: 'on_success' });
  });

  it('warns on a type clnrm does not know, and on type disagreeing with plugin', () => {
    const w = warningsOf(`${HEAD}\n[service.api]\ntype = "generic_containr"\nplugin = "generic_container"\nimage = "a"\n`);
    expect(w).toEqual([
      expect.stringMatching(/^10:1 spec.service-type .*type "generic_containr", which is not one of clnrm's service types — did you mean `generic_container`\?/),
      expect.stringMatching(/^10:1 spec.service-type .*plugin wins/),
    ]);
  });

  it('rejects bad limits and policies with their position', () => {
    expect(errorsOf(`${HEAD}\n[service.api]\nimage = "a"\nlimits = { memory_mb = "64" }\ncleanup_policy = "sometimes"\n`)).toEqual([
      expect.stringMatching(/^11:24 toml.shape `service.api.limits.memory_mb` must be an integer/),
      expect.stringMatching(/^12:18 toml.shape .*"always", "on_success", "on_failure" or "never"/),
    ]);
  });
});

describe('scenario forms', () => {
  it('types expect_failure and a run list run in parallel, checking parallel_services against it', () => {
    const r = parse(`[meta]
name = "t"

[service.a]
image = "alpine"
[service.b]
image = "alpine"

[[scenario]]
name = "both"
parallel_services = ["a", "b"]
run = [
  { service = "a", command = "sh -c 'exit 1'" },
  { service = "b", command = ["echo", "b"] },
]
expect_failure = true
`);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const s = r.tests[0]!.scenarios[0]!;
    expect(s).toMatchObject({ expectFailure: true, parallelServices: ['a', 'b'], runArgv: undefined });
    expect(s.parallelRun).toEqual([
      { service: 'a', command: ['sh', '-c', 'exit 1'] },
      { service: 'b', command: ['echo', 'b'] },
    ]);
  });

  it('names an undeclared service in a run list or parallel_services, and a mismatch between them', () => {
    const source = `[meta]\nname = "t"\n[service.a]\nimage = "x"\n[[scenario]]\nname = "s"\nparallel_services = ["a", "c"]\nrun = [{ service = "b", command = "true" }]\n`;
    expect(errorsOf(source)).toEqual([
      expect.stringMatching(/^7:27 spec.reference .*parallel_services names service `c`/),
      expect.stringMatching(/^8:20 spec.reference .*run\[0\] names service `b`/),
    ]);
    expect(warningsOf(`${HEAD.replace('run = "echo hi"', 'run = "echo hi"\nparallel_services = ["api"]')}[service.api]\nimage = "a"\n`)).toEqual([
      expect.stringMatching(/spec.reference .*parallel_services applies to a run list/),
    ]);
  });

  it('starts [scenario.services] and [[scenario.services]] for the scenario, refusing an id the file already uses', () => {
    const table = parse(`${HEAD}service = "db"\n[scenario.services]\ndb = { image = "postgres:16", type = "generic_container" }\n`);
    expect(table.errors).toEqual([]);
    expect(table.tests[0]!.scenarios[0]!.services).toMatchObject([{ id: 'db', image: 'postgres:16', table: 'scenario[0].services' }]);
    const list = parse(`${HEAD}[[scenario.services]]\nname = "cache"\nimage = "redis:7"\n`);
    expect(list.errors).toEqual([]);
    expect(list.tests[0]!.scenarios[0]!.services.map((s) => s.id)).toEqual(['cache']);
    expect(errorsOf(`${HEAD}[[scenario.services]]\nimage = "redis:7"\n[service.x]\nimage = "a"\n`)).toEqual([expect.stringMatching(/toml.shape .*needs name =/)]);
    expect(errorsOf(`${HEAD}[scenario.services]\nx = { image = "b" }\n[service.x]\nimage = "a"\n`)).toEqual([expect.stringMatching(/toml.duplicate .*already declares/)]);
  });

  it('types [[scenario.expect.cross_service]] and rejects an unknown type or a bad rate', () => {
    const r = parse(`${HEAD}[[scenario.expect.cross_service]]\ntype = "api_to_db_query"\napi_span = "api.user.get"\ndb_span = "db.query"\nquery_matches = "SELECT .* FROM users"\nconnection_reused = true\n`);
    expect(r.errors).toEqual([]);
    expect(r.tests[0]!.scenarios[0]!.crossService).toEqual([{ type: 'api_to_db_query', api_span: 'api.user.get', db_span: 'db.query', query_matches: 'SELECT .* FROM users', connection_reused: true }]);
    expect(errorsOf(`${HEAD}[[scenario.expect.cross_service]]\ntype = "hit_rate"\napi_span = "a"\nexpected_hit_rate = { gte = 1.5 }\n`)).toEqual([
      expect.stringMatching(/^9:8 toml.shape .*"api_to_db_query", "cache_hit_rate"/),
      expect.stringMatching(/^11:29 toml.shape .*between 0.0 and 1.0/),
    ]);
  });
});

describe('meta, expect, limits, report, cleanup', () => {
  it('keeps [meta] author and tags', () => {
    const r = parse(HEAD.replace('version = "1"', 'version = "1"\nauthor = "core"\ntags = ["chaos", "otel"]'));
    expect(r.warnings).toEqual([]);
    expect(r.tests[0]!.meta).toMatchObject({ author: 'core', tags: ['chaos', 'otel'] });
  });

  it('accepts every expectation form of the chaos files', () => {
    const r = parse(`${HEAD}
[[expect.window]]
outer = "clnrm.run"
contains = ["clnrm.step:s"]
max_duration_ms = 30000

[expect.status]
errors_allowed = true

[expect.hermeticity]
no_container_leakage = true
no_network_leakage = true
no_volume_leakage = true

[expect.isolation]
unique_container_ids = true
no_persistent_state = true
no_shared_networks = true
cleanup_verified = true

[limits]
max_containers = 5
max_duration_seconds = 60

[report]
cleanup_verification = "cleanup.json"
isolation_report = "isolation.json"

[cleanup]
containers = "always"
networks = "on_success"
volumes = "never"
verify_cleanup = true
on_failure = "cleanup_and_report"
`);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.tests[0]!.cleanup).toMatchObject({ containers: 'always', networks: 'on_success', volumes: 'never', verify_cleanup: true });
  });

  it('takes a bare [expect.window] duration bound, and refuses contains without outer', () => {
    expect(parse(`${HEAD}[expect.window]\nmax_duration_ms = 10000\n`).errors).toEqual([]);
    expect(errorsOf(`${HEAD}[expect.window]\ncontains = ["a"]\n`)).toEqual([expect.stringMatching(/toml.shape .*contains needs outer/)]);
    expect(errorsOf(`${HEAD}[expect.window]\ndescription = "x"\n`)).toEqual([expect.stringMatching(/toml.shape .*needs contains = \[...\] \(with outer\) or a bound/)]);
  });
});

describe('what is not acted on yet is said, never silent', () => {
  it('warns for chaos, self-healing, intelligence, performance beyond sampling, the meaning of chaos_injection delay_ms and [expect.chaos]', () => {
    const w = warningsOf(`${HEAD}chaos_injection = { type = "kill_container", delay_ms = 500 }

[expect.chaos]
zombie_processes = { eq = 0 }
cascading_failures_detected = true

[chaos]
enabled = true
seed = 7

[performance]
sample_stats_ms = 1000
regression_detection = true

[self_healing]
enabled = true
learn_from_failures = true

[intelligence]
learn_patterns = true
`);
    expect(w.map((x) => x.replace(/^\d+:\d+ /, ''))).toEqual([
      expect.stringMatching(/^chaos.delay-meaning delay_ms here is when the fault starts \(ms after the scenario.s steps begin/),
      expect.stringMatching(/^spec.not-yet \[expect.chaos\] cascading_failures_detected: no check of ours gives it a meaning, so it is not judged/),
      expect.stringMatching(/^spec.not-yet \[chaos\] seed \(only \[chaos.experiment\], \[chaos.patterns\] and \[chaos.catalog\] are acted on\) arrives with later parts of the chaos layer/),
      expect.stringMatching(/^spec.not-yet \[performance\] regression_detection \(only stats sampling, baselines and regression thresholds are acted on\)/),
      expect.stringMatching(/^spec.not-yet \[self_healing\] learn_from_failures \(classification, retries, quarantine and repairs are acted on\)/),
      expect.stringMatching(/^spec.not-yet \[intelligence\]/),
    ]);
  });

  it('says a wait for a clnrm span on the service whose scenario produces it can only time out', () => {
    const w = warningsOf(`${HEAD.replace('run = "echo hi"', 'run = "clnrm self-test"\nservice = "brew"')}[service.brew]\nimage = "cleanroom/clnrm:latest"\nwait_for_span = "clnrm.run"\n`);
    expect(w).toEqual([expect.stringMatching(/^11:1 spec.self-wait service `brew` waits for "clnrm.run".*can only time out, so the runner treats this wait as satisfied at start/)]);
    // A service that itself runs clnrm does produce clnrm.run while starting: no warning.
    expect(warningsOf(`${HEAD}[service.inner]\nimage = "cleanroom/clnrm:latest"\nargs = ["clnrm", "self-test"]\nwait_for_span = "clnrm.run"\n`)).toEqual([]);
  });
});

describe('type as the plugin', () => {
  it('a service with type = "surrealdb" and no plugin is not a generic container needing an image', () => {
    expect(errorsOf(`${HEAD}[services.db]\ntype = "surrealdb"\nusername = "root"\n`)).toEqual([]);
    expect(errorsOf(`${HEAD}[services.db]\ntype = "generic_container"\n`)).toEqual([expect.stringMatching(/needs an image/)]);
  });
});

describe('[performance] sample_stats_ms (the container stats interval)', () => {
  it('takes 1 to 60000 ms; outside that is an error at its position', () => {
    expect(errorsOf(`${HEAD}[performance]\nsample_stats_ms = 2000\n`)).toEqual([]);
    for (const bad of ['0', '60001', '1.5', '"1s"']) {
      expect(errorsOf(`${HEAD}[performance]\nsample_stats_ms = ${bad}\n`)).toEqual([expect.stringMatching(/^\d+:19 toml.shape `performance.sample_stats_ms` must be an integer interval in milliseconds from 1 to 60000, like 1000/)]);
    }
  });

  it('warns that an interval under the engine\'s 1 s tick is sampled every 1000 ms instead', () => {
    expect(warningsOf(`${HEAD}[performance]\nsample_stats_ms = 250\n`)).toEqual([expect.stringMatching(/^\d+:1 perf.sample-interval sample_stats_ms = 250 is finer than the engine measures .* samples come every 1000 ms/)]);
    expect(warningsOf(`${HEAD}[performance]\nsample_stats_ms = 1000\n`)).toEqual([]);
  });
});

describe("the seed's [performance.metrics] and [performance.metrics.resources]", () => {
  const SEED = `${HEAD}[performance.metrics]\nlatency_percentiles = [50, 95, 99]\nhistogram = true\n\n[performance.metrics.resources]\ncpu = true\nmemory = true\nsample_interval_ms = 2000\n`;

  it('validates the seed form, and its interval is the stats interval', () => {
    expect(errorsOf(SEED)).toEqual([]);
    expect(statsIntervalMs(parse(SEED).tests[0]!.performance)).toBe(2000);
    // A table of numbers, the form before, is still valid.
    expect(errorsOf(`${HEAD}[performance]\nmetrics = { p95_latency_ms = 100 }\n`)).toEqual([]);
  });

  it('says which keys change nothing, and that a fine interval is sampled at the engine tick', () => {
    expect(warningsOf(SEED)).toEqual([
      expect.stringMatching(/spec.not-yet \[performance.metrics\] latency_percentiles, histogram: .* computed for every run/),
      expect.stringMatching(/spec.not-yet \[performance.metrics.resources\] cpu, memory: .* always sampled together/),
    ]);
    expect(warningsOf(`${HEAD}[performance.metrics.resources]\nsample_interval_ms = 100\n`)).toEqual([expect.stringMatching(/perf.sample-interval sample_interval_ms = 100 is finer than the engine measures/)]);
  });

  it('refuses a bad interval, a bad value and two intervals that disagree, at their place', () => {
    expect(errorsOf(`${HEAD}[performance.metrics.resources]\nsample_interval_ms = 0\n`)).toEqual([expect.stringMatching(/^\d+:\d+ toml.shape `performance.metrics.resources.sample_interval_ms` must be an integer interval in milliseconds/)]);
    expect(errorsOf(`${HEAD}[performance.metrics.resources]\ncpu = "yes"\n`)).toEqual([expect.stringMatching(/`performance.metrics.resources.cpu`/)]);
    expect(errorsOf(`${HEAD}[performance]\nsample_stats_ms = 1000\n\n[performance.metrics.resources]\nsample_interval_ms = 2000\n`)).toEqual([
      expect.stringMatching(/disagrees with sample_stats_ms = 1000: .* \(at `performance.metrics.resources.sample_interval_ms`\)/),
    ]);
    expect(errorsOf(`${HEAD}[performance]\nsample_stats_ms = 2000\n\n[performance.metrics.resources]\nsample_interval_ms = 2000\n`)).toEqual([]);
  });
});
