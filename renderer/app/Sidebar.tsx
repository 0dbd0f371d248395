// Left navigation: the views, the theme switch, keyboard hints.
import { useStudio } from './store';
import type { ThemePreference, ViewName } from './store.ui';

const ITEMS: { view: ViewName; label: string; icon: string; key: string }[] = [
  { view: 'traces', label: 'Traces', icon: '☰', key: '1' },
  { view: 'trace', label: 'Trace', icon: '▤', key: '2' },
  { view: 'service-map', label: 'Service map', icon: '⬡', key: '3' },
  { view: 'tests', label: 'Tests', icon: '✓', key: '4' },
  { view: 'performance', label: 'Performance', icon: '↗', key: '5' },
  { view: 'failures', label: 'Failures', icon: '✗', key: '6' },
  { view: 'chaos', label: 'Chaos', icon: '⚡', key: '7' },
];

export const VIEW_KEYS: Record<string, ViewName> = Object.fromEntries(ITEMS.map((i) => [i.key, i.view]));

export function Sidebar() {
  const view = useStudio((s) => s.view);
  const setView = useStudio((s) => s.setView);
  const hasTrace = useStudio((s) => s.traceLoad.status !== 'idle');
  const theme = useStudio((s) => s.themePreference);
  const setTheme = useStudio((s) => s.setThemePreference);
  return (
    <nav className="sidebar" aria-label="Views">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Cleanroom Studio
      </div>
      {ITEMS.map((item) => (
        <button
          key={item.view}
          className="nav-item"
          aria-current={view === item.view ? 'page' : undefined}
          disabled={item.view === 'trace' && !hasTrace}
          onClick={() => setView(item.view)}
          title={item.view === 'trace' && !hasTrace ? 'Open a trace from the Traces list first' : `${item.label} (Alt+${item.key})`}
        >
          <span className="nav-icon" aria-hidden="true">
            {item.icon}
          </span>
          {item.label}
          <kbd>Alt {item.key}</kbd>
        </button>
      ))}
      <div className="sidebar-foot">
        <p className="faint sidebar-hint">
          <kbd>Ctrl K</kbd> commands &amp; shortcuts
        </p>
        <label className="faint" htmlFor="theme-select">
          Theme
        </label>
        <select id="theme-select" className="input" value={theme} onChange={(e) => setTheme(e.target.value as ThemePreference)}>
          <option value="system">Follow system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </div>
    </nav>
  );
}
