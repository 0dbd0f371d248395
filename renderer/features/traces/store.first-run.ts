// First-run slice: whether the store is empty (a first start) and the bundled demo's import, whose
// result stays on screen so the user can go on to the example tests it names.
import type { StateCreator } from 'zustand';
import type { StudioApi } from '../../../shared/ipc/contract';
import { toProblem } from '../../../shared/errors';
import type { Problem } from '../../../shared/errors';
import type { StudioStore } from '../../app/store';

export type DemoState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'done'; spanCount: number; traceCount: number; examplesFolder: string; refused: Problem[] }
  | { status: 'error'; problem: Problem };

export interface FirstRunSlice {
  /** null until asked (only asked when the list comes back empty). */
  storeEmpty: boolean | null;
  demo: DemoState;
  /** Where SDKs send spans (from storeStatus), for the "how to get traces" hints. */
  receiver: { http?: string; grpc?: string } | null;
  checkStoreStatus(api: StudioApi): Promise<void>;
  loadDemo(api: StudioApi): Promise<void>;
  dismissDemo(): void;
}

export const createFirstRunSlice: StateCreator<StudioStore, [], [], FirstRunSlice> = (set, get) => ({
  storeEmpty: null,
  demo: { status: 'idle' },
  receiver: null,
  async checkStoreStatus(api) {
    try {
      const { empty, receiver } = await api.storeStatus({});
      set({ storeEmpty: empty, receiver });
    } catch {
      // Not knowing only means the demo is not offered; the list's own state still shows.
      set({ storeEmpty: null });
    }
  },
  async loadDemo(api) {
    if (get().demo.status === 'loading') return;
    set({ demo: { status: 'loading' } });
    try {
      const result = await api.loadDemo({});
      const spanCount = result.imported.reduce((n, f) => n + f.spanCount, 0);
      const traceCount = new Set(result.imported.flatMap((f) => f.traceIds)).size;
      set({ demo: { status: 'done', spanCount, traceCount, examplesFolder: result.examplesFolder, refused: result.problems }, storeEmpty: traceCount === 0 });
      // The spansAdded event reloads the list too; this covers a transport without events.
      await get().loadTraces(api);
    } catch (error) {
      set({ demo: { status: 'error', problem: toProblem(error) } });
    }
  },
  dismissDemo: () => set({ demo: { status: 'idle' } }),
});
