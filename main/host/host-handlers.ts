// What the studio answers to CLI commands through its store host (./host-server.ts), over its own
// store: the same TraceStore the pages read, so spans a `clnrm run` sends reach the pages as
// `spansAdded` (the store's subscription, main/studio/events.ts) and each history write is announced
// as `runsChanged` so the Tests view re-reads the run history.
import type { EventHub } from '../studio/events';
import type { TraceStore } from '../store';
import type { HostHandlers } from '../../shared/ipc/host-api';
import { HOST_API_VERSION } from '../../shared/ipc/host-api';

export function createHostHandlers(store: TraceStore, hub: EventHub, dataDir: string): HostHandlers {
  const changed = (runId: string): void => void hub.emit('runsChanged', { runId });
  return {
    hello: async () => ({ version: HOST_API_VERSION, pid: process.pid, dataDir, path: store.path }),
    listTraces: (query) => store.listTraces(query),
    getTrace: async ({ traceId }) => ({ spans: await store.getTrace(traceId) }),
    tracesWithIdPrefix: async ({ prefix, limit }) => ({ ids: await store.tracesWithIdPrefix(prefix, limit) }),
    listRuns: async (query) => ({ runs: await store.listRuns(query) }),
    getRun: async ({ id }) => {
      const run = await store.getRun(id);
      return run === undefined ? {} : { run };
    },
    getSpans: async ({ traceIds }) => ({ spans: await store.getSpans(traceIds) }),
    importFile: ({ path }) => store.importFile(path),
    exportTraces: ({ ids, format }) => store.exportTraces(ids, format),
    ingest: async ({ spans, wire }) => {
      // The bytes as the CLI encoded them are stored as they are, as the receiver does.
      store.ingest(spans, wire);
      // Answered once durable, as the receiver answers an SDK: the run may end right after.
      await store.commit();
      return { stored: spans.length };
    },
    recordRun: async (run) => {
      await store.recordRun(run);
      changed(run.id);
      return {};
    },
    finishRun: async ({ id, patch }) => {
      const run = await store.finishRun(id, patch);
      changed(id);
      return run;
    },
    recordExecution: async (execution) => {
      await store.recordExecution(execution);
      changed(execution.runId);
      return {};
    },
    finishExecution: async ({ id, patch }) => {
      const execution = await store.finishExecution(id, patch);
      changed(execution.runId);
      return execution;
    },
    addContainerStats: async ({ rows }) => {
      await store.addContainerStats(rows);
      return {};
    },
    saveBaseline: async (baseline) => {
      await store.saveBaseline(baseline);
      return {};
    },
    listBaselines: async (query) => ({ baselines: await store.listBaselines(query) }),
    deleteBaseline: async ({ id }) => ({ deleted: await store.deleteBaseline(id) }),
  };
}
