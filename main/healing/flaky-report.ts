// `clnrm flaky`'s data: every test's flakiness score (and each expectation's) from the run history in
// the store, with its quarantine state from the knowledge store. Scores are over the last
// HISTORY_WINDOW executions of each test file, test and scenario.
import { expectationFlakiness, flakinessOf, HISTORY_WINDOW, isFlaky, outcomeOf, type ExpectationFlakiness, type Flakiness, type Outcome } from '../../shared/healing';
import type { KnowledgeOf } from '../../shared/healing/knowledge';
import type { ExecutionRecord } from '../../shared/run/records';
import type { RunHistoryEntry } from '../store';
import type { KnowledgeStore } from './knowledge-store';

export interface FlakyTest extends Flakiness {
  readonly file: string;
  readonly test: string;
  readonly scenario: string;
  readonly flaky: boolean;
  /** Oldest first, `P`/`F`. */
  readonly outcomes: string;
  readonly quarantine: KnowledgeOf<'quarantine'>['tests'][number] | null;
  readonly expectations: ExpectationFlakiness[];
}

/** Runs read to find the tests' windows (newest first). */
export const FLAKY_RUNS_READ = 500;

export function flakyTests(runs: readonly RunHistoryEntry[], knowledge: KnowledgeStore, quarantine: KnowledgeOf<'quarantine'>): FlakyTest[] {
  const groups = new Map<string, ExecutionRecord[]>();
  for (const e of runs.flatMap((r) => r.executions)) {
    const key = `${e.testFile}\u0000${e.testName}\u0000${e.scenario}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const out: FlakyTest[] = [];
  for (const executions of groups.values()) {
    const window = executions.filter((e) => e.verdict !== undefined && outcomeOf(e.verdict)).sort((a, b) => a.startedAt - b.startedAt).slice(-HISTORY_WINDOW);
    if (window.length === 0) continue;
    const first = window[0]!;
    const outcomes = window.map((e) => outcomeOf(e.verdict!)) as Outcome[];
    const seen = flakinessOf(outcomes);
    const file = knowledge.testFile(first.testFile);
    out.push({
      file,
      test: first.testName,
      scenario: first.scenario,
      ...seen,
      flaky: isFlaky(seen),
      outcomes: outcomes.map((o) => (o === 'pass' ? 'P' : 'F')).join(''),
      quarantine: quarantine.tests.find((q) => q.file === file && q.test === first.testName) ?? null,
      expectations: expectationFlakiness(window.map((e) => (e.evidence?.expectations ?? []).map((x) => ({ expectation: x.expectation, passed: x.passed })))),
    });
  }
  return out.sort((a, b) => b.score - a.score || b.failureRate - a.failureRate || a.file.localeCompare(b.file));
}

/** One line per test, flakiest first; flipping expectations indented below. */
export function flakyLines(tests: readonly FlakyTest[]): string[] {
  const lines: string[] = [];
  for (const t of tests) {
    const state = t.quarantine ? `  QUARANTINED since ${t.quarantine.since} (${t.quarantine.consecutivePasses} passes in a row)` : t.flaky ? '  flaky' : '';
    lines.push(`${t.score.toFixed(2)}  ${t.outcomes.padEnd(HISTORY_WINDOW)}  ${t.test} › ${t.scenario}  (${t.file})  ${t.failures}/${t.runs} failed, ${t.flips} flips${state}`);
    for (const e of t.expectations.filter((x) => x.flips > 0)) lines.push(`      ${e.score.toFixed(2)}  expectation ${e.expectation}: ${e.failures}/${e.runs} failed, ${e.flips} flips`);
  }
  return lines;
}
