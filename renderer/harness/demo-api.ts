// DEMO back end for the harness page and the UI benchmark ONLY: a StudioApi over synthetic traces
// generated in the page. It is never used by the studio itself (main.tsx uses window.api), and the
// harness labels it on screen. Calls it cannot serve (tests, import, export) fail with
// 'ipc.unavailable' instead of pretending.
import type { Span } from '../../shared/model';
import type { CallArgs, CallName, StudioHandlers } from '../../shared/ipc/contract';
import { createStudioClient, toIpcError } from '../../shared/ipc/validate';
import { StudioError } from '../../shared/errors';
import { filterSummaries, serviceGraph, summarizeTraces, traceMatchesSpans } from '../../shared/trace';

function unavailable(): never {
  throw new StudioError({
    code: 'ipc.unavailable',
    message: 'The harness runs on synthetic demo data: it has no test runner, importer or exporter. Use `npm start` or `clnrm studio` for the real back end.',
  });
}

export function createDemoApi(traces: readonly (readonly Span[])[]) {
  const byId = new Map<string, readonly Span[]>();
  for (const spans of traces) if (spans.length > 0) byId.set(spans[0]!.traceId, spans);
  const summaries = traces.filter((t) => t.length > 0).flatMap((t) => summarizeTraces(t));
  let graph: ReturnType<typeof serviceGraph> | null = null;

  const handlers: StudioHandlers = {
    listTraces(q) {
      const spanFilter = q.service !== undefined || q.spanName !== undefined || q.attributes.length > 0;
      const candidates = spanFilter ? summaries.filter((s) => traceMatchesSpans(byId.get(s.traceId)!, q)) : summaries;
      return filterSummaries(candidates, q);
    },
    getTrace({ traceId }) {
      const spans = byId.get(traceId);
      if (!spans) throw new StudioError({ code: 'trace.invalid', message: `No trace ${traceId} in the demo data.` });
      return { traceId, spans: [...spans] };
    },
    serviceGraph() {
      graph ??= serviceGraph(traces.flat());
      return graph;
    },
    findTraceIds: ({ prefix }) => ({ traceIds: [...byId.keys()].filter((id) => id.startsWith(prefix.toLowerCase())).slice(0, 10) }),
    importFiles: unavailable,
    importUploadStart: unavailable,
    importUploadChunk: unavailable,
    importUploadFinish: unavailable,
    importUploadStatus: unavailable,
    importUploadCancel: unavailable,
    storeStatus: () => ({ empty: summaries.length === 0, traceCount: summaries.length, receiver: {} }),
    loadDemo: unavailable,
    exportTraces: unavailable,
    clearAll: unavailable,
    openFolder: unavailable,
    listTestFiles: unavailable,
    readTestFile: unavailable,
    validateFile: unavailable,
    testTopology: unavailable,
    runTest: unavailable,
    cancelRun: unavailable,
    // The harness runs nothing, so its history is empty.
    listRuns: () => ({ runs: [] }),
    perfHistory: ({ path }) => ({ testFile: path, runs: 0, spanNames: [], series: [] }),
    compareRuns: unavailable,
    runResources: unavailable,
    traceBottlenecks: unavailable,
    suggestionsForFile: unavailable,
    acceptSuggestions: unavailable,
    undoAccept: unavailable,
    rejectSuggestion: unavailable,
    // failures view
    listFailures: unavailable,
    runRepairs: unavailable,
    applyRepair: unavailable,
    undoRepair: unavailable,
    rejectRepair: unavailable,
    quarantineList: unavailable,
    chaosExperiment: unavailable,
    chaosPreview: unavailable,
    chaosSave: unavailable,
    chaosUndo: unavailable,
    // The harness runs nothing, so no fault was ever active.
    faultWindows: () => ({ windows: [], truncated: false }),
    chaosLiveStats: unavailable,
  };

  return createStudioClient(
    {
      async invoke(name: CallName, request: unknown) {
        try {
          const handler = handlers[name] as (r: CallArgs<CallName>) => unknown;
          return { ok: true, value: await handler(request as CallArgs<CallName>) };
        } catch (error) {
          return { ok: false, error: toIpcError(error) };
        }
      },
      subscribe: () => () => undefined,
    },
    // Checking a million spans against the schema would dominate what the harness measures; the
    // spans come straight from buildSpan() here.
    { validateResponse: (name) => name !== 'getTrace' },
  );
}
