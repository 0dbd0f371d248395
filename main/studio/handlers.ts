// The studio back end's answer to every call of the IPC contract (shared/ipc/contract.ts), shared
// by both transports: the Electron shell and the browser-mode WebSocket both go through
// `handleCall` (shared/ipc/validate.ts), which validates the request before a handler runs and
// the response before it leaves; errors leave as `{ code, message, details }`.
import { dirname, join } from 'node:path';
import { StudioError } from '../../shared/errors';
import type { CallArgs, CallResponse, StudioHandlers } from '../../shared/ipc/contract';
import { MAX_FAULT_WINDOWS } from '../../shared/ipc/fault-window-schema';
import { KNOWLEDGE_DIR, KnowledgeStore } from '../healing/knowledge-store';
import { verifyByRerun } from '../healing/verify';
import type { TraceStore } from '../store';
import { StudioChaos } from './chaos-experiments';
import { chaosLiveStats } from './chaos-live';
import { loadDemo } from './demo';
import { StudioFailures } from './failures';
import { compareStoredRuns, runResources, testHistory, traceBottlenecks } from './perf-queries';
import { listTestFiles, openFolder, readTestFile, testTopology, validateFile, type FolderPicker } from './test-files';
import { exportTraces, importTraceFiles } from './trace-files';
import { TraceUploads } from './trace-upload';
import { clearAll, getTrace, listRuns, listTraces, serviceGraph } from './trace-queries';
import { MEMORY_FILE, SuggestionMemory } from './suggestion-memory';
import { StudioSuggestions } from './suggestions';
import type { UserPaths } from './user-paths';

/** What the studio needs from the test runner (main/runner), kept narrow so it can be swapped in tests. */
export interface StudioRunner {
  /** Starts a run in the background; progress and the verdict arrive as events. */
  start(request: CallArgs<'runTest'>): Promise<CallResponse<'runTest'>>;
  /** False when no such run is going (finished or unknown). */
  cancel(runId: string): Promise<boolean>;
  /** Stops every run and removes what they created. */
  dispose(): Promise<void>;
}

export interface HandlerDeps {
  store: TraceStore;
  /** The folders and files the user chose: every path in a request must be one of them. */
  paths: UserPaths;
  env: Record<string, string | undefined>;
  /** The desktop's folder picker; absent in browser mode. */
  pickFolder?: FolderPicker;
  /** The OTLP receiver's addresses, shown to the user as where to send spans. */
  receiver?: { http?: string; grpc?: string };
  /** Where the first-start demo's sample traces and the example tests are; absent: loadDemo says so. */
  demo?: { samplesDir: string; examplesDir: string };
  runner: StudioRunner;
  /** Trace files arriving in chunks; the owner disposes it (a default one is made when absent). */
  uploads?: TraceUploads;
  /** Per Jaeger/Tempo request of the Suggestions panel (default: remote-sources' 15 s). */
  remoteTimeoutMs?: number;
}

export function createStudioHandlers(deps: HandlerDeps): StudioHandlers {
  const { store, paths, env } = deps;
  // Rejected and accepted suggestions live beside the trace database (in memory with a store in memory).
  const memory = new SuggestionMemory(store.path === ':memory:' ? undefined : join(dirname(store.path), MEMORY_FILE));
  const suggestions = new StudioSuggestions({ store, paths, env, memory, ...(deps.remoteTimeoutMs !== undefined ? { remoteTimeoutMs: deps.remoteTimeoutMs } : {}) });
  // The knowledge store `clnrm heal --data-dir` uses for this data folder (the studio's folder in memory).
  const knowledge = new KnowledgeStore(join(store.path === ':memory:' ? paths.resolve('.') : dirname(store.path), KNOWLEDGE_DIR));
  // Verification reruns are not cancellable from the page; the studio's quit waits for none of them.
  const verify = (file: string, text: string, runs: number) => verifyByRerun(file, text, runs, { env, signal: new AbortController().signal });
  const failures = new StudioFailures({ store, paths, knowledge, env, verify });
  const chaos = new StudioChaos({ paths, env });
  const uploads = deps.uploads ?? new TraceUploads(store);
  return {
    listTraces: (q) => uploads.markImporting(() => listTraces(store, q)),
    getTrace: (q) => getTrace(store, q),
    serviceGraph: (q) => serviceGraph(store, q),
    importFiles: (q) => importTraceFiles(store, q, paths),
    importUploadStart: (q) => uploads.start(q),
    importUploadChunk: (q) => uploads.chunk(q),
    importUploadFinish: (q) => uploads.finish(q),
    importUploadStatus: (q) => uploads.status(q),
    importUploadCancel: (q) => uploads.cancel(q),
    exportTraces: (q) => exportTraces(store, q),
    clearAll: () => clearAll(store),
    findTraceIds: async ({ prefix }) => ({ traceIds: await store.tracesWithIdPrefix(prefix, 10) }),
    storeStatus: async () => {
      const { total } = await store.listTraces({ limit: 1 });
      return { empty: total === 0, traceCount: total, receiver: deps.receiver ?? {} };
    },
    loadDemo: () => {
      if (!deps.demo) throw new StudioError({ code: 'io.read', message: 'This studio was started without the bundled samples; import trace files instead.' });
      return loadDemo(store, deps.demo.samplesDir, deps.demo.examplesDir);
    },
    openFolder: (q) => openFolder(q, paths, deps.pickFolder),
    listTestFiles: (q) => listTestFiles(q, paths),
    readTestFile: (q) => readTestFile(q, paths),
    validateFile: (q) => validateFile(q, paths, env),
    testTopology: (q) => testTopology(q, paths, env),
    runTest: async (q) => deps.runner.start({ ...q, path: await paths.check(q.path, 'The test file') }),
    cancelRun: async ({ runId }) => ({ cancelled: await deps.runner.cancel(runId) }),
    listRuns: (q) => listRuns(store, q),
    perfHistory: (q) => testHistory(store, q),
    compareRuns: (q) => compareStoredRuns(store, q),
    runResources: (q) => runResources(store, q),
    traceBottlenecks: (q) => traceBottlenecks(store, q),
    suggestionsForFile: (q) => suggestions.forFile(q),
    acceptSuggestions: (q) => suggestions.accept(q),
    undoAccept: (q) => suggestions.undo(q),
    rejectSuggestion: (q) => suggestions.reject(q),
    // failures view
    listFailures: (q) => failures.list(q),
    runRepairs: (q) => failures.repairs(q),
    applyRepair: (q) => failures.apply(q),
    undoRepair: (q) => failures.undo(q),
    rejectRepair: (q) => failures.reject(q),
    quarantineList: () => failures.quarantine(),
    // chaos view
    chaosExperiment: (q) => chaos.experiment(q),
    chaosPreview: (q) => chaos.preview(q),
    chaosSave: (q) => chaos.save(q),
    chaosUndo: (q) => chaos.undo(q),
    // fault windows
    faultWindows: (q) => store.faultWindows({ ...q, limit: MAX_FAULT_WINDOWS }),
    // chaos live stats
    chaosLiveStats: (q) => chaosLiveStats(store, q),
  };
}
