// Tests slice: the opened folder, its test files, validation results and run progress.
import type { StateCreator } from 'zustand';
import type { CallResponse, EventPayload, StudioApi } from '../../../shared/ipc/contract';
import { toProblem } from '../../../shared/errors';
import type { Problem } from '../../../shared/errors';
import type { StudioStore } from '../../app/store';

export type TestFile = CallResponse<'listTestFiles'>['files'][number];
export type Validation = CallResponse<'validateFile'>;
export interface RunState {
  runId: string;
  file: string;
  progress: EventPayload<'runProgress'>[];
  finished: EventPayload<'runFinished'> | null;
}

export interface TestsSlice {
  testFolder: string | null;
  testFiles: readonly TestFile[];
  testsProblem: Problem | null;
  validations: Readonly<Record<string, Validation>>;
  runs: Readonly<Record<string, RunState>>;
  /** True while a folder's file list is being read. */
  testsLoading: boolean;
  /** Asks for a folder (the desktop's picker; browser mode uses the studio's working folder) and lists it. */
  openTestFolder(api: StudioApi): Promise<void>;
  /** Lists a known folder: the demo's examples, or one picked from the desktop menu. */
  openTestFolderAt(api: StudioApi, folder: string): Promise<void>;
  /** Reopens the folder of the last session (kept in localStorage); a folder gone since is forgotten quietly. */
  restoreTestFolder(api: StudioApi): Promise<void>;
  validateTestFile(api: StudioApi, path: string): Promise<void>;
  /** Validates every listed file, one after another (when a folder opens, so warnings show at once). */
  validateAllTestFiles(api: StudioApi): Promise<void>;
  /** Starts a run of every listed file that is not running already. */
  runAllTestFiles(api: StudioApi): Promise<void>;
  clearTestsProblem(): void;
  runTestFile(api: StudioApi, path: string): Promise<void>;
  /** Asks the runner to stop a run; its runFinished event (cancelled) ends it on screen. */
  cancelTestRun(api: StudioApi, runId: string): Promise<void>;
  onRunProgress(event: EventPayload<'runProgress'>): void;
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

export const createTestsSlice: StateCreator<StudioStore, [], [], TestsSlice> = (set, get) => ({
  testFolder: null,
  testFiles: [],
  testsProblem: null,
  validations: {},
  runs: {},
  testsLoading: false,
  async openTestFolder(api) {
    try {
      const { folder } = await api.openFolder({});
      if (folder === null) return;
      await get().openTestFolderAt(api, folder);
    } catch (error) {
      set({ testsProblem: toProblem(error) });
    }
  },
  async openTestFolderAt(api, folder) {
    set({ testsLoading: true });
    try {
      const { files } = await api.listTestFiles({ folder });
      set({ testFolder: folder, testFiles: files, testsProblem: null, validations: {}, testsLoading: false });
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
      const { files } = await api.listTestFiles({ folder: saved });
      if (get().testFolder === null) {
        set({ testFolder: saved, testFiles: files, validations: {} });
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
  async runAllTestFiles(api) {
    for (const { path } of get().testFiles) {
      const running = Object.values(get().runs).some((r) => r.file === path && r.finished === null);
      if (!running) await get().runTestFile(api, path);
    }
  },
  async runTestFile(api, path) {
    try {
      const { runId } = await api.runTest({ path });
      set((s) => ({ runs: { ...s.runs, [runId]: { runId, file: path, progress: [], finished: null } } }));
    } catch (error) {
      set({ testsProblem: toProblem(error) });
    }
  },
  async cancelTestRun(api, runId) {
    try {
      // `cancelled: false` means it had already finished; its runFinished event says how.
      await api.cancelRun({ runId });
    } catch (error) {
      set({ testsProblem: toProblem(error) });
    }
  },
  onRunProgress: (e) =>
    set((s) => {
      const run = s.runs[e.runId] ?? { runId: e.runId, file: e.file, progress: [], finished: null };
      return { runs: { ...s.runs, [e.runId]: { ...run, progress: [...run.progress, e] } } };
    }),
  onRunFinished: (e) =>
    set((s) => {
      const run = s.runs[e.runId] ?? { runId: e.runId, file: e.file, progress: [], finished: null };
      return { runs: { ...s.runs, [e.runId]: { ...run, finished: e } } };
    }),
});
