// UI slice: which view is showing and the theme preference.
import type { StateCreator } from 'zustand';
import type { StudioStore } from './store';

export type ViewName = 'traces' | 'trace' | 'service-map' | 'tests';
export type ThemePreference = 'system' | 'light' | 'dark';

export interface UiSlice {
  view: ViewName;
  themePreference: ThemePreference;
  setView(view: ViewName): void;
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
  setView: (view) => set({ view }),
  setThemePreference(theme) {
    try {
      localStorage.setItem(THEME_KEY, theme);
    } catch {
      // Not persisted; the choice still applies for this session.
    }
    set({ themePreference: theme });
  },
});
