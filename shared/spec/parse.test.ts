import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTestFile } from './parse';
import { HEAD, brief, errorsOf, warningsOf } from './test-helpers';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('parseTestFile: fixtures', () => {
  it('normalises a complete v1 file', () => {
    const r = parseTestFile(fixture('full-v1.clnrm.toml'), { file: 'full-v1.clnrm.toml' });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const [t] = r.tests;
    expect(t!.name).toBe('checkout_flow');
    expect(t!.meta).toMatchObject({ name: 'checkout_flow', version: '1.0', source: 'meta' });
    expect(Object.keys(t!.services)).toEqual(['db', 'api']);
    expect(t!.services.api).toMatchObject({ table: 'service', plugin: 'generic_container', ports: [8080], dependsOn: ['db'] });
    expect(t!.services.api!.volumes).toEqual([{ hostPath: '/tmp/fixtures', containerPath: '/fixtures', readOnly: true }]);
    expect(t!.scenarios.map((s) => [s.name, s.implicit])).toEqual([
      ['default', true],
      ['checkout', false],
      ['stepwise', false],
    ]);
    expect(t!.scenarios[0]!.steps[0]!.command).toEqual(['curl', '-sf', 'http://api:8080/health']);
    expect(t!.scenarios[1]!.runArgv).toEqual(['curl', '-sf', '-X', 'POST', 'http://api:8080/checkout']);
    expect(t!.scenarios[1]!.artifacts).toEqual(['spans:default']);
    expect(t!.expect?.span).toHaveLength(2);
    expect(t!.determinism).toEqual({ seed: 42, freeze_clock: '2025-01-01T00:00:00Z', iterations: 2 });
  });

  it('maps the legacy layout onto the same model', () => {
    const r = parseTestFile(fixture('legacy.clnrm.toml'), { file: 'legacy.clnrm.toml' });
    expect(r.errors).toEqual([]);
    // Older clnrm's `type` is its name for `plugin`.
    expect(r.warnings).toEqual([]);
    const t = r.tests[0]!;
    expect(t.services.app!.plugin).toBe('generic_container');
    expect(t.meta).toMatchObject({ name: 'legacy_smoke', timeoutMs: 60_000, source: 'test.metadata' });
    expect(t.services.app).toMatchObject({ table: 'services', volumes: [{ hostPath: '/tmp/data', containerPath: '/data', readOnly: true }] });
    expect(t.scenarios[0]!.steps[1]!.command).toEqual(['sh', '-c', 'echo "a b"']);
  });

  it('validates the v2 layers', () => {
    const r = parseTestFile(fixture('v2-layers.clnrm.toml'));
    expect(r.errors).toEqual([]);
    // Validated, and said to be not acted on yet (orchestration, plugins and self-healing retries are).
    expect(r.warnings.map((w) => `${w.code} ${w.path}`)).toEqual(['spec.not-yet chaos.experiment', 'spec.not-yet chaos.network_latency', 'spec.not-yet performance.regression_detection', 'spec.not-yet intelligence.learn_patterns']);
    expect(r.tests[0]!.chaos).toMatchObject({ enabled: true, network_latency: { latency_ms: 100 } });
    expect(r.tests[0]!.orchestration?.temporal?.constraint).toHaveLength(1);
    expect(r.tests[0]!.plugins?.register?.[0]?.module).toBe('./plugins/latency-probe.js');
  });

  it('reports every common mistake of a file with line and column', () => {
    const r = parseTestFile(fixture('mistakes.clnrm.toml'), { file: 'm.clnrm.toml' });
    expect(r.tests).toEqual([]);
    expect(r.errors.map(brief)).toEqual([
      '8:1 toml.shape `service.api.ports` lists container ports as integers, not "host:container" strings: write `ports = [80]`',
      '9:1 toml.shape `service.api.depends_on` must be an array of service names: write `depends_on = ["db"]`',
      '18:11 spec.reference scenario `s1` names service `apii`, which is not declared — did you mean `api`? (known services: api, db)',
      '22:1 toml.shape `expect.span[0].attrs.all` is a table of key = value, not a list of "k=v" strings: write `attrs.all = { "http.method" = "GET" }`',
    ]);
    expect(r.errors.every((e) => e.file === 'm.clnrm.toml')).toBe(true);
    expect(r.warnings.map(brief)).toEqual([expect.stringMatching(/^10:1 toml.unknown-key unknown key `imgae` in `service.api` — did you mean `image`\?/)]);
  });
});

describe('parseTestFile: syntax', () => {
  it('reports TOML syntax errors with position and a fix', () => {
    expect(errorsOf('[meta]\nname = "open\n')).toEqual([
      expect.stringMatching(/^2:\d+ toml.syntax .*add the closing quote/),
    ]);
    expect(errorsOf('[meta]\nname = "a"\n[meta]\nversion = "1"\n')).toEqual([expect.stringMatching(/^3:\d+ toml.duplicate .*merge/)]);
  });
});

describe('parseTestFile: wrong shapes name the expected shape', () => {
  it.each([
    ['[service.a]\nimage = "x"\nports = 8080\n', '11:9 toml.shape `service.a.ports` must be an array of integers like [8080], not an integer'],
    ['[service.a]\nimage = "x"\nports = [70000]\n', '11:10 toml.shape `service.a.ports[0]` must be a port between 1 and 65535'],
    ['[service.a]\nimage = 3\n', '10:9 toml.shape `service.a.image` must be an image reference like "alpine:3.20", not an integer'],
    ['[service.a]\nimage = "x"\nhealth_check = { cmd = "curl" }\n', '11:18 toml.shape `service.a.health_check.cmd` must be an argv array: write `cmd = ["sh", "-c", "curl"]`'],
    ['[service.a]\nimage = "x"\nenv = { PORT = 8080 }\n', '11:9 toml.shape `service.a.env.PORT` must be a string (environment values are text): write `PORT = "8080"`'],
    ['[otel]\nexporter = "kafka"\n', '10:12 toml.shape `otel.exporter` must be one of "stdout", "otlp", "jaeger", "zipkin"'],
    ['[otel]\nexporter = "otlp"\nsample_ratio = 2.0\n', '11:16 toml.shape `otel.sample_ratio` must be between 0.0 and 1.0'],
    ['[otel]\nendpoint = "x"\n', '9:1 toml.shape `otel.exporter` is required (an exporter name (one of "stdout", "otlp", "jaeger", "zipkin"))'],
    ['[determinism]\nseed = -1\n', '10:8 toml.shape `determinism.seed` must be a non-negative integer seed like 42'],
    ['[determinism]\nfreeze_clock = "yesterday"\n', '10:16 toml.shape `determinism.freeze_clock` must be an RFC 3339 timestamp like "2025-01-01T00:00:00Z"'],
    ['[limits]\nmemory_mb = "512"\n', '10:13 toml.shape `limits.memory_mb` must be an integer number of megabytes like 512, not a string'],
    ['[report]\njson = true\n', '10:8 toml.shape `report.json` must be a file path like "report.json", not a boolean'],
    ['[matrix]\ndb = "pg"\n', '10:6 toml.shape `matrix.db` must be an array of values like ["postgres:15", "postgres:16"], not a string'],
    ['[[steps]]\nname = "x"\n', '9:1 toml.shape `steps[0].command` is required (a command: an array like ["curl", "-f", "http://api:8080"] or a string like "curl -f http://api:8080")'],
    ['[[steps]]\nname = "x"\ncommand = "a"\nexpected_output_regex = "(unclosed"\n', '12:25 toml.shape `steps[0].expected_output_regex` is not a valid regular expression'],
    ['[[steps]]\nname = "x"\ncommand = "echo \'open"\n', '11:11 toml.shape `steps[0].command` has an unclosed single quote; fix the quoting or write an array like ["sh", "-c", "..."]'],
    ['[[scenario]]\nname = "empty"\n', '9:1 toml.shape `scenario[1]` needs `run` (or `service`) or at least one [[scenario.steps]] entry'],
    ['[[service]]\nname = "api"\nimage = "x"\n', '9:1 toml.shape `[[service]]` declares an array, but each service is its own table named by its id: write `[service.api]` with image = "..." (one table per service)'],
    ['[steps]\nname = "x"\n', '9:1 toml.shape `[steps]` is a single table, but steps are a list: write each step as `[[steps]]` with name and command'],
    ['[chaos.network_latency]\nlatency_ms = "slow"\n', '10:14 toml.shape `chaos.network_latency.latency_ms` must be a non-negative integer like 10, not a string'],
    ['[layers]\nchaos = "yes"\n', '10:9 toml.shape `layers.chaos` must be true or false, not a string'],
    ['[test.metadata]\nname = "x"\ntimeout = "soon"\n', '11:11 toml.shape `test.metadata.timeout` must be a duration like "30s", "5m" or "1h"'],
    ['[service.a]\nimage = "x"\nvolumes = ["data:/data"]\n', '11:12 toml.shape `service.a.volumes[0]` must use absolute paths like "/host/data:/data"'],
    ['[service.a]\nimage = "x"\nvolumes = [{ host_path = "/a" }]\n', '11:12 toml.shape `service.a.volumes[0].container_path` is required (an absolute container path like "/data")'],
    ['[otel]\nexporter = "otlp"\npropagators = { use = "b3" }\n', '11:23 toml.shape `otel.propagators.use` must be an array of propagator names like ["tracecontext", "baggage"], not a string'],
    ['[[scenario]]\nname = "p"\nrun = "x"\npolicy = { security_level = "extreme" }\n', '12:29 toml.shape `scenario[1].policy.security_level` must be one of "low", "medium", "high"'],
    ['[[scenario]]\nname = "p"\nrun = "x"\nartifacts = { collect = "spans" }\n', '12:25 toml.shape `scenario[1].artifacts.collect` must be an array of collectors like ["spans:default"], not a string'],
    ['[orchestration.dependency_graph]\nedges = [["a"]]\n', '10:10 toml.shape `orchestration.dependency_graph.edges[0]` must be an edge like ["db", "api"] (from, to)'],
    ['[self_healing]\nmax_retries = -2\n', '10:15 toml.shape `self_healing.max_retries` must be a non-negative integer like 10'],
    ['[intelligence]\nlearn_patterns = "yes"\n', '10:18 toml.shape `intelligence.learn_patterns` must be true or false, not a string'],
    ['[[orchestration.temporal.constraint]]\ntype = "sometimes"\n', '10:8 toml.shape constraint type must be one of "happens_before", "causal_ordering", "concurrent_overlap", "latency_percentiles" (at `orchestration.temporal.constraint[0].type`)'],
    ['[[plugins.register]]\ntype = "chaos"\n', '9:1 toml.shape `plugins.register[0].id` is required (a plugin id like "chaos_injector")'],
  ])('%s', (section, expected) => {
    expect(errorsOf(`${HEAD}\n${section}`)).toEqual([expected]);
  });

  it('collects all problems of a file, not just the first', () => {
    const errors = errorsOf(`${HEAD}\n[otel]\nexporter = "kafka"\n[limits]\nmemory_mb = "1"\n[service.a]\nports = [1]\n`);
    expect(errors).toHaveLength(3);
    expect(errors[2]).toMatch(/^13:1 toml.shape service `a` runs a container .* needs an image/);
  });

  it('needs a name and something to run', () => {
    expect(errorsOf('[otel]\nexporter = "otlp"\n')).toEqual([
      expect.stringContaining('1:1 toml.shape the file needs a test name'),
      expect.stringContaining('1:1 toml.shape the file runs nothing'),
    ]);
  });
});

describe('parseTestFile: references', () => {
  it('checks depends_on, step services and graph nodes with suggestions', () => {
    const errors = errorsOf(
      `${HEAD}\n[service.db]\nimage = "pg"\n[service.api]\nimage = "a"\ndepends_on = ["dbb"]\n[[steps]]\nname = "x"\ncommand = "true"\nservice = "web"\n[orchestration.dependency_graph]\nnodes = ["api", "cache"]\n`,
    );
    expect(errors).toEqual([
      '13:15 spec.reference `service.api.depends_on` names service `dbb`, which is not declared — did you mean `db`? (known services: db, api)',
      '17:11 spec.reference step `x` names service `web`, which is not declared (known services: db, api)',
      '19:17 spec.reference orchestration.dependency_graph.nodes names service `cache`, which is not declared (known services: db, api)',
    ]);
  });

  it('reports a depends_on cycle', () => {
    const errors = errorsOf(`${HEAD}\n[service.a]\nimage = "x"\ndepends_on = ["b"]\n[service.b]\nimage = "x"\ndepends_on = ["a"]\n`);
    expect(errors).toEqual([expect.stringMatching(/^11:1 spec.cycle dependency cycle: a → b → a/)]);
  });

  it('flags a service declared under both spellings', () => {
    expect(errorsOf(`${HEAD}\n[service.a]\nimage = "x"\n[services.a]\nimage = "y"\n`)).toEqual([
      '11:1 toml.duplicate service `a` is declared in both [service.a] and [services.a]; keep one',
    ]);
  });
});

describe('parseTestFile: unknown keys', () => {
  it('warns with a did-you-mean at every level', () => {
    expect(warningsOf(`${HEAD}\n[[expect.span]]\nname = "a"\nattrs.al = { k = "v" }\n[metaa]\nx = 1\n`)).toEqual([
      expect.stringMatching(/^11:1 toml.unknown-key unknown key `al` in `expect.span\[0\].attrs` — did you mean `all`\?/),
      expect.stringMatching(/^12:1 toml.unknown-key unknown key `metaa` at the top level — did you mean `meta`\?/),
    ]);
  });

  it('does not warn inside tables of free keys', () => {
    const src = `${HEAD}\n[vars]\nanything = 1\n[otel]\nexporter = "otlp"\nresources = { "any.key" = "v" }\nheaders = { X = "y" }\n[service.a]\nimage = "x"\nenv = { WHATEVER = "1" }\n[[plugins.register]]\nid = "p"\nconfig = { free = true }\n[[expect.span]]\nname = "n"\nattrs.all = { "k" = "v" }\n`;
    const r = parseTestFile(src);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('suggests the table form for attrs.any given as "k=v" strings (accepted, so a warning)', () => {
    const r = parseTestFile(`${HEAD}\n[[expect.span]]\nname = "a"\nattrs.any = ["http.method=GET", "http.status_code=200"]\n`);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map(brief)).toEqual([
      '11:1 toml.shape `expect.span[0].attrs.any` as a list of "k=v" strings is accepted, but the table form is clearer: write `attrs.any = { "http.method" = "GET", "http.status_code" = "200" }`',
    ]);
  });

  it('warns in members of discriminated unions (temporal constraints)', () => {
    const src = `${HEAD}\n[[orchestration.temporal.constraint]]\ntype = "happens_before"\nfirst = "a"\nsecond = "b"\nmax_gap = 5\n`;
    expect(warningsOf(src)).toEqual([expect.stringMatching(/^13:1 toml.unknown-key unknown key `max_gap` .*did you mean `max_gap_ms`\?/)]);
  });
});

describe('parseTestFile: random template functions', () => {
  const file = (determinism: string) => `[meta]
name = "t_{{ vars.run_id }}"

[vars]
run_id = "{{ uuid_v4() }}"
${determinism}
[[scenario]]
name = "s"
run = "echo {{ vars.run_id }}"
`;

  it('gives [vars] one value however often the file reads it', () => {
    const r = parseTestFile(file(''), { file: 'r.clnrm.toml' });
    expect(r.errors).toEqual([]);
    const t = r.tests[0]!;
    const runId = String(t.vars.run_id);
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.name).toBe(`t_${runId}`);
    expect(t.scenarios[0]!.runArgv).toEqual(['echo', runId]);
  });

  it('repeats under [determinism] seed and varies without it', () => {
    const seeded = file('[determinism]\nseed = 7\n');
    const a = parseTestFile(seeded, { file: 'r.clnrm.toml' }).tests[0]!;
    const b = parseTestFile(seeded, { file: 'r.clnrm.toml' }).tests[0]!;
    expect(a.vars.run_id).toBe(b.vars.run_id);
    const c = parseTestFile(file(''), { file: 'r.clnrm.toml' }).tests[0]!;
    const d = parseTestFile(file(''), { file: 'r.clnrm.toml' }).tests[0]!;
    expect(c.vars.run_id).not.toBe(d.vars.run_id);
  });
});
