// The suite verdict: weighted confidence, SHIP/BLOCK, `[expect.suite]` and each release criterion
// (checked, failed, or "not checked" with why) over hand-made results of the Rosetta Stone suite.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExpectationResult } from '../../shared/expect';
import { parseSuiteFile, type SuiteFile } from '../../shared/spec';
import { percent, suiteVerdict, verdictLine, type ScenarioInput } from './suite-verdict';
import type { ScenarioExecution, TestResult, Verdict } from './types';

const rosetta = parseSuiteFile(readFileSync(new URL('../../examples/rosetta/rosetta_stone_suite.clnrm.toml', import.meta.url), 'utf8')).suite!;

const result = (kind: ExpectationResult['kind'], expectation: string, passed = true): ExpectationResult => ({ kind, expectation, passed, message: '', spans: [] });

function execution(verdict: Verdict, over: Partial<ScenarioExecution> = {}): ScenarioExecution {
  return {
    runId: 'r',
    scenario: 's',
    iteration: 1,
    verdict,
    startedAt: '',
    durationMs: 1,
    steps: [{ name: 's', target: 'brew', command: ['bash', '-lc', 'clnrm self-test --suite basic'], verdict: verdict === 'error' ? 'error' : verdict, exitCode: 0, expectedExitCode: 0, timedOut: false, durationMs: 1, stdoutTail: '', stderrTail: '' }],
    expectations: [result('span', 'expect.span[0]', verdict !== 'failed'), result('graph', 'expect.graph.acyclic')],
    problems: [],
    containers: [],
    spanCount: 3,
    traceHash: 'h',
    spanNames: {},
    cleanup: { removed: true, leftovers: { containers: [], networks: [], volumes: [] }, results: [] },
    ...over,
  };
}

function test(verdict: Verdict, runs = 1, over: Partial<ScenarioExecution> = {}): TestResult {
  return { file: 'f', name: 'n', verdict, startedAt: '', durationMs: 1, problems: [], executions: Array.from({ length: runs }, () => execution(verdict, over)) };
}

function inputs(verdicts: Verdict[], runs = [1, 1, 1, 3, 5]): ScenarioInput[] {
  return verdicts.map((v, i) => ({ file: `/s/${i + 1}`, results: [test(v, runs[i])], declaresDeterminism: i === 4 }));
}

const criterion = (v: ReturnType<typeof suiteVerdict>, name: string) => v.criteria.find((c) => c.name === name);

describe('suite verdict', () => {
  it('ships at 100 % when every scenario passes, judging each criterion it can', () => {
    const v = suiteVerdict(rosetta, 'suite.toml', inputs(['passed', 'passed', 'passed', 'passed', 'passed']));
    expect(v.verdict).toBe('ship');
    expect([v.confidence, v.passedWeight, v.totalWeight]).toEqual([1, 8, 8]);
    expect(v.line).toBe('✅ SHIP v1.0.1 - 100% CONFIDENCE');
    expect(v.expectations.map((c) => [c.name, c.status])).toEqual([
      ['expect.suite.all_scenarios_pass', 'passed'],
      ['expect.suite.zero_failures', 'passed'],
      ['expect.suite.zero_errors', 'passed'],
    ]);
    expect(Object.fromEntries(v.criteria.map((c) => [c.name, c.status]))).toEqual({
      all_scenarios_pass: 'passed',
      zero_hermetic_violations: 'not-checked',
      determinism_hash_match: 'passed',
      span_validations_pass: 'passed',
      graph_acyclic: 'passed',
      errors_total: 'passed',
      container_cleanup_verified: 'passed',
      homebrew_install_succeeds: 'not-checked',
      self_test_passes: 'passed',
      otel_validation_passes: 'not-checked',
    });
    expect(criterion(v, 'determinism_hash_match')!.detail).toBe('05_determinism_validation: 5/5 executions had the same normalized trace hash');
    expect(criterion(v, 'zero_hermetic_violations')!.detail).toBe('no scenario file checks hermeticity or isolation');
  });

  it('blocks at 75.0 % when scenario 04 (weight 2.0 of 8.0) fails', () => {
    const v = suiteVerdict(rosetta, 'suite.toml', inputs(['passed', 'passed', 'passed', 'failed', 'passed']));
    expect(v.verdict).toBe('block');
    expect(v.confidence).toBe(0.75);
    expect(v.line).toBe('❌ BLOCK v1.0.1 - FAILURES DETECTED (75.0% confidence)');
    expect(v.reasons).toEqual([
      'required scenario 04_hermetic_isolation failed',
      'expect.suite.all_scenarios_pass: 4/5 scenarios passed (04_hermetic_isolation: failed)',
      'expect.suite.zero_failures: 4/5 scenarios without failures (04_hermetic_isolation: failed)',
      'all_scenarios_pass: 4/5 scenarios passed (04_hermetic_isolation: failed)',
      'span_validations_pass: 19/22 passed (expect.span[0], expect.span[0], expect.span[0])',
      'self_test_passes: 8/11 `clnrm self-test` steps passed',
    ]);
  });

  it('counts errors and skipped scenarios as not passed, and an optional failing scenario lowers confidence only', () => {
    const optional: SuiteFile = { ...rosetta, criteria: [], expectSuite: {}, scenarios: rosetta.scenarios.map((s, i) => ({ ...s, required: i !== 0 })) };
    const v = suiteVerdict(optional, 'suite.toml', inputs(['failed', 'passed', 'passed', 'passed', 'passed']));
    expect([v.verdict, percent(v.confidence)]).toEqual(['ship', '87.5%']);
    expect(v.line).toBe('✅ SHIP v1.0.1 - 87.5% CONFIDENCE');
    const skipped = suiteVerdict(rosetta, 'suite.toml', [...inputs(['error', 'passed', 'passed', 'passed']), { file: '/s/5', results: [], declaresDeterminism: true }]);
    expect(skipped.scenarios.map((s) => s.verdict)).toEqual(['error', 'passed', 'passed', 'passed', 'skipped']);
    expect(skipped.confidence).toBe(4.5 / 8);
    expect(criterion(skipped, 'errors_total')).toMatchObject({ status: 'failed', detail: '1 error(s) (executions that could not run), at most 0 allowed' });
    expect(criterion(skipped, 'determinism_hash_match')).toMatchObject({ status: 'failed', detail: '05_determinism_validation: 0/0 executions had the same normalized trace hash' });
  });

  it('fails determinism_hash_match on a differing hash and cleanup on a leftover; says why when it cannot check', () => {
    const runs = inputs(['passed', 'passed', 'passed', 'passed', 'passed']);
    const five = runs[4]!.results[0]!;
    runs[4] = { ...runs[4]!, results: [{ ...five, executions: five.executions.map((e, i) => (i === 2 ? { ...e, traceHash: 'other' } : e)) }] };
    runs[0] = { ...runs[0]!, results: [test('passed', 1, { cleanup: { removed: true, leftovers: { containers: ['c1 (exited)'], networks: [], volumes: [] }, results: [] } })] };
    const v = suiteVerdict(rosetta, 'suite.toml', runs);
    expect(criterion(v, 'determinism_hash_match')).toMatchObject({ status: 'failed', detail: '05_determinism_validation: 4/5 executions had the same normalized trace hash' });
    expect(criterion(v, 'container_cleanup_verified')).toMatchObject({ status: 'failed', detail: expect.stringContaining('c1 (exited)') });
    const bare = suiteVerdict(
      { ...rosetta, criteria: [['container_cleanup_verified', true], ['graph_acyclic', false], ['determinism_hash_match', 5], ['made_up', true]] },
      'suite.toml',
      inputs(['passed', 'passed', 'passed', 'passed', 'passed']).map((i) => ({ ...i, results: [test('passed', 1, { cleanup: undefined })] })),
    );
    expect(bare.criteria.map((c) => [c.status, c.detail])).toEqual([
      ['not-checked', 'no execution has an engine cleanup record'],
      ['not-checked', 'set to false: nothing is required'],
      ['not-checked', 'expects a ratio like "5/5", not 5'],
      ['not-checked', 'nothing in the run measures this criterion'],
    ]);
    expect(bare.verdict).toBe('ship');
  });

  it('names the suite by version, or by name without one', () => {
    expect(verdictLine({ name: 'n', version: 'rc-2' }, false, 0.5)).toBe('❌ BLOCK rc-2 - FAILURES DETECTED (50.0% confidence)');
    expect(verdictLine({ name: 'nightly' }, true, 1)).toBe('✅ SHIP nightly - 100% CONFIDENCE');
  });
});
