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

export const createTracesSlice: StateCreator<StudioStore, [], [], TracesSlice> = (set, get) => ({
  tracesQuery: { sort: 'newest', limit: 200 },
  traces: [],
  tracesTotal: 0,
  tracesStatus: 'idle',
  tracesProblem: null,
  setTracesQuery: (patch) => set((s) => ({ tracesQuery: { ...s.tracesQuery, ...patch } })),
  async loadTraces(api) {
    const seq = ++requestSeq;
    set({ tracesStatus: 'loading' });
    try {
      const { traces, total } = await api.listTraces(get().tracesQuery);
      // A slower earlier answer must not overwrite a newer one.
      if (seq === requestSeq) set({ traces, tracesTotal: total, tracesStatus: 'ready', tracesProblem: null });
    } catch (error) {
      if (seq === requestSeq) set({ tracesStatus: 'error', tracesProblem: toProblem(error) });
    }
  },
});
