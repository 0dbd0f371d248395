// The one zustand store, made of one slice per feature (each in `store.<slice>.ts` beside it).
// Read it through selectors only; large data (the open trace) is kept outside, see
// features/waterfall/trace-holder.ts.
import { create } from 'zustand';
import { createUiSlice } from './store.ui';
import type { UiSlice } from './store.ui';
import { createWaterfallSlice } from '../features/waterfall/store.waterfall';
import type { WaterfallSlice } from '../features/waterfall/store.waterfall';
import { createTracesSlice } from '../features/traces/store.traces';
import type { TracesSlice } from '../features/traces/store.traces';
import { createFirstRunSlice } from '../features/traces/store.first-run';
import type { FirstRunSlice } from '../features/traces/store.first-run';
import { createTestsSlice } from '../features/tests/store.tests';
import type { TestsSlice } from '../features/tests/store.tests';
import { createPerformanceSlice } from '../features/performance/store.performance';
import type { PerformanceSlice } from '../features/performance/store.performance';
import { createSuggestionsSlice } from '../features/suggestions/store.suggestions';
import type { SuggestionsSlice } from '../features/suggestions/store.suggestions';
import { createChaosSlice } from '../features/chaos/store.chaos';
import type { ChaosSlice } from '../features/chaos/store.chaos';

export type StudioStore = UiSlice & WaterfallSlice & TracesSlice & FirstRunSlice & TestsSlice & PerformanceSlice & SuggestionsSlice & ChaosSlice;

export const useStudio = create<StudioStore>()((...a) => ({
  ...createUiSlice(...a),
  ...createWaterfallSlice(...a),
  ...createTracesSlice(...a),
  ...createFirstRunSlice(...a),
  ...createTestsSlice(...a),
  ...createPerformanceSlice(...a),
  ...createSuggestionsSlice(...a),
  ...createChaosSlice(...a),
}));
