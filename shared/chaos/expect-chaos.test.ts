import { describe, expect, it } from 'vitest';
import { span } from '../trace/test-spans';
import { errorsOf, warningsOf } from '../spec/test-helpers';
import { checkExpectChaos, judgeExpectChaos, type ChaosEvidence, type FaultWindow } from './expect-chaos';

const BASE_US = 1_700_000_000_000_000;
const kill: FaultWindow = { fault: 'container_kill', family: 'container', service: 'victim', startUs: BASE_US + 500_000, ends: true, undone: false };
const partition: FaultWindow = { fault: 'network_disconnect', family: 'network', service: 'db', startUs: BASE_US + 1_000_000, endUs: BASE_US + 2_000_000, ends: false, undone: true };
const cleanup = span(100, undefined, 3_000_000, 3_100_000, { name: 'clnrm.cleanup' });
const recovery = span(101, 100, 3_050_000, 3_060_000, { name: 'clnrm.recovery' });
const clean = { containers: [], networks: [], volumes: [] };

const evidence = (over: Partial<ChaosEvidence> = {}): ChaosEvidence => ({
  faults: [kill],
  steps: [{ name: 'killed', verdict: 'failed' }],
  containers: [{ service: 'victim', endedBeforeStop: true, restarts: 0, exitCode: 137 }, { service: 'db', endedBeforeStop: false, restarts: 0, exitCode: 143 }],
  leftovers: clean,
  runnerSpans: [cleanup, recovery],
  system: [],
  ...over,
});
const judge = (table: Record<string, unknown>, over?: Partial<ChaosEvidence>) => judgeExpectChaos(table, evidence(over)).map((r) => `${r.passed ? 'pass' : 'FAIL'} ${r.expectation}: ${r.message}`);

describe('[expect.chaos] after a kill', () => {
  it('recovery, cleanup spans, crashes, zombies and resources hold when the runner cleaned up', () => {
    expect(judge({ recovery_successful: true, cleanup_spans_match_failures: true, no_crashes: true, no_zombie_processes: true, zombie_processes: { eq: 0 }, resource_cleanup: 'complete' })).toEqual([
      'pass expect.chaos.recovery_successful: 1 fault(s) undone (a kill by removing its container) and the cleanup succeeded',
      'pass expect.chaos.cleanup_spans_match_failures: 1 failed step(s), 1 fault(s): clnrm.cleanup succeeded, with clnrm.recovery under it',
      'pass expect.chaos.no_crashes: every one of 2 service container(s) ran until the runner stopped it (victim ended by a fault, as planned)',
      'pass expect.chaos.no_zombie_processes: no container of the execution is left on the engine',
      'pass expect.chaos.zombie_processes: 0 container(s) of the execution left on the engine (expected 0)',
      'pass expect.chaos.resource_cleanup: every container, network and volume of the execution was removed',
    ]);
  });

  it('each fails for its own reason', () => {
    const failedCleanup = { ...cleanup, status: { code: 'error' as const, message: 'network busy' } };
    expect(judge({ recovery_verified: true }, { runnerSpans: [failedCleanup] })).toEqual(['FAIL expect.chaos.recovery_verified: the cleanup after the faults failed: network busy']);
    expect(judge({ recovery_verified: true }, { faults: [] })).toEqual(['FAIL expect.chaos.recovery_verified: no fault was injected in this execution: there is nothing it recovered from']);
    expect(judge({ recovery_verified: true }, { faults: [{ ...partition, undone: false }] })[0]).toMatch(/^FAIL .*network_disconnect on db not undone$/);
    expect(judge({ cleanup_spans_match_failures: true }, { runnerSpans: [cleanup] })).toEqual(['FAIL expect.chaos.cleanup_spans_match_failures: 1 failed step(s), 1 fault(s), but no clnrm.recovery under clnrm.cleanup']);
    const crashed = [{ service: 'db', endedBeforeStop: true, restarts: 0, exitCode: 1 }];
    expect(judge({ no_crashes: true }, { containers: crashed })).toEqual(['FAIL expect.chaos.no_crashes: ended before the runner stopped it: db (exit 1)']);
    const left = { containers: ['clnrm-x-victim (exited)'], networks: ['clnrm-x'], volumes: [] };
    expect(judge({ no_zombie_processes: true, zombie_processes: { lte: 0 }, resource_cleanup: 'complete' }, { leftovers: left })).toEqual([
      'FAIL expect.chaos.no_zombie_processes: left on the engine: clnrm-x-victim (exited)',
      'FAIL expect.chaos.zombie_processes: 1 container(s) of the execution left on the engine (expected ≤ 0): clnrm-x-victim (exited)',
      'FAIL expect.chaos.resource_cleanup: left on the engine: clnrm-x-victim (exited), clnrm-x',
    ]);
  });

  it('an expected false inverts the check', () => {
    expect(judge({ no_crashes: false }, { containers: [{ service: 'db', endedBeforeStop: true, restarts: 0, exitCode: 1 }] })).toEqual([
      'pass expect.chaos.no_crashes: expected not to hold: ended before the runner stopped it: db (exit 1)',
    ]);
  });
});

describe('[expect.chaos] judged by the system spans in the fault windows', () => {
  const before = span(1, undefined, 100_000, 150_000, { name: 'GET /items' });
  const slow = span(2, undefined, 1_200_000, 1_900_000, { name: 'GET /items' });
  const failed = span(3, undefined, 1_300_000, 1_310_000, { name: 'GET /items', error: true });
  const served = span(4, undefined, 1_400_000, 1_420_000, { name: 'GET /cached' });
  const quiet = { faults: [partition], steps: [], containers: [] };

  it('network degradation: a span failing or slower than any before, during a network fault', () => {
    expect(judge({ network_degradation_detected: true }, { ...quiet, system: [before, slow] })[0]).toMatch(/^pass .*during network_disconnect: 1 span\(s\) failed or slower than any before, 0 step\(s\) failed$/);
    expect(judgeExpectChaos({ network_degradation_detected: true }, evidence({ ...quiet, system: [before, failed] }))[0]!.spans).toEqual([failed.spanId]);
    expect(judge({ network_degradation_detected: true }, { ...quiet, system: [before, served] })[0]).toMatch(/^FAIL .*no span failed or got slower than before during network_disconnect, and no step failed$/);
    expect(judge({ network_degradation_detected: true }, { ...quiet, faults: [kill] })[0]).toMatch(/^FAIL .*no network or proxy fault ran/);
  });

  it('graceful degradation: requests kept being answered during every fault, and no other service ended', () => {
    expect(judge({ graceful_degradation: true }, { ...quiet, system: [failed, served] })[0]).toMatch(/^pass .*kept answering during every fault \(1 request\(s\) answered without error\)/);
    expect(judge({ graceful_degradation: true }, { ...quiet, system: [failed] })[0]).toMatch(/^FAIL .*no request \(root span\) was answered without error while network_disconnect on db ran/);
    // A child span that succeeded (a cache miss) is not an answer; nor is a request that hung until the fault ended.
    const child = span(5, 6, 1_100_000, 1_150_000, { name: 'cache.get' });
    const hung = span(6, undefined, 1_050_000, 2_300_000, { name: 'GET /items' });
    expect(judge({ graceful_degradation: true }, { ...quiet, system: [child, hung] })[0]).toMatch(/^FAIL .*no request/);
  });
});

describe('validate', () => {
  const FILE = (table: string) => `[meta]\nname = "t"\nversion = "1"\n\n[[scenario]]\nname = "s"\nrun = "true"\n\n[expect.chaos]\n${table}\n`;

  it("reads clnrm's keys, and names the ones it does not judge", () => {
    expect(checkExpectChaos({ recovery_verified: true, zombie_processes: { eq: 0 }, concurrent_failures_handled: true })).toEqual({ errors: [], unjudged: ['concurrent_failures_handled'] });
    expect(errorsOf(FILE('no_crashes = true\nzombie_processes = { eq = 0 }\nresource_cleanup = "complete"'))).toEqual([]);
    expect(warningsOf(FILE('recovery_verified = true\ntimeout_enforcement_verified = true'))).toEqual([
      expect.stringMatching(/^11:1 spec.not-yet \[expect.chaos\] timeout_enforcement_verified: no check of ours gives it a meaning, so it is not judged \(judged: recovery_successful, /),
    ]);
  });

  it('refuses values it cannot read, at their line', () => {
    expect(errorsOf(FILE('no_crashes = "yes"\nzombie_processes = { gt = 1 }\nresource_cleanup = "partial"'))).toEqual([
      '10:1 toml.shape no_crashes must be true or false',
      '11:1 toml.shape zombie_processes must be a count ≥ 0 or { eq = N } / { lte = N }',
      '12:1 toml.shape resource_cleanup must be "complete"',
    ]);
  });
});
