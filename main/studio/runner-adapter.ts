// Turns the runner's RunSummary into the `runFinished` payload's verdicts and trace list. The runner
// names evidence by span id only; the UI needs to know which trace to open, so every evidence id is
// looked up among the spans of its execution (the execution id tags them in the store): first
// in the session's memory index, then, for ids that index no longer holds, in the stored traces of
// that execution. Ids found in neither (the runner's own self-trace spans, pruned data) are left out.
import { MAX_EVIDENCE_PER_VERDICT, MAX_RUN_EXECUTIONS, MAX_RUN_TRACES, type EvidenceSpan, type Verdict } from '../../shared/ipc/contract';
import type { Span } from '../../shared/model';
import type { RunSummary, ScenarioExecution } from '../runner';
import { determinismDifferences, determinismLine } from '../runner/reports';

/** What the adapter reads from the store (a TraceStore satisfies it). */
export interface EvidenceStore {
  liveSpans(query?: { executionId?: string }): Span[];
  listTraces(query: { executionId: string; limit: number }): Promise<{ traces: Array<{ traceId: string }> }>;
  getSpans(traceIds: readonly string[]): Promise<Span[]>;
}

interface Located {
  traceId: string;
  name: string;
}

/** Where each span of one execution is, and which traces it produced. */
async function locate(store: EvidenceStore, execution: ScenarioExecution): Promise<{ spans: Map<string, Located>; traceIds: string[] }> {
  const spans = new Map<string, Located>();
  const traceIds = new Set<string>();
  const add = (list: readonly Span[]) => {
    for (const s of list) {
      traceIds.add(s.traceId);
      if (!spans.has(s.spanId)) spans.set(s.spanId, { traceId: s.traceId, name: s.name });
    }
  };
  add(store.liveSpans({ executionId: execution.runId }));
  const wanted = execution.expectations.flatMap((e) => e.spans);
  if (wanted.some((id) => !spans.has(id)) || (traceIds.size === 0 && execution.spanCount > 0)) {
    // The memory index is bounded and may have evicted this execution's traces: ask the store itself.
    try {
      const { traces } = await store.listTraces({ executionId: execution.runId, limit: MAX_RUN_TRACES });
      const missing = traces.map((t) => t.traceId).filter((id) => !traceIds.has(id));
      if (missing.length > 0) add(await store.getSpans(missing));
    } catch {
      // The store cannot answer (closing, disk error): the verdicts still go out, with the evidence found so far.
    }
  }
  return { spans, traceIds: [...traceIds] };
}

function evidenceOf(ids: readonly string[], spans: ReadonlyMap<string, Located>, fallbackNames: Readonly<Record<string, string>>): EvidenceSpan[] {
  const out: EvidenceSpan[] = [];
  for (const spanId of ids) {
    const at = spans.get(spanId);
    if (!at) continue;
    out.push({ traceId: at.traceId, spanId, name: fallbackNames[spanId] ?? at.name });
    if (out.length >= MAX_EVIDENCE_PER_VERDICT) break;
  }
  return out;
}

/**
 * The verdict list of `runFinished` (each test, then each failed step and each expectation of each
 * scenario execution, expectations with their evidence spans) and the traces the run produced.
 */
export async function runOutcome(summary: RunSummary, store: EvidenceStore): Promise<{ verdicts: Verdict[]; traceIds: string[]; executionIds: string[] }> {
  const verdicts: Verdict[] = [];
  const traceIds = new Set<string>();
  const executionIds: string[] = [];
  for (const test of summary.tests) {
    const why = test.problems[0]?.message ?? test.executions.flatMap((e) => e.problems)[0]?.message ?? test.verdict;
    verdicts.push({ name: test.name, kind: 'test', passed: test.verdict === 'passed', message: test.verdict === 'passed' ? 'passed' : why, evidence: [] });
    for (const execution of test.executions) {
      const where = execution.iteration > 1 ? `${execution.scenario} #${execution.iteration}` : execution.scenario;
      if (executionIds.length < MAX_RUN_EXECUTIONS) executionIds.push(execution.runId);
      const located = await locate(store, execution);
      for (const id of located.traceIds) if (traceIds.size < MAX_RUN_TRACES) traceIds.add(id);
      for (const step of execution.steps) {
        if (step.verdict !== 'passed') verdicts.push({ name: `${where} › step ${step.name}`, kind: 'step', passed: false, message: step.message ?? step.verdict, evidence: [] });
      }
      for (const e of execution.expectations) {
        verdicts.push({ name: `${where} › ${e.expectation}`, kind: 'expectation', passed: e.passed, message: e.message, evidence: evidenceOf(e.spans, located.spans, execution.spanNames) });
      }
    }
    for (const d of test.determinism ?? []) {
      const message = [determinismLine(d), ...(d.passed ? [] : determinismDifferences(d, 3))].join('; ');
      verdicts.push({ name: 'determinism', kind: 'determinism', passed: d.passed, message, evidence: [] });
    }
  }
  return { verdicts, traceIds: [...traceIds], executionIds };
}
