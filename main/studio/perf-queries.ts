// The Performance view's questions answered from the trace store: a test's history (main/perf/history),
// two runs compared per operation, a run's container samples and a trace's bottlenecks.
import { StudioError } from '../../shared/errors';
import type { CallArgs, CallResponse } from '../../shared/ipc/contract';
import { MAX_RESOURCE_SAMPLES } from '../../shared/ipc/perf-schema';
import type { Span } from '../../shared/model';
import { analyseBottlenecks } from '../../shared/perf/bottlenecks';
import { runDistributions } from '../../shared/perf/distributions';
import { perfHistory } from '../perf/history';
import { spansOfExecutions, spansOfRun } from '../perf/run-spans';
import type { RunHistoryEntry, TraceStore } from '../store';

export function testHistory(store: TraceStore, q: CallArgs<'perfHistory'>): Promise<CallResponse<'perfHistory'>> {
  return perfHistory(store, { testFile: q.path, scenario: q.scenario, span: q.span, metric: q.metric, limit: q.limit });
}

async function storedRun(store: TraceStore, id: string): Promise<RunHistoryEntry> {
  const run = await store.getRun(id);
  if (!run) throw new StudioError({ code: 'store.not-found', message: `No stored run ${id}: it may have been cleared. Pick a run from the history.`, details: { runId: id } });
  return run;
}

/** The run's spans; with a test file, only its executions of that file (a run may run several files). */
async function spansFor(store: TraceStore, id: string, testFile: string | undefined): Promise<Span[]> {
  const run = await storedRun(store, id);
  if (testFile === undefined) return spansOfRun(store, id);
  return spansOfExecutions(store, run.executions.filter((e) => e.testFile === testFile).map((e) => e.id));
}

export async function compareStoredRuns(store: TraceStore, q: CallArgs<'compareRuns'>): Promise<CallResponse<'compareRuns'>> {
  const before = await spansFor(store, q.before, q.path);
  const after = await spansFor(store, q.after, q.path);
  const r = runDistributions(before, after);
  return { operations: r.operations.map((o) => ({ ...o, edges: [...o.edges], beforeCounts: [...o.beforeCounts], afterCounts: [...o.afterCounts] })), onlyBefore: [...r.onlyBefore], onlyAfter: [...r.onlyAfter] };
}

export async function runResources(store: TraceStore, q: CallArgs<'runResources'>): Promise<CallResponse<'runResources'>> {
  const entry = await storedRun(store, q.runId);
  const samples = (await Promise.all(entry.executions.map((e) => store.containerStats(e.id)))).flat().sort((a, b) => a.at - b.at);
  return {
    runId: entry.run.id,
    startedAt: entry.run.startedAt,
    ...(entry.run.endedAt !== undefined ? { endedAt: entry.run.endedAt } : {}),
    // The newest samples are the ones cut: a run longer than this is unusual and its start is what aligns.
    samples: samples.slice(0, MAX_RESOURCE_SAMPLES),
  };
}

export async function traceBottlenecks(store: TraceStore, q: CallArgs<'traceBottlenecks'>): Promise<CallResponse<'traceBottlenecks'>> {
  const spans = await store.getTrace(q.traceId);
  if (spans.length === 0) throw new StudioError({ code: 'trace.not-found', message: `No stored trace ${q.traceId}.`, details: { traceId: q.traceId } });
  const report = analyseBottlenecks(spans, q.top);
  const trace = report.traces[0]!;
  const op = (s: (typeof report.slowest)[number]) => ({ ...s, evidence: [...s.evidence] });
  return {
    traceId: trace.traceId,
    durationUs: trace.durationUs,
    criticalPath: trace.criticalPath.map((c) => ({ ...c })),
    slowest: report.slowest.map(op),
    highestVariance: report.highestVariance.map(op),
    recommendations: report.recommendations.map((r) => ({ kind: r.kind, message: r.message, savingUs: r.savingUs, evidence: [...r.evidence] })),
  };
}
