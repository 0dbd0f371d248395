// Gathers what the classifier reads about one finished execution — its evidence, its spans still in the
// store, its container stats, the verdicts of earlier executions of the same test and scenario from the
// run history — and records the verdict with the execution's history record.
import { classify, HISTORY_WINDOW, type Classification, type ClassifierPattern, type DeterminismFinding } from '../../shared/healing';
import type { VerdictValue } from '../../shared/run';
import type { TraceStore } from '../store';
import { executionOutcome, recordQuietly, statsRows } from '../runner/history';
import { executionSpans } from '../runner/span-wait';
import type { ScenarioExecution } from '../runner/types';

export interface ExecutionContext {
  readonly store: TraceStore;
  /** The test file as the runner recorded it, the test's name and the scenario. */
  readonly file: string;
  readonly testName: string;
  readonly scenario: string;
}

export interface TestHistory {
  /** Verdicts, oldest first. */
  readonly verdicts: VerdictValue[];
  /** The expectation results of the same executions. */
  readonly expectations: { expectation: string; passed: boolean }[][];
}

/** Earlier executions of this test file, test and scenario, oldest first (not `exclude`). */
export async function testHistory(ctx: ExecutionContext, exclude: ReadonlySet<string>): Promise<TestHistory> {
  const runs = await ctx.store.listRuns({ testFile: ctx.file, testName: ctx.testName, limit: HISTORY_WINDOW });
  const executions = runs
    .flatMap((r) => r.executions)
    .filter((e) => e.testName === ctx.testName && e.scenario === ctx.scenario && !exclude.has(e.id) && e.verdict !== undefined)
    .sort((a, b) => a.startedAt - b.startedAt)
    .slice(-HISTORY_WINDOW);
  return {
    verdicts: executions.map((e) => e.verdict!),
    expectations: executions.map((e) => (e.evidence?.expectations ?? []).map((x) => ({ expectation: x.expectation, passed: x.passed }))),
  };
}

export interface ClassifyOptions {
  readonly patterns: readonly ClassifierPattern[];
  readonly determinism?: DeterminismFinding;
  readonly notReproduced?: boolean;
  /** Executions of this run not to count as history (the attempts of this very execution). */
  readonly exclude?: ReadonlySet<string>;
}

export async function classifyExecution(ctx: ExecutionContext, execution: ScenarioExecution, options: ClassifyOptions): Promise<Classification> {
  const history = await testHistory(ctx, new Set([execution.runId, ...(options.exclude ?? [])])).catch(() => undefined);
  return classify({
    verdict: execution.verdict,
    evidence: execution,
    spans: executionSpans(ctx.store, execution.runId),
    stats: statsRows(execution.runId, execution.stats ?? []),
    patterns: options.patterns,
    ...(history ? { history: history.verdicts, expectationHistory: history.expectations } : {}),
    ...(options.determinism ? { determinism: options.determinism } : {}),
    ...(options.notReproduced ? { notReproduced: true } : {}),
  });
}

/** Keeps the classification (and the attempts before) in the execution's history record. */
export async function recordClassification(store: TraceStore, execution: ScenarioExecution, warn: (message: string) => void): Promise<void> {
  const evidence = executionOutcome(execution).evidence!;
  const patch = { ...evidence, ...(execution.classification ? { classification: execution.classification } : {}), ...(execution.healing ? { healing: execution.healing } : {}) };
  await recordQuietly(`the classification of ${execution.runId}`, () => store.finishExecution(execution.runId, { evidence: patch }), warn);
}
