// Chaos view slice: which test file's experiment is on the timeline (what a `#/chaos?file=` link names).
// The timeline being edited is the view's own state (timeline-edit.ts); runs live in the Tests slice.
import type { StateCreator } from 'zustand';
import type { StudioStore } from '../../app/store';

export interface ChaosSlice {
  chaosFile: string | null;
  /** Shows the Chaos view on `file` (null: the view asks for one). */
  openChaos(file: string | null): void;
}

export const createChaosSlice: StateCreator<StudioStore, [], [], ChaosSlice> = (set) => ({
  chaosFile: null,
  openChaos: (file) => set({ chaosFile: file, view: 'chaos' }),
});
