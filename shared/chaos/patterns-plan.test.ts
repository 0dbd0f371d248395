import { describe, expect, it } from 'vitest';
import { HEAD, errorsOf, warningsOf } from '../spec/test-helpers';
import { FaultCatalog } from './catalog';
import { planPatterns } from './patterns-plan';

const SERVICES = `
[services.cache]
image = "cleanroom/demo:latest"
ports = [7001]

[services.db]
image = "cleanroom/demo:latest"
ports = [7002]
`;
const file = (patterns: string): string => `${HEAD}${SERVICES}\n[chaos.patterns]\n${patterns}`;

const SEED = `[[chaos.patterns.validation]]
pattern = "circuit_breaker"
target = "service:cache"
[[chaos.patterns.validation.test]]
inject_fault = "network_timeout"
expect_span = "circuit.open"
expect_attrs = { "circuit.state" = "open", "circuit.reason" = "timeout_threshold" }
validate_requests_blocked = true

[[chaos.patterns.validation]]
pattern = "retry_backoff"
[[chaos.patterns.validation.test]]
inject_fault = "connection_refused"
target = "service:db"
expect_spans = ["retry.attempt_1", "retry.attempt_2", "retry.attempt_3"]
validate_backoff_timing = { strategy = "exponential", base_ms = 100, max_ms = 3000 }

[[chaos.patterns.validation]]
pattern = "timeout"
[[chaos.patterns.validation.test]]
inject_fault = "network_latency"
target = "db"
fault_config = { delay_ms = 10000 }
expect_timeout = true
expect_attrs = { "error.type" = "timeout", "timeout.configured_ms" = "5000" }
`;

describe('[chaos.patterns]: the seed form, with our target', () => {
  it('validates clean, without a "not acted on" warning', () => {
    expect(errorsOf(file(SEED))).toEqual([]);
    expect(warningsOf(file(SEED))).toEqual([]);
  });

  it('plans one fault per test from the steps\' start until they end, the seed\'s names mapped onto the catalog', () => {
    const { tests, problems } = planPatterns({
      patterns: {
        validation: [
          { pattern: 'circuit_breaker', target: 'service:cache', test: [{ inject_fault: 'network_timeout', expect_span: 'circuit.open' }] },
          { pattern: 'retry_backoff', test: [{ inject_fault: 'connection_refused', target: 'db', expect_spans: ['retry.attempt_1'] }] },
          { pattern: 'timeout', test: [{ inject_fault: 'network_latency', target: 'db', fault_config: { delay_ms: 3000 }, expect_timeout: true }] },
        ],
      },
      services: ['cache', 'db'],
      portsOf: () => [7001],
      catalog: new FaultCatalog(),
    });
    expect(problems).toEqual([]);
    expect(tests.map((t) => [t.path, t.service, t.fault, t.plan.injections[0]!.params, t.plan.injections[0]!.startMs])).toEqual([
      ['chaos.patterns.validation[0].test[0]', 'cache', 'timeout', { timeout: 0, stream: 'downstream', toxicity: 1 }, 0],
      ['chaos.patterns.validation[1].test[0]', 'db', 'down', {}, 0],
      ['chaos.patterns.validation[2].test[0]', 'db', 'latency', { latency: 3000, jitter: 0, stream: 'downstream', toxicity: 1 }, 0],
    ]);
  });
});

describe('[chaos.patterns]: clear errors at the key', () => {
  it('an unknown pattern and a bad timing table are refused by the schema', () => {
    const errors = errorsOf(file(SEED.replace('pattern = "circuit_breaker"', 'pattern = "bulkhead"').replace('strategy = "exponential", base_ms = 100', 'strategy = "fibonacci", base_ms = 0')));
    expect(errors).toEqual([
      expect.stringMatching(/^\d+:\d+ toml.shape .*chaos\.patterns\.validation\[0\]\.pattern.* must be one of "circuit_breaker", "retry_backoff", "timeout"/),
      expect.stringMatching(/^\d+:\d+ toml.shape .*validate_backoff_timing\.strategy.* must be one of "exponential", "linear", "constant"/),
      expect.stringMatching(/^\d+:\d+ toml.shape .*validate_backoff_timing\.base_ms.* must be base_ms: the first wait/),
    ]);
  });

  it('an unknown fault names the seed\'s faults and the nearest one', () => {
    expect(errorsOf(file(SEED.replace('"connection_refused"', '"conection_refused"')))).toEqual([
      expect.stringMatching(/^30:1 chaos.unknown-fault unknown fault "conection_refused" — did you mean "connection_refused"\? \(the seed's network_timeout, connection_refused, network_latency, or any fault/),
    ]);
  });

  it('a missing or unknown target, a check of another pattern, max_ms below base_ms, a bad fault_config key', () => {
    const broken = SEED.replace('target = "service:cache"\n', '')
      .replace('target = "service:db"', 'target = "service:dbb"')
      .replace('validate_requests_blocked = true', 'validate_requests_blocked = true\nvalidate_backoff_timing = { strategy = "constant", base_ms = 100 }')
      .replace('max_ms = 3000', 'max_ms = 50')
      .replace('delay_ms = 10000', 'delay = 10000');
    expect(errorsOf(file(broken))).toEqual([
      expect.stringMatching(/^20:1 chaos.pattern which service gets network_timeout\? add target = "service:NAME" to this test or to its \[\[chaos.patterns.validation\]\]/),
      '25:1 chaos.pattern validate_backoff_timing checks the retry_backoff pattern\'s spans; this validation\'s pattern is circuit_breaker',
      expect.stringMatching(/^31:1 chaos.pattern target "service:dbb" is not a service of this file — did you mean "db"\?/),
      '33:70 chaos.pattern max_ms (50) must be at least base_ms (100)',
      expect.stringMatching(/^40:18 chaos.param latency has no parameter "delay"/),
    ]);
  });

  it('a test that checks nothing, and [chaos.experiment] beside the patterns', () => {
    const nothing = `[[chaos.patterns.validation]]\npattern = "timeout"\n[[chaos.patterns.validation.test]]\ninject_fault = "container_pause"\ntarget = "db"\n`;
    expect(errorsOf(file(nothing))).toEqual([expect.stringMatching(/chaos.pattern this test checks nothing: add expect_span\(s\)/)]);
    const both = `${file(SEED)}\n[chaos.experiment]\nfault = "container_pause"\ntarget = "service:db"\n`;
    expect(errorsOf(both)).toContainEqual(expect.stringMatching(/chaos.pattern a file takes \[chaos.experiment\] or \[chaos.patterns\], not both/));
  });
});
