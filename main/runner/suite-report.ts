// A suite's verdict as people and CI read it: terminal lines (scenario summary, confidence, suite
// expectations and release criteria, the SHIP/BLOCK line), a JUnit <testsuite>, and the suite file's
// own `[report]` files (json / junit / digest, in the suite file's folder or under --report-dir like the
// runner's other report files; html is not built and says so).
import { dirname, resolve } from 'node:path';
import type { SuiteReportSection } from '../../shared/spec';
import { jsonReport, junitReport, traceDigest, writeReport, xml } from './reports';
import type { SuitePlan } from './suite-run';
import type { CriterionOutcome, SuiteVerdict } from './suite-verdict';
import type { RunSummary, TestResult } from './types';

const MARK: Record<string, string> = { passed: '✓', failed: '✗', error: '!', skipped: '-', 'not-checked': '?' };
const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const weight = (w: number) => w.toFixed(1);

function criterionLine(c: CriterionOutcome): string {
  return `    ${MARK[c.status]} ${c.name} = ${JSON.stringify(c.expected)}: ${c.status === 'not-checked' ? `not checked: ${c.detail}` : c.detail}`;
}

/** Terminal lines for one suite; `[report.verdict] show_*` = false leaves a part out (the verdict line stays). */
export function suiteLines(v: SuiteVerdict, show: SuiteReportSection['verdict'] = {}): string[] {
  const lines = ['', `Suite ${v.suite} (${v.file})`];
  if (show.show_scenario_summary !== false) {
    lines.push('  scenarios:');
    for (const s of v.scenarios) lines.push(`    ${MARK[s.verdict]} ${s.position}. ${s.name}  weight ${weight(s.weight)}${s.required ? ', required' : ''}  ${s.verdict} in ${secs(s.durationMs)}`);
  }
  if (show.show_confidence_percentage !== false) {
    lines.push(`  confidence: ${weight(v.passedWeight)} of ${weight(v.totalWeight)} weight passed = ${v.confidence === 1 ? '100%' : `${(v.confidence * 100).toFixed(1)}%`}`);
  }
  if (show.show_pass_criteria !== false) {
    if (v.expectations.length > 0) lines.push('  [expect.suite]:', ...v.expectations.map(criterionLine));
    if (v.criteria.length > 0) lines.push('  [release.criteria]:', ...v.criteria.map(criterionLine));
  }
  if (v.reasons.length > 0) lines.push('  blocked by:', ...v.reasons.map((r) => `    - ${r}`));
  lines.push(v.line);
  return lines;
}

function criterionCase(v: SuiteVerdict, c: CriterionOutcome): string {
  const head = `    <testcase classname="${xml(v.file)}" name="${xml(c.name)}" time="0"`;
  if (c.status === 'passed') return `${head}/>`;
  const tag = c.status === 'failed' ? 'failure' : 'skipped';
  const message = c.status === 'failed' ? c.detail : `not checked: ${c.detail}`;
  return `${head}>\n      <${tag} message="${xml(message)}"/>\n    </testcase>`;
}

/** The suite as a JUnit <testsuite>: one case per suite expectation and criterion, and the verdict. */
export function suiteTestsuite(v: SuiteVerdict): { xml: string; tests: number; failures: number; skipped: number } {
  const checks = [...v.expectations, ...v.criteria];
  const failures = checks.filter((c) => c.status === 'failed').length + (v.verdict === 'block' ? 1 : 0);
  const skipped = checks.filter((c) => c.status === 'not-checked').length;
  const verdictCase = `    <testcase classname="${xml(v.file)}" name="verdict" time="0"${v.verdict === 'ship' ? '/>' : `>\n      <failure message="${xml(v.line)}">${xml(v.reasons.join('\n'))}</failure>\n    </testcase>`}`;
  const text = [
    `  <testsuite name="${xml(`suite: ${v.suite}`)}" tests="${checks.length + 1}" failures="${failures}" errors="0" skipped="${skipped}" time="0">`,
    '    <properties>',
    `      <property name="verdict" value="${xml(v.line)}"/>`,
    `      <property name="confidence" value="${v.confidence}"/>`,
    `      <property name="weight" value="${v.passedWeight}/${v.totalWeight}"/>`,
    '    </properties>',
    ...checks.map((c) => criterionCase(v, c)),
    verdictCase,
    '  </testsuite>',
  ].join('\n');
  return { xml: text, tests: checks.length + 1, failures, skipped };
}

function suiteSummary(summary: RunSummary, verdict: SuiteVerdict, tests: TestResult[]): RunSummary {
  const count = (v: TestResult['verdict']) => tests.filter((t) => t.verdict === v).length;
  return { ...summary, durationMs: tests.reduce((s, r) => s + r.durationMs, 0), passed: count('passed'), failed: count('failed'), errors: count('error'), skipped: count('skipped'), tests, suites: [verdict] };
}

/** Writes each suite file's `[report]` files; returns messages for files not written (and why). */
export async function writeSuiteReports(plans: readonly SuitePlan[], summary: RunSummary, cwd: string, reportDir?: string): Promise<string[]> {
  const problems: string[] = [];
  for (const plan of plans) {
    const report = plan.suite.report;
    const verdict = summary.suites?.find((v) => v.file === plan.file);
    if (!report || !verdict) continue;
    const files = new Set(plan.scenarios.map((s) => s.file));
    const mine = suiteSummary(summary, verdict, summary.tests.filter((t) => files.has(t.file)));
    const outputs: [string | undefined, string][] = [
      [report.json, jsonReport(mine)],
      [report.junit, junitReport(mine)],
      [report.digest, `${traceDigest(mine.tests)}\n`],
    ];
    const base = reportDir !== undefined ? resolve(cwd, reportDir) : dirname(resolve(cwd, plan.file));
    for (const [path, text] of outputs) {
      if (!path) continue;
      const problem = await writeReport(base, path, text);
      if (problem !== undefined) problems.push(`${plan.file}: ${problem}`);
    }
    if (report.html) problems.push(`${plan.file}: report ${report.html} not written: HTML suite reports are not built (the JSON and JUnit reports carry the verdict)`);
  }
  return problems;
}
