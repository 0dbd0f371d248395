// Tests slice: the opened folder, its test files, validation results, the runs started here (their typed
// run events as they arrive, then the verdict) and the run history the store keeps across restarts.
import type { StateCreator } from 'zustand';
import type { CallResponse, EventPayload, StudioApi } from '../../../shared/ipc/contract';
import type { RunEvent } from '../../../shared/run/events';
import { toProblem } from '../../../shared/errors';
import type { Problem } from '../../../shared/errors';
import type { StudioStore } from '../../app/store';
import { hostAccessRequest, rememberConfirmed, type HostAccessRequest } from './host-access-consent';

export type TestFile = CallResponse<'listTestFiles'>['files'][number];
export type Validation = CallResponse<'validateFile'>;
export type RunHistoryEntry = CallResponse<'listRuns'>['runs'][number];
export interface RunState {
  runId: string;
  file: string;
  /** The run's events so far, the last MAX_RUN_EVENTS of them. */
  events: RunEvent[];
  finished: EventPayload<'runFinished'> | null;
}

/** Events kept per run: enough for the progress line and a timeline; a long run drops its oldest. */
export const MAX_RUN_EVENTS = 500;
/** Runs of history the Tests view asks for. */
export const HISTORY_LIMIT = 100;

export interface TestsSlice {
  testFolder: string | null;
  testFiles: readonly TestFile[];
  testsProblem: Problem | null;
  validations: Readonly<Record<string, Validation>>;
  runs: Readonly<Record<string, RunState>>;
  /** Stored runs, newest first (`listRuns`); includes finished runs started here and by `clnrm run`. */
  runHistory: readonly RunHistoryEntry[];
  /** True while a folder's file list is being read. */
  testsLoading: boolean;
  /**
   * Runs waiting for the user's "Run anyway": the files among them that mount host paths and were not
   * confirmed with their current content (`files`), and every file the Run or Run all asked for (`paths`).
   */
  hostAccessPending: { files: readonly HostAccessRequest[]; paths: readonly string[] } | null;
  /** The test file whose source is shown (and which a link names), and the run a link names. */
  testSelection: { file: string | null; runId: string | null };
  selectTest(selection: { file: string | null; runId: string | null }): void;
  /** "Run anyway": remembers each listed file's content as confirmed and starts the pending runs. */
  confirmHostAccess(api: StudioApi): Promise<void>;
  /** "Cancel": starts none of the pending runs. */
  cancelHostAccess(): void;
  /** Asks for a folder (the desktop's picker; browser mode uses the studio's working folder) and lists it. */
  openTestFolder(api: StudioApi): Promise<void>;
  /**
   * Opens a named folder (typed in browser mode, the demo's examples, one picked from the desktop
   * menu) through openFolder — which is how it becomes one the studio may read — and lists it.
   */
  openTestFolderAt(api: StudioApi, folder: string): Promise<void>;
  /** Reopens the folder of the last session (kept in localStorage); a folder gone since is forgotten quietly. */
  restoreTestFolder(api: StudioApi): Promise<void>;
  validateTestFile(api: StudioApi, path: string): Promise<void>;
  /** Validates every listed file, one after another (when a folder opens, so warnings show at once). */
  validateAllTestFiles(api: StudioApi): Promise<void>;
  /** Starts a run of every listed file that is not running already. */
  runAllTestFiles(api: StudioApi): Promise<void>;
  clearTestsProblem(): void;
  /** Starts a run, first asking about its host access when the file mounts any and is not confirmed. */
  runTestFile(api: StudioApi, path: string): Promise<void>;
  /** Asks the runner to stop a run; its runFinished event (cancelled) ends it on screen. */
  cancelTestRun(api: StudioApi, runId: string): Promise<void>;
  /** Reads the run history from the store (on opening the view, and after each run). */
  loadRunHistory(api: StudioApi): Promise<void>;
  onRunEvent(event: RunEvent): void;
  onRunFinished(event: EventPayload<'runFinished'>): void;
}

const FOLDER_KEY = 'cleanroom.testFolder';

function remember(folder: string | null): void {
  try {
    if (folder === null) localStorage.removeItem(FOLDER_KEY);
    else localStorage.setItem(FOLDER_KEY, folder);
  } catch {
    // Storage unavailable: the folder is simply not reopened next time.
  }
}

function recall(): string | null {
  try {
    return localStorage.getItem(FOLDER_KEY);
  } catch {
    return null;
  }
}

type TestsSliceCreator = StateCreator<StudioStore, [], [], TestsSlice>;
type Setter = Parameters<TestsSliceCreator>[0];
type Getter = Parameters<TestsSliceCreator>[1];

/**
 * Validates each file just before its run (the content on disk now, not when the folder opened) and
 * starts them all, or, when any mounts host paths unconfirmed, asks once for all of them and starts none.
 */
async function startRuns(api: StudioApi, paths: readonly string[], set: Setter): Promise<void> {
  const unconfirmed: HostAccessRequest[] = [];
  try {
    for (const path of paths) {
      const validation = await api.validateFile({ path });
      set((s) => ({ validations: { ...s.validations, [path]: validation } }));
      const request = hostAccessRequest(path, validation);
      if (request) unconfirmed.push(request);
    }
  } catch (error) {
    set({ testsProblem: toProblem(error) });
    return;
  }
  if (unconfirmed.length > 0) {
    set({ hostAccessPending: { files: unconfirmed, paths } });
    return;
  }
  for (const path of paths) await startRun(api, path, set);
}

async function startRun(api: StudioApi, path: string, set: Setter): Promise<void> {
  try {
    const { runId } = await api.runTest({ path });
    set((s) => ({ runs: { ...s.runs, [runId]: { runId, file: path, events: s.runs[runId]?.events ?? [], finished: null } } }));
  } catch (error) {
    set({ testsProblem: toProblem(error) });
  }
}

/** Files of the open folder with no run in progress. */
const idleFiles = (get: Getter): string[] =>
  get()
    .testFiles.map((f) => f.path)
    .filter((path) => !Object.values(get().runs).some((r) => r.file === path && r.finished === null));

export const createTestsSlice: StateCreator<StudioStore, [], [], TestsSlice> = (set, get) => ({
  testFolder: null,
  testFiles: [],
  testsProblem: null,
  validations: {},
  runs: {},
  runHistory: [],
  testsLoading: false,
  hostAccessPending: null,
  testSelection: { file: null, runId: null },
  selectTest: (testSelection) => set({ testSelection }),
  async openTestFolder(api) {
    try {
      const { folder } = await api.openFolder({});
      if (folder === null) return;
      await get().openTestFolderAt(api, folder);
    } catch (error) {
      set({ testsProblem: toProblem(error) });
    }
  },
  async openTestFolderAt(api, typed) {
    set({ testsLoading: true });
    try {
      const folder = (await api.openFolder({ path: typed })).folder ?? typed;
      const { files } = await api.listTestFiles({ folder });
      set({ testFolder: folder, testFiles: files, testsProblem: null, validations: {}, testsLoading: false, testSelection: { file: null, runId: null } });
      remember(folder);
      void get().validateAllTestFiles(api);
    } catch (error) {
      set({ testsProblem: toProblem(error), testsLoading: false });
    }
  },
  clearTestsProblem: () => set({ testsProblem: null }),
  async restoreTestFolder(api) {
    const saved = recall();
    // A folder already open or opening (a link named one) wins over the remembered one.
    if (saved === null || get().testFolder !== null || get().testsLoading) return;
    set({ testsLoading: true });
    try {
      const folder = (await api.openFolder({ path: saved })).folder ?? saved;
      const { files } = await api.listTestFiles({ folder });
      if (get().testFolder === null) {
        set({ testFolder: folder, testFiles: files, validations: {} });
        void get().validateAllTestFiles(api);
      }
    } catch {
      remember(null);
    } finally {
      set({ testsLoading: false });
    }
  },
  async validateTestFile(api, path) {
    try {
      const result = await api.validateFile({ path });
      set((s) => ({ validations: { ...s.validations, [path]: result } }));
    } catch (error) {
      set({ testsProblem: toProblem(error) });
    }
  },
  async validateAllTestFiles(api) {
    const folder = get().testFolder;
    for (const { path } of get().testFiles) {
      // Another folder opened meanwhile: its own pass validates it.
      if (get().testFolder !== folder) return;
      try {
        const result = await api.validateFile({ path });
        if (get().testFolder === folder) set((s) => ({ validations: { ...s.validations, [path]: result } }));
      } catch {
        // Left unbadged; the file's Validate button shows the reason when asked.
      }
    }
  },
  runAllTestFiles: (api) => startRuns(api, idleFiles(get), set),
  runTestFile: (api, path) => startRuns(api, [path], set),
  async confirmHostAccess(api) {
    const pending = get().hostAccessPending;
    if (pending === null) return;
    rememberConfirmed(pending.files);
    set({ hostAccessPending: null });
    // Validated again on the way: a file changed since the question asks again.
    await startRuns(api, pending.paths, set);
  },
  cancelHostAccess: () => set({ hostAccessPending: null }),
  async cancelTestRun(api, runId) {
    try {
      // `cancelled: false` means it had already finished; its runFinished event says how.
      await api.cancelRun({ runId });
    } catch (error) {
      set({ testsProblem: toProblem(error) });
    }
  },
  async loadRunHistory(api) {
    try {
      const { runs } = await api.listRuns({ limit: HISTORY_LIMIT });
      set({ runHistory: runs });
    } catch (error) {
      set({ testsProblem: toProblem(error) });
    }
  },
  onRunEvent: (e) =>
    set((s) => {
      // Events can arrive before runTest's answer names the file: keep them until it does.
      const run = s.runs[e.runId] ?? { runId: e.runId, file: e.type === 'test-started' ? e.file : '', events: [], finished: null };
      const events = run.events.length >= MAX_RUN_EVENTS ? [...run.events.slice(1), e] : [...run.events, e];
      return { runs: { ...s.runs, [e.runId]: { ...run, events } } };
    }),
  onRunFinished: (e) =>
    set((s) => {
      const run = s.runs[e.runId] ?? { runId: e.runId, file: e.file, events: [], finished: null };
      return { runs: { ...s.runs, [e.runId]: { ...run, file: e.file, finished: e } } };
    }),
});
