// A suite verdict in the terminal (parts left out by `[report.verdict]`) and in JUnit (criteria as cases,
// not checked = skipped, BLOCK = a failed verdict case, totals that include them).
import { describe, expect, it } from 'vitest';
import { junitReport } from './reports';
import { suiteLines } from './suite-report';
import type { SuiteVerdict } from './suite-verdict';
import type { RunSummary } from './types';

const blocked: SuiteVerdict = {
  suite: 'rosetta',
  file: 'suite.clnrm.toml',
  version: '1.0.1',
  verdict: 'block',
  confidence: 0.75,
  passedWeight: 6,
  totalWeight: 8,
  scenarios: [
    { position: 1, name: 'one', file: '/a', required: true, weight: 6, verdict: 'passed', tests: 1, durationMs: 1500 },
    { position: 2, name: 'two', file: '/b', required: true, weight: 2, verdict: 'failed', tests: 1, durationMs: 500 },
  ],
  expectations: [{ name: 'expect.suite.all_scenarios_pass', expected: true, status: 'failed', detail: '1/2 scenarios passed (two: failed)' }],
  criteria: [
    { name: 'graph_acyclic', expected: true, status: 'passed', detail: '2/2 passed' },
    { name: 'homebrew_install_succeeds', expected: true, status: 'not-checked', detail: 'no Homebrew here' },
  ],
  reasons: ['required scenario two failed', 'expect.suite.all_scenarios_pass: 1/2 scenarios passed (two: failed)'],
  line: '❌ BLOCK v1.0.1 - FAILURES DETECTED (75.0% confidence)',
};

describe('suite report', () => {
  it('prints scenarios, confidence, checks, reasons and the verdict line last', () => {
    expect(suiteLines(blocked)).toEqual([
      '',
      'Suite rosetta (suite.clnrm.toml)',
      '  scenarios:',
      '    ✓ 1. one  weight 6.0, required  passed in 1.5s',
      '    ✗ 2. two  weight 2.0, required  failed in 0.5s',
      '  confidence: 6.0 of 8.0 weight passed = 75.0%',
      '  [expect.suite]:',
      '    ✗ expect.suite.all_scenarios_pass = true: 1/2 scenarios passed (two: failed)',
      '  [release.criteria]:',
      '    ✓ graph_acyclic = true: 2/2 passed',
      '    ? homebrew_install_succeeds = true: not checked: no Homebrew here',
      '  blocked by:',
      '    - required scenario two failed',
      '    - expect.suite.all_scenarios_pass: 1/2 scenarios passed (two: failed)',
      '❌ BLOCK v1.0.1 - FAILURES DETECTED (75.0% confidence)',
    ]);
    const brief = suiteLines(blocked, { show_scenario_summary: false, show_confidence_percentage: false, show_pass_criteria: false });
    expect(brief).toEqual(['', 'Suite rosetta (suite.clnrm.toml)', '  blocked by:', '    - required scenario two failed', '    - expect.suite.all_scenarios_pass: 1/2 scenarios passed (two: failed)', blocked.line]);
  });

  it('adds a JUnit testsuite per suite: a case per check, not checked as skipped, the verdict as a failure', () => {
    const summary: RunSummary = { runId: 'r', startedAt: '', durationMs: 0, passed: 0, failed: 0, errors: 0, skipped: 0, tests: [], suites: [blocked] };
    const xml = junitReport(summary);
    expect(xml).toContain('<testsuites name="clnrm" tests="4" failures="2" errors="0" skipped="1"');
    expect(xml).toContain('<testsuite name="suite: rosetta" tests="4" failures="2" errors="0" skipped="1" time="0">');
    expect(xml).toContain('<property name="confidence" value="0.75"/>');
    expect(xml).toContain('<testcase classname="suite.clnrm.toml" name="graph_acyclic" time="0"/>');
    expect(xml).toContain('<skipped message="not checked: no Homebrew here"/>');
    expect(xml).toMatch(/<testcase classname="suite.clnrm.toml" name="verdict" time="0">\n\s+<failure message="❌ BLOCK v1.0.1 - FAILURES DETECTED \(75.0% confidence\)">required scenario two failed\n/);
  });
});
