// Reports of a run: the failure explanation every view shares (`failureLines`), JSON and JUnit XML
// renderings, the trace digest, and the `[report]` files a test file asks for (json / junit / digest).
// Test files are untrusted: their report paths resolve against the test file's folder (or the CLI's
// --report-dir) and may not leave it, so a file cannot write over `~/.bashrc` or create folders anywhere.
import { createHash } from 'node:crypto';
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { formatProblem } from '../../shared/errors';
import { describeClassification } from '../../shared/healing';
import type { TestFile } from '../../shared/spec';
import { regressionReports } from '../perf/regression-report';
import { suiteTestsuite } from './suite-report';
import type { DeterminismResult, RunSummary, ScenarioExecution, TestResult } from './types';

const MAX_EVIDENCE_SHOWN = 5;
const MAX_DIFFS_SHOWN = 8;

function evidence(execution: ScenarioExecution, ids: readonly string[]): string {
  if (ids.length === 0) return '';
  const shown = ids.slice(0, MAX_EVIDENCE_SHOWN).map((id) => `${id} ${JSON.stringify(execution.spanNames[id] ?? '?')}`);
  return ` [evidence: ${shown.join(', ')}${ids.length > MAX_EVIDENCE_SHOWN ? `, +${ids.length - MAX_EVIDENCE_SHOWN} more` : ''}]`;
}

/** Why an execution did not pass, one line per reason (empty when it passed). */
export function executionFailureLines(execution: ScenarioExecution): string[] {
  const lines: string[] = [];
  for (const p of execution.problems) lines.push(`error: ${formatProblem(p)}`);
  for (const c of execution.containers) {
    if (c.oomKilled) lines.push(`service "${c.service}" was OOM killed (exit ${c.exitCode})`);
  }
  for (const s of execution.steps) {
    if (s.verdict === 'failed' || s.verdict === 'error') lines.push(`step "${s.name}" (${s.target}): ${s.message ?? s.verdict}`);
  }
  for (const e of execution.expectations) if (!e.passed) lines.push(`${e.expectation}: ${e.message}${evidence(execution, e.spans)}`);
  if (execution.classification) lines.push(`class: ${describeClassification(execution.classification)}`);
  const retried = execution.healing?.attempts.length ?? 0;
  if (retried > 0 && !execution.healing!.healed) lines.push(`retried ${retried} time(s), still failing${execution.healing!.stoppedBecause ? `; stopped: ${execution.healing!.stoppedBecause}` : ''}`);
  return lines;
}

/** Executions a retry healed: what failed first, as which class, and how many retries it took. */
export function healedLines(summary: RunSummary): string[] {
  const lines: string[] = [];
  for (const t of summary.tests) {
    for (const e of t.executions) {
      if (!e.healing?.healed) continue;
      const first = e.healing.attempts[0]!;
      const n = e.healing.attempts.length;
      const changed = e.healing.attempts.at(-1)!.retriedWith;
      lines.push(`✓ ${t.name} ${e.scenario}${e.iteration > 1 ? ` #${e.iteration}` : ''}: healed by ${n} retr${n === 1 ? 'y' : 'ies'}; attempt 1 ${first.verdict} as ${describeClassification(first.classification)}${changed ? `; the last retry ran with ${changed}` : ''}`);
    }
  }
  return lines.length > 0 ? ['', 'Healed by retry:', ...lines] : [];
}

/** A determinism check in one line: how many iterations, their hashes, whether and where they differed. */
export function determinismLine(d: DeterminismResult): string {
  const short = (hash: string | undefined) => (hash ?? '?').slice(0, 12);
  if (d.passed) return `${d.iterations} iterations, identical normalized traces (hash ${short(d.hashes[0])})`;
  const i = d.differingIteration ?? 0;
  const n = d.differences.length;
  return `${d.iterations} iterations; iteration ${i} differs from iteration 1 (hash ${short(d.hashes[i - 1])} vs ${short(d.hashes[0])}), ${n} difference${n === 1 ? '' : 's'}`;
}

/** The first differences of a failed determinism check, `path: what differed`. */
export function determinismDifferences(d: DeterminismResult, max = MAX_DIFFS_SHOWN): string[] {
  const lines = d.differences.slice(0, max).map((diff) => `${diff.path}: ${diff.message}`);
  if (d.differences.length > max) lines.push(`… ${d.differences.length - max} more differences`);
  return lines;
}

/** Why a test did not pass: its problems, each execution's reasons, determinism differences. */
export function failureLines(result: TestResult): string[] {
  const lines = result.problems.map((p) => (result.verdict === 'skipped' ? p.message : `error: ${formatProblem(p)}`));
  if (result.classification) lines.push(`class: ${describeClassification(result.classification)}`);
  const multiple = result.executions.length > 1;
  for (const execution of result.executions) {
    const prefix = multiple || execution.scenario !== 'default' ? `${execution.scenario}${execution.iteration > 1 || multiple ? ` #${execution.iteration}` : ''}: ` : '';
    for (const line of executionFailureLines(execution)) lines.push(prefix + line);
  }
  for (const d of result.determinism ?? []) {
    if (d.passed) continue;
    const i = d.differingIteration!;
    lines.push(`determinism: iteration ${i} differs from iteration 1 (normalized trace hash ${d.hashes[i - 1]} vs ${d.hashes[0]}):`);
    for (const line of determinismDifferences(d)) lines.push(`  ${line}`);
    if (d.classification) lines.push(`class: ${describeClassification(d.classification)}`);
  }
  return lines;
}

export function jsonReport(summary: RunSummary): string {
  return JSON.stringify({ format: 'clnrm-studio-report', version: 1, ...summary }, null, 2);
}

export function xml(text: string): string {
  // Control characters are not allowed in XML 1.0 at all: drop them.
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * A chaos experiment's timeline, passed or not: its phases, each fault's window and each assertion's verdict,
 * per execution (CI keeps a green experiment's record too).
 */
function chaosTimeline(result: TestResult): string[] {
  return result.executions.flatMap((e) => {
    const chaos = e.expectations.filter((x) => x.kind === 'chaos');
    if (chaos.length === 0) return [];
    return [`${e.scenario}${e.iteration > 1 ? ` #${e.iteration}` : ''}:`, ...chaos.map((x) => `  ${x.passed ? 'ok' : 'FAILED'} ${x.expectation}: ${x.message}${evidence(e, x.spans)}`)];
  });
}

function testcase(result: TestResult): string {
  const lines = failureLines(result);
  const head = `    <testcase classname="${xml(result.file)}" name="${xml(result.name)}" time="${seconds(result.durationMs)}"`;
  const timeline = chaosTimeline(result);
  const out = timeline.length > 0 ? `\n      <system-out>${xml(timeline.join('\n'))}</system-out>` : '';
  // With a pool of engines, where the test ran (a testcase property, as pytest's record_property writes them).
  const props = result.engine ? `\n      <properties>\n        <property name="clnrm.engine" value="${xml(result.engine)}"/>\n      </properties>` : '';
  if (result.verdict === 'passed') return props + out === '' ? `${head}/>` : `${head}>${props}${out}\n    </testcase>`;
  const tag = result.verdict === 'skipped' ? 'skipped' : result.verdict === 'error' ? 'error' : 'failure';
  const first = lines[0] ?? result.verdict;
  return `${head}>${props}\n      <${tag} message="${xml(first.slice(0, 500))}">${xml(lines.join('\n'))}</${tag}>${out}\n    </testcase>`;
}

export function junitReport(summary: RunSummary): string {
  const byFile = new Map<string, TestResult[]>();
  for (const t of summary.tests) byFile.set(t.file, [...(byFile.get(t.file) ?? []), t]);
  const suites = [...byFile].map(([file, tests]) => {
    const n = (v: TestResult['verdict']) => tests.filter((t) => t.verdict === v).length;
    const time = tests.reduce((sum, t) => sum + t.durationMs, 0);
    return [
      `  <testsuite name="${xml(file)}" tests="${tests.length}" failures="${n('failed')}" errors="${n('error')}" skipped="${n('skipped')}" time="${seconds(time)}">`,
      ...tests.map(testcase),
      '  </testsuite>',
    ].join('\n');
  });
  // Each suite's verdict, expectations and criteria are test cases of their own <testsuite>.
  const verdicts = (summary.suites ?? []).map(suiteTestsuite);
  const total = summary.tests.length + verdicts.reduce((n, v) => n + v.tests, 0);
  const failures = summary.failed + verdicts.reduce((n, v) => n + v.failures, 0);
  const skipped = summary.skipped + verdicts.reduce((n, v) => n + v.skipped, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="clnrm" tests="${total}" failures="${failures}" errors="${summary.errors}" skipped="${skipped}" time="${seconds(summary.durationMs)}">`,
    ...suites,
    ...verdicts.map((v) => v.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

/** SHA-256 over each execution's normalized trace hash, in test/scenario/iteration order. */
export function traceDigest(results: readonly TestResult[]): string {
  const hash = createHash('sha256');
  for (const r of results) for (const e of r.executions) hash.update(`${r.name}\t${e.scenario}\t${e.iteration}\t${e.traceHash}\n`);
  return hash.digest('hex');
}

/** `[report] cleanup_verification` / `isolation_report`: one entry per execution that recorded it. */
export function engineReport(results: readonly TestResult[], part: 'cleanup' | 'isolation'): string {
  const executions = results.flatMap((r) =>
    r.executions.flatMap((e) => {
      const record = e[part];
      return record ? [{ test: r.name, scenario: e.scenario, iteration: e.iteration, runId: e.runId, passed: record.results.every((x) => x.passed), ...record }] : [];
    }),
  );
  return `${JSON.stringify({ kind: part === 'cleanup' ? 'cleanup_verification' : 'isolation_report', executions }, null, 2)}\n`;
}

/** Whether `target` is `base` or inside it (both absolute). */
function inside(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/**
 * Where a `[report]` path goes: under `base` (the test file's folder, or --report-dir), or a message
 * saying why not. Checked again after the folders exist, so a symbolic link cannot lead out either.
 */
export function reportTarget(base: string, path: string): { target: string } | { refused: string } {
  const target = resolve(base, path);
  if (isAbsolute(path) || !inside(base, target)) {
    return { refused: `report path ${JSON.stringify(path)} leaves ${base}: [report] paths are relative to the test file's folder and stay in it (e.g. "reports/junit.xml"); pass --report-dir DIR to write them under DIR` };
  }
  return { target };
}

export async function writeReport(base: string, path: string, text: string): Promise<string | undefined> {
  const placed = reportTarget(base, path);
  if ('refused' in placed) return placed.refused;
  const { target } = placed;
  try {
    await mkdir(dirname(target), { recursive: true });
    const [realBase, realFolder] = await Promise.all([realpath(base), realpath(dirname(target))]);
    if (!inside(realBase, realFolder)) return `report path ${JSON.stringify(path)} leads out of ${base} through a symbolic link: not written`;
    await writeFile(target, text);
    return undefined;
  } catch (error) {
    return `cannot write report ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
}

/**
 * Writes each test file's `[report]` files, under the test file's folder or `reportDir` (resolved
 * against `cwd`); returns messages for files that were refused or could not be written.
 */
export async function writeFileReports(
  tests: readonly { test: TestFile; file: string }[],
  results: readonly TestResult[],
  cwd: string,
  reportDir?: string,
): Promise<string[]> {
  const problems: string[] = [];
  const done = new Set<string>();
  for (const { test, file } of tests) {
    const regression = test.expect?.regression?.some((e) => e.report_path !== undefined) ?? false;
    if ((!test.report && !regression) || done.has(file)) continue;
    done.add(file);
    const mine = results.filter((r) => r.file === file);
    const count = (v: TestResult['verdict']) => mine.filter((t) => t.verdict === v).length;
    const summary: RunSummary = {
      runId: '',
      startedAt: mine[0]?.startedAt ?? new Date().toISOString(),
      durationMs: mine.reduce((s, r) => s + r.durationMs, 0),
      passed: count('passed'),
      failed: count('failed'),
      errors: count('error'),
      skipped: count('skipped'),
      tests: mine,
    };
    const outputs: [string | undefined, string][] = [
      [test.report?.json, jsonReport(summary)],
      [test.report?.junit, junitReport(summary)],
      [test.report?.digest, `${traceDigest(mine)}\n`],
      [test.report?.cleanup_verification, engineReport(mine, 'cleanup')],
      [test.report?.isolation_report, engineReport(mine, 'isolation')],
      ...regressionReports(mine),
    ];
    const base = reportDir !== undefined ? resolve(cwd, reportDir) : dirname(resolve(cwd, file));
    for (const [path, text] of outputs) {
      if (!path) continue;
      const problem = await writeReport(base, path, text);
      if (problem !== undefined) problems.push(`${file}: ${problem}`);
    }
  }
  return problems;
}
