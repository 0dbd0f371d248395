// The seed's `[performance.regression.thresholds]` table (clnrm's book: `p95_latency_increase_max_percent =
// 15`, `fail_on_regression = true`), acted on as the threshold method: every span name of the execution
// against the scenario's baseline (`[performance] baseline_name`, or the newest), one percent limit per
// latency metric (an increase) and one for throughput (a decrease, ./regression-throughput.ts). The judging
// is `[[expect.regression]]`'s own (./regression.ts), so both say the same thing.
import type { Span } from '../model';
import { didYouMean } from '../spec/suggest';
import type { BaselineRecord } from './baseline';
import { compareWithBaseline, type RegressionLimit, type RegressionMetric, type RegressionOutcome } from './regression';

export type ThresholdsTable = Readonly<Record<string, number | boolean>>;

/** The result's name in reports: where in the file the limits came from. */
export const THRESHOLDS_EXPECTATION = 'performance.regression.thresholds';

const METRIC_KEYS: ReadonlyArray<readonly [string, RegressionMetric]> = [
  ['p50_latency_increase_max_percent', 'p50'],
  ['p95_latency_increase_max_percent', 'p95'],
  ['p99_latency_increase_max_percent', 'p99'],
  ['mean_latency_increase_max_percent', 'mean'],
  ['throughput_decrease_max_percent', 'throughput'],
];
export const THRESHOLD_KEYS: readonly string[] = [...METRIC_KEYS.map(([k]) => k), 'fail_on_regression'];

export interface ThresholdRules {
  readonly limits: readonly RegressionLimit[];
  readonly failOnRegression: boolean;
  /** Keys present that are not thresholds, each with why (for a validation warning). */
  readonly ignored: ReadonlyArray<{ readonly key: string; readonly why: string }>;
}

/** What the table asks for; `ignored` names keys that are not limits this layer can check. */
export function thresholdRules(table: ThresholdsTable): ThresholdRules {
  const limits: RegressionLimit[] = [];
  const ignored: Array<{ key: string; why: string }> = [];
  for (const [key, value] of Object.entries(table)) {
    const metric = METRIC_KEYS.find(([k]) => k === key)?.[1];
    // Values are checked by the schema (shared/spec/schema/v2.ts): a percent ≥ 0, or true/false.
    if (metric && typeof value === 'number') limits.push([metric, value]);
    else if (key !== 'fail_on_regression') ignored.push({ key, why: `is not a threshold${didYouMean(key, THRESHOLD_KEYS)} (known: ${THRESHOLD_KEYS.join(', ')})` });
  }
  return { limits, failOnRegression: table.fail_on_regression !== false, ignored };
}

/**
 * Judges one execution's spans against `baseline` with the table's limits (undefined baseline: not
 * compared, as `[[expect.regression]]`'s first run). Undefined when the table sets no limit.
 */
export function evaluateThresholds(table: ThresholdsTable, spans: readonly Span[], baseline: BaselineRecord | undefined, missing: string): RegressionOutcome | undefined {
  const rules = thresholdRules(table);
  if (rules.limits.length === 0) return undefined;
  return compareWithBaseline(THRESHOLDS_EXPECTATION, { fail_on_regression: rules.failOnRegression }, rules.limits, spans, baseline, missing);
}
