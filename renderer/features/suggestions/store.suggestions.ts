// Suggestions slice: the panel of one test file — its suggestions mined from a source (the file's stored
// runs, chosen traces in the store, or a Jaeger/Tempo query API; previewed on each stored run and on the
// open trace), the confidence threshold and minimum support, the last accepted write
// (its diff and undo token), and the version of the file's text the Tests view shows (bumped on every
// write, so its source and checks refresh at once).
import type { StateCreator } from 'zustand';
import type { CallResponse, StudioApi, SuggestionLearnSource } from '../../../shared/ipc/contract';
import { toProblem, type Problem } from '../../../shared/errors';
import type { StudioStore } from '../../app/store';

export type SuggestionsData = CallResponse<'suggestionsForFile'>;
export type AcceptedWrite = CallResponse<'acceptSuggestions'>;

/** The panel's threshold to start with: `clnrm suggest`'s default (Daikon-like). */
export const DEFAULT_THRESHOLD = 0.99;
/** `clnrm suggest`'s default minimum support (runs a suggestion must hold in). */
export const DEFAULT_MIN_SUPPORT = 2;
/** What the panel learns from until the user picks another source: the file's last 20 stored runs. */
export const DEFAULT_SOURCE: SuggestionLearnSource = { kind: 'runs', runs: 20 };

export interface SuggestionsSlice {
  /** The test file whose panel is open; null when none is. */
  suggestionsFile: string | null;
  suggestionThreshold: number;
  suggestionMinSupport: number;
  /** What the panel learns from (kept when another file's panel opens). */
  suggestionSource: SuggestionLearnSource;
  suggestionsData: SuggestionsData | null;
  suggestionsLoading: boolean;
  suggestionsProblem: Problem | null;
  /** The last accept (its diff and undo token); null once undone or when another file opens. */
  lastAccept: AcceptedWrite | null;
  /** The diff of the last undo, shown until the next accept. */
  lastUndo: CallResponse<'undoAccept'> | null;
  /** Bumped whenever the panel writes a file: the Tests view reads its source again. */
  writtenVersion: number;
  /** Shows the panel of `path` (it loads when it appears); null closes it. */
  showSuggestions(path: string | null): void;
  /** Loads (or refreshes) the panel of `path`, judged also on the trace open in the Trace view. */
  openSuggestions(api: StudioApi, path: string): Promise<void>;
  setSuggestionThreshold(api: StudioApi, threshold: number): Promise<void>;
  setSuggestionMinSupport(api: StudioApi, minSupport: number): Promise<void>;
  /** Learns from `source` from now on (and at once, when a panel is open). */
  setSuggestionSource(api: StudioApi, source: SuggestionLearnSource): Promise<void>;
  /** Writes these suggestions (`edited`: id → the user's snippet), then refreshes the panel and the file's checks. */
  acceptSuggestions(api: StudioApi, ids: readonly string[], edited?: Readonly<Record<string, string>>): Promise<void>;
  undoLastAccept(api: StudioApi): Promise<void>;
  rejectSuggestion(api: StudioApi, id: string): Promise<void>;
}

type Creator = StateCreator<StudioStore, [], [], SuggestionsSlice>;

/** The trace open in the Trace view, for the preview (none while it loads or failed). */
function openTraceId(s: StudioStore): string | undefined {
  return s.traceLoad.status === 'ready' ? s.traceLoad.traceId : undefined;
}

/** The thresholds and source a request learns with: an accept must ask with the ones the panel showed. */
function learning(s: StudioStore) {
  return { minConfidence: s.suggestionThreshold, minSupport: s.suggestionMinSupport, source: s.suggestionSource };
}

export const createSuggestionsSlice: Creator = (set, get) => {
  const refresh = async (api: StudioApi, path: string): Promise<void> => {
    const asked = learning(get());
    set({ suggestionsLoading: true });
    try {
      const traceId = openTraceId(get());
      const data = await api.suggestionsForFile({ path, ...asked, ...(traceId ? { traceId } : {}) });
      // A newer request (another file, threshold or source) wins over this answer.
      const now = learning(get());
      if (get().suggestionsFile !== path || now.minConfidence !== asked.minConfidence || now.minSupport !== asked.minSupport || now.source !== asked.source) return;
      set({ suggestionsData: data, suggestionsProblem: null, suggestionsLoading: false });
    } catch (error) {
      if (get().suggestionsFile === path) set({ suggestionsProblem: toProblem(error), suggestionsLoading: false });
    }
  };
  /** After a write: the panel, the file's validation and its source all show the new text. */
  const written = async (api: StudioApi, path: string): Promise<void> => {
    set((s) => ({ writtenVersion: s.writtenVersion + 1 }));
    await Promise.all([refresh(api, path), get().validateTestFile(api, path)]);
  };
  return {
    suggestionsFile: null,
    suggestionThreshold: DEFAULT_THRESHOLD,
    suggestionMinSupport: DEFAULT_MIN_SUPPORT,
    suggestionSource: DEFAULT_SOURCE,
    suggestionsData: null,
    suggestionsLoading: false,
    suggestionsProblem: null,
    lastAccept: null,
    lastUndo: null,
    writtenVersion: 0,
    showSuggestions(path) {
      if (get().suggestionsFile !== path) set({ suggestionsFile: path, suggestionsData: null, lastAccept: null, lastUndo: null, suggestionsProblem: null, suggestionsLoading: false });
    },
    async openSuggestions(api, path) {
      get().showSuggestions(path);
      await refresh(api, path);
    },
    async setSuggestionThreshold(api, threshold) {
      const path = get().suggestionsFile;
      set({ suggestionThreshold: Math.min(1, Math.max(0, threshold)) });
      if (path !== null) await refresh(api, path);
    },
    async setSuggestionMinSupport(api, minSupport) {
      const path = get().suggestionsFile;
      set({ suggestionMinSupport: Math.max(1, Math.round(minSupport)) });
      if (path !== null) await refresh(api, path);
    },
    async setSuggestionSource(api, source) {
      const path = get().suggestionsFile;
      set({ suggestionSource: source });
      if (path !== null) await refresh(api, path);
    },
    async acceptSuggestions(api, ids, edited = {}) {
      const path = get().suggestionsFile;
      if (path === null || ids.length === 0) return;
      try {
        const result = await api.acceptSuggestions({ path, ids: [...ids], edited: { ...edited }, ...learning(get()) });
        set({ lastAccept: result, lastUndo: null, suggestionsProblem: null });
        await written(api, path);
      } catch (error) {
        set({ suggestionsProblem: toProblem(error) });
      }
    },
    async undoLastAccept(api) {
      const last = get().lastAccept;
      const path = get().suggestionsFile;
      if (last === null || path === null) return;
      try {
        const undone = await api.undoAccept({ token: last.undoToken });
        set({ lastAccept: null, lastUndo: undone, suggestionsProblem: null });
        await written(api, path);
      } catch (error) {
        set({ suggestionsProblem: toProblem(error) });
      }
    },
    async rejectSuggestion(api, id) {
      const path = get().suggestionsFile;
      if (path === null) return;
      try {
        await api.rejectSuggestion({ path, id });
        await refresh(api, path);
      } catch (error) {
        set({ suggestionsProblem: toProblem(error) });
      }
    },
  };
};
