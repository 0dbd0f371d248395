// The runner against the real Docker engine: a test file end to end (services, steps, exit codes,
// output patterns, expectations passing and failing with evidence), OTLP spans of concurrent tests kept
// apart by run tags, determinism iterations (equal and differing), run records, cleanup.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAttribute, toText, type Span } from '../../shared/model';
import { runCli } from '../cli/testing';
import { connectDocker } from '../docker';
import { announceDockerSkip, countLabelled, probeDocker } from '../docker/test-support';
import { openStore, type TraceStore } from '../store';
import { runTests, type RunTestsOptions } from './runner';
import { SELF_TEST_SOURCE } from './self-test';
import { RUNNER_SCOPE } from './self-trace';
import type { TestResult } from './types';

const probe = await probeDocker(['cleanroom/busybox:latest', 'cleanroom/demo:latest']);
announceDockerSkip('runner', probe);

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe('without Docker', () => {
  it('reports docker.unavailable with how to start it, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-run-'));
    try {
      const file = join(dir, 'a.clnrm.toml');
      writeFileSync(file, SELF_TEST_SOURCE);
      const result = await runCli(['run', file, '--data-dir', dir], { env: { DOCKER_HOST: `unix://${join(dir, 'no-engine.sock')}` } });
      expect(result.code).toBe(2);
      expect(result.stdout + result.stderr).toMatch(/Docker is not reachable at unix:\/\/.*no-engine\.sock.*\[docker\.unavailable\]/s);
      expect(result.stdout + result.stderr).toMatch(/DOCKER_HOST/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('clnrm run usage errors (exit 2)', () => {
  it('rejects a bad -j, a missing path and a folder without test files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-usage-'));
    try {
      expect((await runCli(['run', dir, '-j', '0'])).code).toBe(2);
      const missing = await runCli(['run', join(dir, 'nope')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/no such file or directory/);
      const empty = await runCli(['run', dir]);
      expect(empty.code).toBe(2);
      expect(empty.stderr).toMatch(/no \*\.clnrm\.toml files/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A test file with the demo cache service and `requests` GETs through it from a step. */
function cacheTest(name: string, requests: number, extra = ''): string {
  return `[meta]
name = "${name}"

[services.cache]
image = "cleanroom/demo:latest"
args = ["cache"]
health_check = { cmd = ["wget", "-qO-", "http://127.0.0.1:7001/health"], interval = 1, retries = 30 }
${extra}
[[scenario]]
name = "lookups"
service = "cache"
run = ["sh", "-c", "for i in $(seq ${requests}); do wget -qO- http://cache:7001/cache/k$i || true; done; echo done"]

[expect.counts]
spans_total = { eq = ${requests * 2} }
by_name = { "cache.lookup" = { eq = ${requests} } }
`;
}

describe.skipIf(!probe.docker)('runner on the real engine', () => {
  let store: TraceStore;
  let dataDir: string;
  let base: Omit<RunTestsOptions, 'sources'>;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'clnrm-runner-'));
    store = await openStore({ inMemory: true });
    base = { cwd: dataDir, env: process.env, store, docker: await connectDocker(process.env), quietMs: 300, writeReports: false };
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const only = (results: TestResult[], name: string) => results.find((r) => r.name === name)!;

  it('runs a test file end to end: services, steps, exit codes, output, expectations over its trace', { timeout: 60_000 }, async () => {
    const summary = await runTests({ ...base, sources: [{ file: 'self.clnrm.toml', source: SELF_TEST_SOURCE }], includeRunnerSpans: true });
    const test = summary.tests[0]!;
    expect(test.problems).toEqual([]);
    expect(test.verdict, JSON.stringify(test.executions[0]?.expectations.filter((e) => !e.passed))).toBe('passed');
    const execution = test.executions[0]!;
    expect(execution.steps.map((s) => [s.name, s.exitCode, s.verdict])).toEqual([
      ['echo_in_service', 0, 'passed'],
      ['expected_exit_code', 3, 'passed'],
      ['fresh_container', 0, 'passed'],
    ]);
    expect(execution.expectations.length).toBeGreaterThan(10);
    expect(execution.containers.map((c) => [c.service, c.exitCode])).toEqual([['box', 0]]);
    // A run record with its execution and the execution's evidence.
    const history = await store.getRun(summary.runId);
    expect(history?.run).toMatchObject({ id: summary.runId, origin: 'cli', verdict: 'passed', passed: 1, files: ['self.clnrm.toml'] });
    expect(history?.executions).toHaveLength(1);
    expect(history?.executions[0]).toMatchObject({ id: execution.runId, runId: summary.runId, testName: 'clnrm_self_test', scenario: 'self_check', iteration: 1, verdict: 'passed', failedSteps: 0 });
    expect(history?.executions[0]?.evidence?.steps.map((s) => s.name)).toEqual(['echo_in_service', 'expected_exit_code', 'fresh_container']);
    expect(await countLabelled(probe.docker!, execution.runId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('fails a step on exit code and output, and an expectation with evidence spans', { timeout: 60_000 }, async () => {
    const source = SELF_TEST_SOURCE.replace('expected_exit_code = 3', 'expected_exit_code = 4')
      .replace('continue_on_failure', '')
      .replace('"clnrm.container.start" = { eq = 1 }', '"clnrm.container.start" = { eq = 2 }');
    const withContinue = source.replace('name = "expected_exit_code"', 'name = "expected_exit_code"\ncontinue_on_failure = true');
    const summary = await runTests({ ...base, sources: [{ file: 'red.clnrm.toml', source: withContinue }], includeRunnerSpans: true });
    const test = summary.tests[0]!;
    expect(test.verdict).toBe('failed');
    const execution = test.executions[0]!;
    const step = execution.steps.find((s) => s.name === 'expected_exit_code')!;
    expect(step).toMatchObject({ exitCode: 3, verdict: 'passed', continued: true });
    expect(step.message).toMatch(/exited 3, expected 4/);
    // continue_on_failure: the next steps still ran.
    expect(execution.steps.find((s) => s.name === 'fresh_container')!.verdict).toBe('passed');
    const failed = execution.expectations.filter((e) => !e.passed);
    // The continued step's span says it failed (result = fail) while its status stays OK.
    expect(failed.map((e) => e.expectation)).toEqual(['expect.span[3]', 'expect.counts.by_name."clnrm.container.start"']);
    expect(failed[1]!.spans.length).toBe(1);
    expect(execution.spanNames[failed[1]!.spans[0]!]).toBe('clnrm.container.start');

    const wrongOutput = SELF_TEST_SOURCE.replace('"^hello from box"', '"^goodbye"');
    const red = (await runTests({ ...base, sources: [{ file: 'red2.clnrm.toml', source: wrongOutput }], includeRunnerSpans: true })).tests[0]!;
    const steps = red.executions[0]!.steps;
    expect(steps[0]).toMatchObject({ verdict: 'failed' });
    expect(steps[0]!.message).toMatch(/does not match \/\^goodbye\/; stdout was "hello from box"/);
    // Without continue_on_failure the rest is skipped.
    expect(steps.slice(1).map((s) => s.verdict)).toEqual(['skipped', 'skipped']);
  });

  it('clnrm run --format junit|json: report on stdout, progress on stderr, exit 1 when a test fails', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-cli-'));
    try {
      writeFileSync(join(dir, 'green.clnrm.toml'), SELF_TEST_SOURCE);
      writeFileSync(join(dir, 'red.clnrm.toml'), SELF_TEST_SOURCE.replace('name = "clnrm_self_test"', 'name = "red_one"').replace('expected_exit_code = 3', 'expected_exit_code = 5'));
      const junit = await runCli(['run', dir, '-j', '2', '--format', 'junit', '--data-dir', join(dir, 'data')]);
      expect(junit.code, junit.stderr).toBe(1);
      expect(junit.stdout).toMatch(/^<\?xml/);
      expect(junit.stdout.match(/<testcase /g)).toHaveLength(2);
      expect(junit.stdout).toMatch(/<failure message="self_check: step &quot;expected_exit_code&quot; \(box\): exited 3, expected 5/);
      expect(junit.stderr).toMatch(/▶ red_one/);
      expect(junit.stderr).toMatch(/2 test\(s\): 1 passed, 1 failed/);
      const json = await runCli(['run', join(dir, 'green.clnrm.toml'), '--format', 'json', '--data-dir', join(dir, 'data')]);
      expect(json.code, json.stderr).toBe(0);
      expect((JSON.parse(json.stdout) as { passed: number }).passed).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing image is an environment error (exit 2) naming the image and how to get it', { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-img-'));
    try {
      writeFileSync(join(dir, 'missing.clnrm.toml'), SELF_TEST_SOURCE.replace('image = "cleanroom/busybox:latest"', 'image = "cleanroom/not-built:1"'));
      const result = await runCli(['run', dir, '--data-dir', join(dir, 'data')]);
      expect(result.code).toBe(2);
      expect(result.stdout).toMatch(/cleanroom\/not-built:1.*build\.sh.*\[docker\.image-missing\]/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the spans of concurrent tests apart (-j 2) and checks the system spans received over OTLP', { timeout: 90_000 }, async () => {
    const summary = await runTests({
      ...base,
      jobs: 2,
      sources: [
        { file: 'one.clnrm.toml', source: cacheTest('one_lookup', 1) },
        { file: 'three.clnrm.toml', source: cacheTest('three_lookups', 3) },
      ],
    });
    const one = only(summary.tests, 'one_lookup');
    const three = only(summary.tests, 'three_lookups');
    expect([one.verdict, three.verdict], JSON.stringify(summary.tests.map((t) => t.executions.map((e) => e.expectations)))).toEqual(['passed', 'passed']);
    // Both ran at the same time (their execution windows overlap).
    const window = (t: TestResult) => [Date.parse(t.startedAt), Date.parse(t.startedAt) + t.durationMs] as const;
    expect(window(one)[0] < window(three)[1] && window(three)[0] < window(one)[1]).toBe(true);
    for (const [test, count] of [[one, 2], [three, 6]] as const) {
      const execution = test.executions[0]!;
      // The system's spans (the runner's own of the execution carry its id too).
      const spans = store.live.spans({ executionId: execution.runId }).filter((s) => s.scope.name !== RUNNER_SCOPE);
      expect(spans.length).toBe(count);
      for (const span of spans) {
        // The run's id (shared by the two tests) and the execution's own.
        expect(toText(findAttribute(span.resource.attributes, 'clnrm.run_id')!)).toBe(summary.runId);
        expect(toText(findAttribute(span.resource.attributes, 'clnrm.execution_id')!)).toBe(execution.runId);
        expect(toText(findAttribute(span.resource.attributes, 'clnrm.scenario')!)).toBe('lookups');
        expect(span.serviceName).toBe('cache');
      }
    }
  });

  it('wait_for_span holds dependents until the span arrives; NDJSON spans on stdout are collected (artifacts)', { timeout: 60_000 }, async () => {
    const file = fileURLToPath(new URL('./fixtures/emitter.clnrm.toml', import.meta.url));
    const test = (await runTests({ ...base, sources: [{ file }] })).tests[0]!;
    const execution = test.executions[0]!;
    expect(test.verdict, JSON.stringify([execution.problems, execution.expectations.filter((e) => !e.passed)])).toBe('passed');
    expect(execution.spanCount).toBe(2);
    // The emitter sleeps 1 s before it sends the span: its readiness (and so `after`'s start) waited for it.
    const has = (span: Span, key: string, value: string) => span.attributes.some((a) => a.key === key && toText(a.value) === value);
    const ofExecution = (span: Span) => span.resource.attributes.some((a) => a.key === 'clnrm.execution_id' && toText(a.value) === execution.runId);
    const starts = store.live.spans({ service: 'clnrm', spanName: 'clnrm.service.start' }).filter(ofExecution);
    const startOf = (service: string) => starts.find((s) => has(s, 'service.name', service))!;
    expect(startOf('emitter').durationUs).toBeGreaterThanOrEqual(1_000_000);
    expect(startOf('after').startUs).toBeGreaterThanOrEqual(startOf('emitter').startUs + startOf('emitter').durationUs);
  });

  it('loads [[plugins.register]] modules and calls init, testStart, span, testEnd, dispose', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-plugin-'));
    try {
      const out = join(dir, 'calls.jsonl');
      const module = fileURLToPath(new URL('./fixtures/recording-plugin.mjs', import.meta.url));
      const source = [
        '[meta]',
        'name = "with_plugin"',
        '[[plugins.register]]',
        'id = "recorder"',
        `module = ${JSON.stringify(module)}`,
        `config = { out = ${JSON.stringify(out)} }`,
        '[[scenario]]',
        'name = "emit"',
        'artifacts = { collect = ["spans:default"] }',
        '[[scenario.steps]]',
        'name = "print"',
        `command = ["echo", '{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"00f067aa0ba902b7","name":"printed","startTimeUnixNano":1700000000000000000,"endTimeUnixNano":1700000000500000000}']`,
        '[[expect.span]]',
        'name = "printed"',
      ].join('\n');
      const events: string[] = [];
      const test = (await runTests({ ...base, sources: [{ file: join(dir, 'p.clnrm.toml'), source }], onEvent: (e) => e.type === 'log' && events.push(`${e.source}: ${e.message}`) })).tests[0]!;
      expect(test.verdict, JSON.stringify(test.problems)).toBe('passed');
      const calls = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      // Every span of the execution reaches onSpan: the printed one and the runner's own.
      const spans = calls.filter((c) => c.hook === 'span');
      expect(spans).toContainEqual({ hook: 'span', name: 'printed', scenario: 'emit', iteration: 1 });
      expect(spans.map((c) => c.name)).toEqual(expect.arrayContaining(['clnrm.step:print', 'clnrm.container.exec', 'clnrm.cleanup']));
      expect(calls.filter((c) => c.hook !== 'span')).toEqual([
        { hook: 'init', config: { out } },
        { hook: 'testStart', test: 'with_plugin' },
        { hook: 'executionStart', scenario: 'emit' },
        { hook: 'servicesReady', services: [] },
        { hook: 'stepStart', step: 'print', index: 0 },
        { hook: 'stepEnd', step: 'print', verdict: 'passed' },
        { hook: 'expectationsEvaluated', results: 1 },
        { hook: 'executionEnd', verdict: 'passed' },
        { hook: 'testEnd', passed: true },
        { hook: 'dispose' },
      ]);
      expect(calls.findIndex((c) => c.name === 'clnrm.step:print')).toBeLessThan(calls.findIndex((c) => c.hook === 'expectationsEvaluated'));
      expect(events).toEqual(['with_plugin [recorder]: ready']);
      // A module that does not load makes the test an error naming the plugin.
      const broken = (await runTests({ ...base, sources: [{ file: join(dir, 'b.clnrm.toml'), source: source.replace(module, join(dir, 'missing.mjs')) }] })).tests[0]!;
      expect(broken.verdict).toBe('error');
      expect(broken.problems[0]).toMatchObject({ code: 'plugin.failed', path: 'plugins.register[0]' });
      expect(broken.problems[0]!.message).toMatch(/plugin "recorder" \(.*missing\.mjs\): cannot import the module/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('samples container stats while steps run when the test has [performance], at its sample_stats_ms', { timeout: 60_000 }, async () => {
    const source = [
      '[meta]',
      'name = "perf"',
      '[services.box]',
      'image = "cleanroom/busybox:latest"',
      `args = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`,
      '[[scenario]]',
      'name = "busy"',
      '[[scenario.steps]]',
      'name = "work"',
      'service = "box"',
      // Long enough for a ~1 s engine sample even on a loaded machine; 8 MiB written for the disk bytes.
      'command = ["sh", "-c", "dd if=/dev/zero of=/tmp/written bs=1M count=8 conv=fsync 2>/dev/null; sleep 6"]',
      '[performance]',
      'track_all_spans = true',
      'sample_stats_ms = 2000',
    ].join('\n');
    const execution = (await runTests({ ...base, sources: [{ file: 'perf.clnrm.toml', source }] })).tests[0]!.executions[0]!;
    expect(execution.verdict).toBe('passed');
    expect(execution.stats?.length).toBeGreaterThan(0);
    expect(execution.stats![0]).toMatchObject({ service: 'box' });
    expect(execution.stats![0]!.memoryBytes).toBeGreaterThan(0);
    const ats = execution.stats!.map((s) => s.at);
    expect(ats.length).toBeGreaterThanOrEqual(2);
    for (const [i, at] of ats.slice(1).entries()) expect(at - ats[i]!).toBeGreaterThan(1900);
    // Samples are history rows of their own, not part of the evidence.
    const rows = await store.containerStats(execution.runId);
    expect(rows.length).toBe(execution.stats!.length);
    expect(rows[0]).toMatchObject({ executionId: execution.runId, service: 'box' });
    // Disk bytes reach the rows: read on this machine when the engine is local (its socket), absent otherwise.
    expect(rows.map((r) => r.diskWriteBytes)).toEqual(execution.stats!.map((s) => s.diskWriteBytes));
    const local = !process.env.DOCKER_HOST || process.env.DOCKER_HOST.startsWith('unix://');
    if (local) expect(Math.max(...rows.map((r) => r.diskWriteBytes!))).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    else expect(rows.every((r) => r.diskWriteBytes === undefined)).toBe(true);
  });

  it('runs each [matrix] combination as its own test, and --fail-fast starts nothing after a failure', { timeout: 60_000 }, async () => {
    const matrix = [
      '[meta]',
      'name = "echo_{{ matrix.word }}"',
      '[matrix]',
      'word = ["alpha", "beta"]',
      '[[steps]]',
      'name = "say"',
      'command = ["echo", "{{ matrix.word }}"]',
      'expected_output_regex = "^{{ matrix.word }}\\\\n?$"',
    ].join('\n');
    const both = await runTests({ ...base, sources: [{ file: 'm.clnrm.toml', source: matrix }] });
    expect(both.tests.map((t) => [t.name, t.verdict])).toEqual([
      ['echo_alpha [word=alpha]', 'passed'],
      ['echo_beta [word=beta]', 'passed'],
    ]);
    const red = matrix.replace('{{ matrix.word }}\\\\n?$', 'alpha$');
    const fast = await runTests({ ...base, failFast: true, sources: [{ file: 'm.clnrm.toml', source: red.replace('["alpha", "beta"]', '["beta", "alpha"]') }] });
    expect(fast.tests.map((t) => [t.name, t.verdict])).toEqual([
      ['echo_beta [word=beta]', 'failed'],
      ['echo_alpha [word=alpha]', 'skipped'],
    ]);
    expect(fast.tests[1]!.problems[0]!.message).toMatch(/--fail-fast/);
    expect(fast.tests[0]!.executions[0]!.steps[0]!.message).toBe('output does not match /^alpha$/; stdout was "beta"');
    // A pattern that fails only because of the final newline says so.
    const newline = await runTests({ ...base, sources: [{ file: 'n.clnrm.toml', source: red.replace('["alpha", "beta"]', '["alpha"]') }] });
    expect(newline.tests[0]!.executions[0]!.steps[0]!.message).toMatch(/it matches without the final newline/);
  });

  it('runs [determinism] iterations in fresh containers: equal traces pass, a differing one names the difference', { timeout: 120_000 }, async () => {
    const same = (await runTests({ ...base, sources: [{ file: 'det.clnrm.toml', source: cacheTest('det_same', 2, '') + '\n[determinism]\niterations = 2\n' }] })).tests[0]!;
    expect(same.verdict).toBe('passed');
    expect(same.executions.map((e) => e.iteration)).toEqual([1, 2]);
    expect(new Set(same.executions.map((e) => e.runId)).size).toBe(2);
    expect(same.determinism).toMatchObject([{ iterations: 2, passed: true }]);

    // A host folder survives between iterations: the second iteration makes one more request.
    const shared = mkdtempSync(join(tmpdir(), 'clnrm-det-'));
    try {
      const differing = `[meta]
name = "det_differs"

[services.cache]
image = "cleanroom/demo:latest"
args = ["cache"]
volumes = [{ host_path = "${shared}", container_path = "/shared" }]
health_check = { cmd = ["wget", "-qO-", "http://127.0.0.1:7001/health"], interval = 1, retries = 30 }

[[scenario]]
name = "maybe_twice"
service = "cache"
run = ["sh", "-c", "wget -qO- http://cache:7001/cache/a; if [ -f /shared/seen ]; then wget -qO- http://cache:7001/cache/b; fi; touch /shared/seen"]

[determinism]
iterations = 2
`;
      const result = (await runTests({ ...base, sources: [{ file: 'det2.clnrm.toml', source: differing }] })).tests[0]!;
      expect(result.verdict).toBe('failed');
      const det = result.determinism![0]!;
      expect(det).toMatchObject({ passed: false, differingIteration: 2 });
      expect(det.hashes[0]).not.toBe(det.hashes[1]);
      expect(det.differences.some((d) => d.kind === 'span-added')).toBe(true);
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });
});
