// `[chaos.patterns]` through `clnrm run` on the real engine: the four pattern examples of examples/chaos on the
// demo system (cleanroom/demo with its resilience behaviour), each test's fault injected through the fault
// proxy while the steps run and undone after, each check judged from the real spans; and the demo's breaker
// closing again (circuit.close) once a fault undone mid-steps is gone. Skips loudly without Docker (fails
// under CI=true).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/testing';
import { announceDockerSkip, countLabelled, probeDocker } from '../docker/test-support';
import type { RunSummary, TestResult } from '../runner/types';

const probe = await probeDocker(['cleanroom/demo:latest']);
announceDockerSkip('[chaos.patterns] examples', probe);

const EXAMPLES = resolve(__dirname, '../../examples/chaos');
const FILES = ['patterns-retry-backoff', 'patterns-circuit-breaker', 'patterns-timeout', 'patterns-no-breaker-fails-on-purpose'].map((f) => join(EXAMPLES, `${f}.clnrm.toml`));
const TEST = 'chaos.patterns.validation[0].test[0]';

describe.runIf(probe.docker || process.env.CI === 'true')('[chaos.patterns] on the demo system (real engine)', () => {
  const data = mkdtempSync(join(tmpdir(), 'clnrm-patterns-'));
  afterAll(() => rmSync(data, { recursive: true, force: true }));
  let summary: RunSummary;
  let code: number;
  const results = (name: string): Record<string, [boolean, string]> => {
    const test = summary.tests.find((t: TestResult) => t.name === name)!;
    expect(test.executions).toHaveLength(1);
    return Object.fromEntries(test.executions[0]!.expectations.map((e) => [e.expectation.replace(`${TEST}.`, ''), [e.passed, e.message]]));
  };

  it('runs the four examples: three pass, the one without a breaker fails on purpose', { timeout: 180_000 }, async () => {
    const result = await runCli(['run', ...FILES, '-j', '2', '--format', 'json', '--data-dir', data]);
    summary = JSON.parse(result.stdout) as RunSummary;
    code = result.code;
    expect(Object.fromEntries(summary.tests.map((t) => [t.name, t.verdict]))).toEqual(Object.fromEntries([
      ['chaos_patterns_retry_backoff', 'passed'],
      ['chaos_patterns_circuit_breaker', 'passed'],
      ['chaos_patterns_timeout', 'passed'],
      ['chaos_patterns_no_breaker_fails_on_purpose', 'failed'],
    ]));
    expect(code).toBe(1);
    for (const t of summary.tests) expect(await countLabelled(probe.docker!, t.executions[0]!.runId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('retry_backoff: db refused, three attempts, waits measured against 100 ms and 200 ms', () => {
    const r = results('chaos_patterns_retry_backoff');
    expect(r[TEST]![1]).toMatch(/^down on db from 0\.\d s to \d+\.\d s, undone$/);
    expect(r.expect_spans).toEqual([true, 'all 3 spans present: retry.attempt_1, retry.attempt_2, retry.attempt_3']);
    expect(r.validate_backoff_timing![0]).toBe(true);
    expect(r.validate_backoff_timing![1]).toMatch(/^2 wait\(s\) follow the exponential backoff: after attempt 1 waited \d+\.\d ms, expected 100 ms; after attempt 2 waited \d+\.\d ms, expected 200 ms$/);
  });

  it('circuit_breaker: the circuit opens on timeouts and the calls after it never reach cache', () => {
    const r = results('chaos_patterns_circuit_breaker');
    expect(r.expect_span).toEqual([true, '"circuit.open" with circuit.state = "open", circuit.reason = "timeout_threshold": 1 of 1 span(s)']);
    expect(r.validate_requests_blocked![0]).toBe(true);
    expect(r.validate_requests_blocked![1]).toMatch(/^\d+ call\(s\) short-circuited while the circuit was open \(10000 ms\), none reached cache$/);
  });

  it('timeout: db slowed past the deadline, the call times out with its configured deadline', () => {
    const r = results('chaos_patterns_timeout');
    expect(r.expect_timeout).toEqual([true, '1 call(s) timed out with error.type = "timeout", timeout.configured_ms = "1000"']);
  });

  it('no breaker: exactly the two circuit checks fail, saying why; the fault itself went in and out', () => {
    const r = results('chaos_patterns_no_breaker_fails_on_purpose');
    expect(r).toEqual({
      [TEST]: [true, expect.stringMatching(/^timeout on cache from .* undone$/)],
      expect_span: [false, 'no span "circuit.open".'],
      validate_requests_blocked: [false, 'the circuit never opened: no "circuit.open" span'],
    });
  });

  it('the demo breaker closes again once its fault is gone: circuit.close from the real image', { timeout: 120_000 }, async () => {
    // cache blackholed for 2 s (a scenario's chaos_injection, undone mid-steps); api's breaker opens on its
    // timeouts, its half-open trials fail while the fault is in, and the first one after it succeeds.
    const path = join(data, 'breaker-closes.clnrm.toml');
    const demo = (name: string, port: number, env = '') =>
      `[services.${name}]\nimage = "cleanroom/demo:latest"\nargs = ["${name}"]\nports = [${port}]\nenv = { OTEL_SERVICE_NAME = "${name}"${env} }\nhealth_check = { cmd = ["wget", "-qO-", "http://127.0.0.1:${port}/health"], interval = 1, retries = 30 }\n`;
    writeFileSync(path, `[meta]\nname = "breaker_closes"\n\n${demo('db', 7002)}\n${demo('cache', 7001)}\n${demo('api', 8080, ', DEMO_CACHE_TIMEOUT_MS = "200", DEMO_CACHE_BREAKER_THRESHOLD = "3", DEMO_CACHE_BREAKER_COOLDOWN_MS = "1000"')}depends_on = ["cache", "db"]
[[scenario]]
name = "reads"
service = "api"
run = "sh -c 'for i in $(seq 1 30); do wget -qO- http://api:8080/items/1 || exit 1; echo; sleep 0.2; done'"
chaos_injection = { type = "timeout", target = "cache", timeout = 0, delay_ms = 300, duration_ms = 2000 }

[[expect.span]]
name = "circuit.open"
attrs.all = { "circuit.reason" = "timeout_threshold" }

[[expect.span]]
name = "circuit.close"
attrs.all = { "circuit.state" = "closed", "circuit.reason" = "half_open_success" }
`);
    const result = await runCli(['run', path, '--format', 'json', '--data-dir', data]);
    const test = (JSON.parse(result.stdout) as RunSummary).tests[0]!;
    const spans = test.executions[0]!.expectations.filter((e) => e.expectation.startsWith('expect.span')).map((e) => [e.passed, e.message]);
    expect(spans, result.stderr).toEqual([
      [true, expect.stringContaining('circuit.open')],
      [true, expect.stringContaining('circuit.close')],
    ]);
    expect(test.verdict).toBe('passed');
    expect(await countLabelled(probe.docker!, test.executions[0]!.runId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('two tests of one file: an execution each, each with its own fault in and out and its own checks', { timeout: 120_000 }, async () => {
    const path = join(data, 'two-tests.clnrm.toml');
    const idle = `image = "cleanroom/busybox:latest"\nargs = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`;
    writeFileSync(path, `[meta]\nname = "patterns_two_tests"\n\n[service.victim]\n${idle}\n\n[service.bystander]\n${idle}\n
[[scenario]]\nname = "s"\nservice = "victim"\nrun = "true"\n
[chaos.patterns]
[[chaos.patterns.validation]]
pattern = "timeout"
target = "service:bystander"
[[chaos.patterns.validation.test]]
inject_fault = "container_pause"
expect_timeout = false
[[chaos.patterns.validation.test]]
inject_fault = "container_stop"
expect_attrs = { "never.there" = "x" }
`);
    const result = await runCli(['run', path, '--format', 'json', '--data-dir', data]);
    const test = (JSON.parse(result.stdout) as RunSummary).tests[0]!;
    const verdicts = test.executions.map((e) => e.expectations.filter((x) => x.expectation.startsWith('chaos.patterns')).map((x) => [x.expectation, x.passed, x.message]));
    expect(verdicts).toEqual([
      [
        ['chaos.patterns.validation[0].test[0]', true, expect.stringMatching(/^container_pause on bystander from 0\.\d s to \d+\.\d s, undone$/)],
        ['chaos.patterns.validation[0].test[0].expect_timeout', true, 'no call timed out'],
      ],
      [
        ['chaos.patterns.validation[0].test[1]', true, expect.stringMatching(/^container_stop on bystander from \d+\.\d s to \d+\.\d s, undone$/)],
        ['chaos.patterns.validation[0].test[1].expect_attrs', false, 'no span carries never.there = "x"'],
      ],
    ]);
    expect(test.executions.map((e) => e.runId)).toHaveLength(2);
    expect(result.code).toBe(1);
    for (const e of test.executions) expect(await countLabelled(probe.docker!, e.runId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
