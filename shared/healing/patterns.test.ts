import { describe, expect, it } from 'vitest';
import { span } from '../expect/testing';
import { errorsOf, HEAD } from '../spec/test-helpers';
import { parseTestFile } from '../spec/parse';
import { classify } from './classify';
import { healingSettings, isRetryable, retriesWanted } from './settings';

const SEED = `${HEAD}
[self_healing]
enabled = true
mode = "supervised"

[[self_healing.patterns.classifier]]
pattern = "transient_network_error"
indicators = [
    { type = "span_status", value = "ERROR" },
    { type = "span_attr", key = "error.type", value_regex = "connection_.*" },
    { type = "span_attr", key = "net.peer.name", exists = true }
]
remediation = "retry_with_backoff"
max_retries = 2

[[self_healing.patterns.classifier]]
pattern = "resource_exhaustion"
indicators = [{ type = "container_stats", metric = "memory_percent", threshold = 95 }]

[[self_healing.patterns.classifier]]
pattern = "container_startup_failure"
indicators = [{ type = "container_exit_code", value_not = 0 }]

[[self_healing.patterns.classifier]]
pattern = "flaky_test"
indicators = [{ type = "historical_failure_rate", min = 0.01, max = 0.5 }]

[[self_healing.patterns.classifier]]
pattern = "determinism_violation"
indicators = [{ type = "hash_mismatch", iterations_threshold = 2 }]

[self_healing.retry]
enabled = true
max_total_retries = 4

[[self_healing.retry.strategy]]
type = "exponential_backoff"
base_delay_ms = 50
max_delay_ms = 400
multiplier = 3.0
jitter = 0.2

[self_healing.retry.conditions]
retry_on_patterns = ["transient_network_error", "flaky_test"]
never_retry_patterns = ["configuration_error"]

[self_healing.retry.circuit_breaker]
failure_threshold = 4
timeout_s = 2
half_open_attempts = 1
`;

function settings() {
  const r = parseTestFile(SEED, { file: 't.clnrm.toml' });
  expect(r.errors).toEqual([]);
  expect(r.warnings).toEqual([]);
  return healingSettings(r.tests[0]!.selfHealing);
}
const evidence = { steps: [], containers: [], expectations: [], problems: [] };

describe('[self_healing] in the seed form', () => {
  it('validates and reads retries, backoff, conditions and the breaker', () => {
    const s = settings();
    expect(s).toMatchObject({ maxRetries: 3, maxTotalRetries: 4, backoff: { baseDelayMs: 50, maxDelayMs: 400, multiplier: 3, jitter: 0.2 }, breaker: { enabled: true, failureThreshold: 4, timeoutMs: 2000, halfOpenAttempts: 1 } });
    expect([...s.retryOn]).toEqual(['transient_network_error', 'flaky_test']);
    expect(isRetryable(s, 'flaky_test')).toBe(true);
    expect(isRetryable(s, 'timing_sensitivity')).toBe(false);
    expect(s.patterns.map((p) => p.class)).toEqual(['transient_network_error', 'resource_exhaustion', 'container_startup_failure', 'flaky_test', 'determinism_violation']);
  });

  it('retries are off unless the file or --retries turns them on, and mode = "disabled" wins', () => {
    expect(retriesWanted(undefined)).toBe(false);
    expect(healingSettings(undefined).maxRetries).toBe(0);
    expect(healingSettings(undefined, 2)).toMatchObject({ maxRetries: 2, retryOn: new Set(['transient_network_error', 'container_startup_failure', 'timing_sensitivity', 'infrastructure_failure']) });
    expect(healingSettings({ auto_retry: true }).maxRetries).toBe(3);
    expect(healingSettings({ auto_retry: true, mode: 'disabled' }, 2).maxRetries).toBe(0);
  });
});

describe('user classifiers, before the built-in rules', () => {
  const { patterns } = settings();
  it('span indicators hold on one span', () => {
    const refused = span({ id: 'a', name: 'GET', status: 'error', attrs: { 'error.type': 'connection_refused', 'net.peer.name': 'db' } });
    const c = classify({ verdict: 'failed', evidence, spans: [refused], patterns });
    expect(c).toMatchObject({ class: 'transient_network_error', confidence: 0.9, pattern: 1 });
    expect(c.evidence[1]).toEqual({ kind: 'span', detail: 'span "GET": status error, error.type ~ /connection_.*/, net.peer.name present', ref: refused.spanId });
    // The same indicators spread over two spans do not hold together.
    const split = [span({ id: 'b', name: 'x', status: 'error' }), span({ id: 'c', name: 'y', attrs: { 'error.type': 'connection_refused', 'net.peer.name': 'db' } })];
    expect(classify({ verdict: 'failed', evidence, spans: split, patterns }).pattern).toBeUndefined();
  });

  it('container stats, exit codes, history and hash mismatch', () => {
    const stats = [{ executionId: 'e1', service: 'api', at: 1, cpuPercent: 5, memoryBytes: 97, memoryLimitBytes: 100, networkRxBytes: 0, networkTxBytes: 0 }];
    expect(classify({ verdict: 'failed', evidence, stats, patterns }).class).toBe('resource_exhaustion');
    const exited = { ...evidence, containers: [{ service: 'api', containerId: 'c', image: 'i', status: 'exited', running: false, exitCode: 2, oomKilled: false, error: null, startedAt: null, finishedAt: null, restartCount: 0, logTail: [], collectedAt: '' }] };
    expect(classify({ verdict: 'failed', evidence: exited, patterns })).toMatchObject({ class: 'container_startup_failure', evidence: [{ kind: 'pattern' }, { kind: 'container', detail: 'exited with code 2', ref: 'api' }] });
    expect(classify({ verdict: 'failed', evidence, history: ['passed', 'passed', 'passed'], patterns }).class).toBe('flaky_test');
    expect(classify({ verdict: 'failed', evidence, determinism: { passed: false, differingIteration: 2, differences: [] }, patterns }).class).toBe('determinism_violation');
  });
});

describe('schema errors say what to write', () => {
  it.each([
    ['[[self_healing.patterns.classifier]]\npattern = "transient_netwrok_error"\nindicators = [{ type = "span_status", value = "ERROR" }]\n', /self_healing.patterns.classifier\[0\].pattern` must be a failure class .*did you mean `transient_network_error`/],
    ['[[self_healing.patterns.classifier]]\npattern = "flaky_test"\nindicators = []\n', /indicators` must list at least one indicator/],
    ['[[self_healing.patterns.classifier]]\npattern = "flaky_test"\nindicators = [{ type = "span_colour" }]\n', /indicators\[0\].type` must be one of "span_status"/],
    ['[[self_healing.patterns.classifier]]\npattern = "flaky_test"\nindicators = [{ type = "span_attr", key = "a" }]\n', /indicators\[0\].value` is required for a span_attr indicator \(give value or value_regex or exists\)/],
    ['[[self_healing.patterns.classifier]]\npattern = "flaky_test"\nindicators = [{ type = "span_attr", key = "a", value_regex = "(" }]\n', /value_regex` is not a regular expression/],
    ['[self_healing.retry.conditions]\nnever_retry_patterns = ["security_violation"]\n', /never_retry_patterns\[0\]` must be a failure class/],
    ['[[self_healing.retry.strategy]]\ntype = "exponential_backoff"\njitter = 2\n', /jitter` must be a share from 0 to 1/],
  ])('%s', (section, message) => {
    const errors = errorsOf(`${HEAD}\n${section}`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });
});

describe('what is not acted on yet is said', () => {
  it('names resource tuning and learning switches where they are; adaptive delays and resource_multiplier are acted on', () => {
    const source = `${HEAD}\n[self_healing]\nlearn_from_failures = true\n[[self_healing.patterns.classifier]]\npattern = "resource_exhaustion"\nindicators = [{ type = "container_exit_code", value = 137 }]\nresource_multiplier = 1.5\npull_fresh_image = true\n[[self_healing.retry.strategy]]\ntype = "adaptive"\n`;
    const warnings = parseTestFile(source, { file: 't.clnrm.toml' }).warnings;
    expect(warnings.map((w) => `${w.code} ${w.path}`)).toEqual(['spec.not-yet self_healing.learn_from_failures']);
    expect(warnings[0]!.message).toBe(
      '[self_healing] learn_from_failures, patterns.classifier[0].pull_fresh_image (classification, retries, quarantine and repairs are acted on) arrives with later parts of the self-healing layer (not acted on yet): validated, but this run ignores it',
    );
  });
});
