// UI slice: which view is showing and the theme preference.
import type { StateCreator } from 'zustand';
import type { StudioStore } from './store';
import type { LookbackId } from '../features/service-map/time-range';

export type ViewName = 'traces' | 'trace' | 'service-map' | 'tests' | 'performance' | 'failures' | 'chaos';
export type ThemePreference = 'system' | 'light' | 'dark';

/** A finished test run the service map compares with its test file. */
export interface MapRun {
  runId: string;
  file: string;
  executionIds: readonly string[];
}

export interface UiSlice {
  view: ViewName;
  themePreference: ThemePreference;
  /** Set: the service map shows this run's services beside the ones its test file declares. */
  mapRun: MapRun | null;
  /** The lookback the map's time range was last chosen as, and the `sinceUs` it gave (so a range changed elsewhere is not named by it). */
  mapLookback: { id: LookbackId; sinceUs: number } | null;
  setView(view: ViewName): void;
  showRunOnMap(run: MapRun): void;
  clearMapRun(): void;
  setMapLookback(lookback: { id: LookbackId; sinceUs: number } | null): void;
  setThemePreference(theme: ThemePreference): void;
}

const THEME_KEY = 'cleanroom.theme';

function initialTheme(): ThemePreference {
  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark' || saved === 'system') return saved;
  } catch {
    // Storage can be unavailable (privacy mode, file:// policies): fall back to the OS.
  }
  return 'system';
}

export const createUiSlice: StateCreator<StudioStore, [], [], UiSlice> = (set) => ({
  view: 'traces',
  themePreference: initialTheme(),
  mapRun: null,
  mapLookback: null,
  setView: (view) => set({ view }),
  showRunOnMap: (run) => set({ mapRun: run, view: 'service-map' }),
  clearMapRun: () => set({ mapRun: null }),
  setMapLookback: (mapLookback) => set({ mapLookback }),
  setThemePreference(theme) {
    try {
      localStorage.setItem(THEME_KEY, theme);
    } catch {
      // Not persisted; the choice still applies for this session.
    }
    set({ themePreference: theme });
  },
});
