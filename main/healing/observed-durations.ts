// The observed distribution behind the duration-bound repair: for each failed `[[expect.span]]` with a
// `duration_ms.max`, the durations of the spans it names in the last executions of the same test and
// scenario (the failed one included), read from the store's run history and spans.
import { nameMatcher } from '../../shared/expect/trace-index';
import { HISTORY_WINDOW, type ObservedDurations } from '../../shared/healing';
import type { ExecutionRecord } from '../../shared/run/records';
import type { TestFile } from '../../shared/spec';
import { spansOfExecutions, type SpanSource } from '../perf/run-spans';
import { isRunnerSpan } from '../runner/self-trace';
import type { TraceStore } from '../store';
import { executionIdOf } from '../store/schema';

export type DurationSource = SpanSource & Pick<TraceStore, 'listRuns'>;

/** `expect.span[i]` results that failed and bound a duration, with the span name each one names. */
function failedDurationRules(e: ExecutionRecord, test: TestFile): { expectation: string; name: string }[] {
  const rules = test.expect?.span === undefined ? [] : Array.isArray(test.expect.span) ? test.expect.span : [test.expect.span];
  return (e.evidence?.expectations ?? []).flatMap((x) => {
    const m = x.passed ? null : /^expect\.span\[(\d+)\]$/.exec(x.expectation);
    const rule = m ? rules[Number(m[1])] : undefined;
    return rule?.duration_ms?.max !== undefined ? [{ expectation: x.expectation, name: rule.name }] : [];
  });
}

/** The last executions of `e`'s test and scenario, oldest first, `e` last among them. */
async function recentExecutions(store: DurationSource, e: ExecutionRecord): Promise<string[]> {
  const runs = await store.listRuns({ testFile: e.testFile, testName: e.testName, limit: HISTORY_WINDOW });
  return runs
    .flatMap((r) => r.executions)
    .filter((x) => x.testName === e.testName && x.scenario === e.scenario && x.verdict !== undefined && x.startedAt <= e.startedAt)
    .sort((a, b) => a.startedAt - b.startedAt)
    .slice(-HISTORY_WINDOW)
    .map((x) => x.id);
}

export async function observedDurations(store: DurationSource, e: ExecutionRecord, test: TestFile | undefined): Promise<ObservedDurations[]> {
  const rules = test ? failedDurationRules(e, test) : [];
  if (rules.length === 0) return [];
  const ids = await recentExecutions(store, e);
  const byExecution = new Map<string, { name: string; ms: number }[]>(ids.map((id) => [id, []]));
  for (const span of await spansOfExecutions(store, ids)) {
    if (!isRunnerSpan(span)) byExecution.get(executionIdOf(span) ?? '')?.push({ name: span.name, ms: span.durationUs / 1000 });
  }
  return rules.map(({ expectation, name }) => {
    const matches = nameMatcher(name);
    return { expectation, executions: ids.map((id) => byExecution.get(id)!.filter((s) => matches(s.name)).map((s) => s.ms)) };
  });
}
