// Applies the theme preference to <html data-theme>, following the OS when set to "system".
import { useEffect } from 'react';
import type { ThemePreference } from './store.ui';

export function useApplyTheme(preference: ThemePreference): 'light' | 'dark' {
  const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  const resolved = preference === 'system' ? (media?.matches ? 'dark' : 'light') : preference;
  useEffect(() => {
    const apply = () => {
      const theme = preference === 'system' ? (media?.matches ? 'dark' : 'light') : preference;
      document.documentElement.dataset.theme = theme;
    };
    apply();
    if (preference !== 'system' || !media) return;
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [preference, media]);
  return resolved;
}
