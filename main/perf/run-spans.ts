// The spans a stored run (or some of its scenario executions) produced, read through the store the
// CLI and the studio share: `clnrm perf compare|bottlenecks|history` and the Performance view.
import type { Span } from '../../shared/model';
import type { StoreAccess } from '../host/remote-store';
import { executionIdOf } from '../store/schema';

/** Most traces read per run (a run of a test file stores a handful; a load test may store many). */
export const MAX_RUN_TRACES = 10_000;

export type SpanSource = Pick<StoreAccess, 'listTraces' | 'getSpans'>;

/** Every span of the traces the run stored (the system's and the runner's own). */
export async function spansOfRun(store: SpanSource, runId: string): Promise<Span[]> {
  const { traces } = await store.listTraces({ runId, limit: MAX_RUN_TRACES });
  return store.getSpans(traces.map((t) => t.traceId));
}

/**
 * The spans of these executions only: their traces may hold other executions' spans too (the
 * runner's `clnrm.run` trace holds every step of the run), so spans are kept by their own tag.
 */
export async function spansOfExecutions(store: SpanSource, executionIds: readonly string[]): Promise<Span[]> {
  if (executionIds.length === 0) return [];
  const wanted = new Set(executionIds);
  const { traces } = await store.listTraces({ executionIds, limit: MAX_RUN_TRACES });
  const spans = await store.getSpans(traces.map((t) => t.traceId));
  return spans.filter((s) => wanted.has(executionIdOf(s) ?? ''));
}
