// Where the Suggestions panel's runs come from: a test file's stored executions (learned from when the
// source is `runs`, always previewed), traces in the store (each trace one run: its execution's system
// spans when it carries one, else its own spans without the runner's), or a Jaeger / Tempo query API
// through the same code as `clnrm suggest --from` (main/intelligence/remote-sources.ts).
import { StudioError, formatProblem } from '../../shared/errors';
import type { MiningRun } from '../../shared/intelligence';
import type { SuggestionLearnSource } from '../../shared/ipc/contract';
import type { Span } from '../../shared/model';
import type { StoreAccess } from '../host/remote-store';
import { parseRemoteSource, runsFromRemote } from '../intelligence/remote-sources';
import { executionSpans, executionTag } from '../intelligence/sources';
import { RUNNER_SCOPE } from '../runner/self-trace';

export interface StoredExecution {
  executionId: string;
  runId: string;
  verdict: string;
  startedAt: number;
  spans: Span[];
}

/** What one source gave to learn from. */
export interface LearnedRuns {
  runs: MiningRun[];
  notes: string[];
  description: string;
  /** False when the runs' spans are not in the store (Jaeger/Tempo): their evidence cannot open in the waterfall. */
  evidenceInStore: boolean;
  /** Only this service's spans are mined (the remote source's service, as `clnrm suggest --from --service`). */
  service?: string;
}

export type SourceKind = SuggestionLearnSource['kind'];

/** Stored runs the preview covers when the panel learns from another source (`runs`' default). */
export const PREVIEW_RUNS = 20;

/** Finished executions of `file` in its last `count` stored runs, newest first, with the system's spans. */
export async function storedExecutions(store: StoreAccess, file: string, count: number): Promise<StoredExecution[]> {
  const out: StoredExecution[] = [];
  for (const { executions } of await store.listRuns({ testFile: file, limit: count })) {
    for (const e of executions) {
      // Still running: its spans are not all in yet.
      if (e.testFile !== file || e.verdict === undefined) continue;
      out.push({ executionId: e.id, runId: e.runId, verdict: e.verdict, startedAt: e.startedAt, spans: await executionSpans(store, e.id) });
    }
  }
  return out;
}

/** A stored trace as one run: its execution (all its traces) when it carries one, else its own system spans. */
export async function storedTraceRun(store: StoreAccess, traceId: string, known: readonly StoredExecution[]): Promise<{ executionId?: string; spans: Span[] }> {
  const spans = await store.getTrace(traceId);
  if (spans.length === 0) throw new StudioError({ code: 'trace.not-found', message: `No trace ${traceId} in the store (it may have been cleared); open or pick another trace.`, details: { traceId } });
  const executionId = spans.map(executionTag).find((id) => id !== undefined);
  if (executionId === undefined) return { spans: spans.filter((s) => s.scope.name !== RUNNER_SCOPE) };
  const stored = known.find((e) => e.executionId === executionId)?.spans;
  return { executionId, spans: stored ?? (await executionSpans(store, executionId)) };
}

/** Trace ids named (by their first 8 characters, as the UI shows them) in what the panel learned from. */
const SHOWN_TRACE_IDS = 3;

async function fromTraces(store: StoreAccess, traceIds: readonly string[], known: readonly StoredExecution[]): Promise<LearnedRuns> {
  const runs: MiningRun[] = [];
  const notes: string[] = [];
  const byRun = new Map<string, string>();
  for (const traceId of traceIds) {
    const { executionId, spans } = await storedTraceRun(store, traceId, known);
    const id = executionId ?? traceId;
    const first = byRun.get(id);
    if (first !== undefined) notes.push(`Trace ${traceId.slice(0, 8)} is of the same execution as ${first.slice(0, 8)} (one run); counted once.`);
    else if (spans.length === 0) notes.push(`Trace ${traceId.slice(0, 8)} has only the runner's own spans; left out.`);
    else {
      byRun.set(id, traceId);
      runs.push({ id, spans });
    }
  }
  const shown = traceIds.slice(0, SHOWN_TRACE_IDS).map((id) => id.slice(0, 8));
  const description = `${traceIds.length} trace${traceIds.length === 1 ? '' : 's'} from the store (${shown.join(', ')}${traceIds.length > SHOWN_TRACE_IDS ? ', …' : ''})`;
  return { runs, notes, description, evidenceInStore: true };
}

async function fromRemote(source: Extract<SuggestionLearnSource, { kind: 'remote' }>, timeoutMs: number | undefined): Promise<LearnedRuns> {
  const remote = parseRemoteSource(`${source.system}:${source.url}`);
  const loaded = await runsFromRemote(remote, { service: source.service, limit: source.limit, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
  const shown = `${source.system} ${remote.base.origin}${remote.base.pathname.replace(/\/$/, '')}`;
  return {
    runs: loaded.runs,
    notes: [
      ...loaded.warnings.map((w) => formatProblem(w)),
      ...loaded.notes,
      ...(loaded.runs.length > 0 ? [`Evidence is shown as span ids: the ${source.system === 'jaeger' ? 'Jaeger' : 'Tempo'} traces are not in the store (nothing fetched is kept).`] : []),
    ],
    description: `${shown}: ${loaded.runs.length} trace${loaded.runs.length === 1 ? '' : 's'} of ${source.service}`,
    evidenceInStore: false,
    service: source.service,
  };
}

/** The runs to learn from; `executions` are the file's stored ones (the `runs` source learns from their passed ones). */
export async function learnFrom(store: StoreAccess, source: SuggestionLearnSource, executions: readonly StoredExecution[], remoteTimeoutMs?: number): Promise<LearnedRuns> {
  if (source.kind === 'traces') return fromTraces(store, source.traceIds, executions);
  if (source.kind === 'remote') return fromRemote(source, remoteTimeoutMs);
  // A failed execution shows what the test is against: learning from it would teach the failure.
  const runs = executions.filter((e) => e.verdict === 'passed' && e.spans.length > 0).map((e) => ({ id: e.executionId, spans: e.spans }));
  return { runs, notes: [], description: `the passed runs of the last ${source.runs} stored`, evidenceInStore: true };
}
