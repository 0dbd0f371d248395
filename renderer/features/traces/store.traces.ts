// Traces-list slice: the current query and the page of summaries that answers it.
import type { StateCreator } from 'zustand';
import type { CallRequest, StudioApi, TraceSummary } from '../../../shared/ipc/contract';
import { toProblem } from '../../../shared/errors';
import type { Problem } from '../../../shared/errors';
import type { StudioStore } from '../../app/store';

export type TracesQuery = CallRequest<'listTraces'>;

export interface TracesSlice {
  tracesQuery: TracesQuery;
  traces: readonly TraceSummary[];
  tracesTotal: number;
  tracesStatus: 'idle' | 'loading' | 'ready' | 'error';
  tracesProblem: Problem | null;
  setTracesQuery(patch: Partial<TracesQuery>): void;
  loadTraces(api: StudioApi): Promise<void>;
}

let requestSeq = 0;
/** The request whose answer the list shows (or whose problem it reports). */
let shownSeq = 0;

export const createTracesSlice: StateCreator<StudioStore, [], [], TracesSlice> = (set, get) => ({
  tracesQuery: { sort: 'newest', limit: 200 },
  traces: [],
  tracesTotal: 0,
  tracesStatus: 'idle',
  tracesProblem: null,
  setTracesQuery: (patch) => set((s) => ({ tracesQuery: { ...s.tracesQuery, ...patch } })),
  async loadTraces(api) {
    const seq = ++requestSeq;
    const query = get().tracesQuery;
    set({ tracesStatus: 'loading' });
    // A slower earlier answer must not overwrite a newer one. But while spans keep arriving (a large
    // import asks again with every batch) an answer to the same query is shown even if a newer request
    // is still out: otherwise every answer could be overtaken and the list would wait for a quiet moment.
    const showable = () => seq > shownSeq && (seq === requestSeq || query === get().tracesQuery);
    try {
      const { traces, total } = await api.listTraces(query);
      if (showable()) {
        shownSeq = seq;
        set({ traces, tracesTotal: total, tracesStatus: seq === requestSeq ? 'ready' : 'loading', tracesProblem: null });
      }
    } catch (error) {
      if (showable()) {
        shownSeq = seq;
        set({ tracesStatus: 'error', tracesProblem: toProblem(error) });
      }
    }
  },
});
