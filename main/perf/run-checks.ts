// The runner's performance judgement of one execution: `[[expect.performance]]` over its spans and
// container stats, `[[expect.regression]]` against the baseline each entry names (looked up in the store),
// and `[performance.regression.thresholds]` against `[performance] baseline_name` (or the newest baseline).
// Each regression entry also gives a report row (what `report_path` files hold).
import { toProblem } from '../../shared/errors';
import type { ExpectationResult } from '../../shared/expect';
import type { Span } from '../../shared/model';
import { evaluatePerformance, type StatsSample } from '../../shared/perf/performance-checks';
import type { TimeWindow } from '../../shared/perf/throughput';
import { evaluateRegression, type RegressionFinding } from '../../shared/perf/regression';
import { evaluateThresholds } from '../../shared/perf/regression-thresholds';
import type { TestFile } from '../../shared/spec';
import { findBaseline, type BaselineStore } from './baselines';

/** One `[[expect.regression]]` entry judged for one execution. */
export interface RegressionCheck {
  /** Index of the entry in the file's `[[expect.regression]]`. */
  readonly index: number;
  readonly reportPath?: string;
  readonly baseline?: { readonly id: string; readonly name?: string; readonly commit?: string; readonly capturedAt: number; readonly runId: string };
  readonly passed: boolean;
  readonly message: string;
  readonly findings: RegressionFinding[];
}

export interface PerformanceJudgement {
  readonly results: ExpectationResult[];
  readonly regressions: RegressionCheck[];
}

/** Whether the file asks for anything the performance layer judges. */
export function wantsPerformanceChecks(test: TestFile): boolean {
  return (test.expect?.performance?.length ?? 0) > 0 || (test.expect?.regression?.length ?? 0) > 0 || test.performance?.regression?.thresholds !== undefined;
}

/** Whether a `resource_limits` bound needs container stats sampled during the steps. */
export function wantsResourceSamples(test: TestFile): boolean {
  return (test.expect?.performance ?? []).some((e) => e.type.toLowerCase() === 'resource_limits');
}

/** From the first step's start to the last step's end, read from the runner's own `clnrm.step:<name>` spans. */
export function stepsWindow(runnerSpans: readonly Span[]): TimeWindow | undefined {
  let startUs = Infinity;
  let endUs = -Infinity;
  for (const s of runnerSpans) {
    if (!s.name.startsWith('clnrm.step:')) continue;
    startUs = Math.min(startUs, s.startUs);
    endUs = Math.max(endUs, s.startUs + s.durationUs);
  }
  return startUs <= endUs ? { startUs, endUs } : undefined;
}

export async function judgePerformance(store: BaselineStore, test: TestFile, scenario: string, spans: readonly Span[], stats: readonly StatsSample[], steps?: TimeWindow): Promise<PerformanceJudgement> {
  const results = evaluatePerformance(test.expect?.performance ?? [], { spans, stats, ...(steps ? { steps } : {}) });
  const lookUp = async (compareTo: string | undefined): Promise<Awaited<ReturnType<typeof findBaseline>>> => {
    try {
      return await findBaseline(store, test.name, scenario, compareTo);
    } catch (error) {
      return { missing: `the baselines could not be read (${toProblem(error).message})` };
    }
  };
  const thresholds = test.performance?.regression?.thresholds;
  if (thresholds) {
    const found = await lookUp(test.performance?.baseline_name);
    const outcome = evaluateThresholds(thresholds, spans, found.baseline, found.missing);
    if (outcome) results.push(outcome.result);
  }
  const regressions: RegressionCheck[] = [];
  for (const [index, e] of (test.expect?.regression ?? []).entries()) {
    const found = await lookUp(e.compare_to_baseline);
    const { result, findings } = evaluateRegression(e, index, spans, found.baseline, found.missing);
    results.push(result);
    const b = found.baseline;
    regressions.push({
      index,
      ...(e.report_path !== undefined ? { reportPath: e.report_path } : {}),
      ...(b ? { baseline: { id: b.id, ...(b.name ? { name: b.name } : {}), ...(b.commit ? { commit: b.commit } : {}), capturedAt: b.capturedAt, runId: b.runId } } : {}),
      passed: result.passed,
      message: result.message,
      findings,
    });
  }
  return { results, regressions };
}
