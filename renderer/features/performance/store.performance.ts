// Performance view slice: which test file's history is shown, for which span name and metric. The
// data itself (history, comparisons, samples) is loaded by the view's components, not kept here.
import type { StateCreator } from 'zustand';
import type { SeriesMetric } from '../../../shared/perf/series';
import type { StudioStore } from '../../app/store';

export interface PerfSelection {
  file: string | null;
  span: string | null;
  metric: SeriesMetric;
}

export interface PerformanceSlice {
  perfSelection: PerfSelection;
  /** Changes part of the selection; a new file forgets the span (another test has other names). */
  selectPerf(patch: Partial<PerfSelection>): void;
}

export const createPerformanceSlice: StateCreator<StudioStore, [], [], PerformanceSlice> = (set) => ({
  perfSelection: { file: null, span: null, metric: 'p95' },
  selectPerf: (patch) =>
    set((s) => {
      const fileChanged = patch.file !== undefined && patch.file !== s.perfSelection.file;
      return { perfSelection: { ...s.perfSelection, ...(fileChanged && patch.span === undefined ? { span: null } : {}), ...patch } };
    }),
});
