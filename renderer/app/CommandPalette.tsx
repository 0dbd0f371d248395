// Command palette (Ctrl/Cmd+K): every action of the shell and the open trace by name, filtered as
// you type, run with Enter; and jumps to what the text names (palette-jumps.ts): a trace by its
// short id, a span, a service, an operation, a test file. Also lists the keyboard shortcuts.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../api/api-context';
import { useStudio } from './store';
import type { StudioStore } from './store';
import { looksLikeTraceId, paletteJumps, type PaletteCommand } from './palette-jumps';

interface Command extends PaletteCommand {
  enabled(s: StudioStore): boolean;
}

const hasTrace = (s: StudioStore) => s.traceLoad.status === 'ready';

const COMMANDS: Command[] = [
  { id: 'view.traces', label: 'Go to Traces', shortcut: 'Alt+1', enabled: () => true, run: (s) => s.setView('traces') },
  { id: 'view.trace', label: 'Go to the open trace', shortcut: 'Alt+2', enabled: (s) => s.traceLoad.status !== 'idle', run: (s) => s.setView('trace') },
  { id: 'view.map', label: 'Go to Service map', shortcut: 'Alt+3', enabled: () => true, run: (s) => s.setView('service-map') },
  { id: 'view.tests', label: 'Go to Tests', shortcut: 'Alt+4', enabled: () => true, run: (s) => s.setView('tests') },
  { id: 'view.performance', label: 'Go to Performance', shortcut: 'Alt+5', enabled: () => true, run: (s) => s.setView('performance') },
  { id: 'view.failures', label: 'Go to Failures', shortcut: 'Alt+6', enabled: () => true, run: (s) => s.setView('failures') },
  { id: 'view.chaos', label: 'Go to Chaos', shortcut: 'Alt+7', enabled: () => true, run: (s) => s.setView('chaos') },
  { id: 'trace.expand', label: 'Trace: expand all spans', enabled: hasTrace, run: (s) => s.expandAll() },
  { id: 'trace.collapse', label: 'Trace: collapse all spans', enabled: hasTrace, run: (s) => s.collapseAll() },
  { id: 'trace.critical', label: 'Trace: toggle critical path', shortcut: 'C', enabled: hasTrace, run: (s) => s.toggleCriticalPath() },
  { id: 'trace.zoom', label: 'Trace: reset zoom', shortcut: '0', enabled: hasTrace, run: (s) => s.setZoom([0, 1]) },
  { id: 'trace.next', label: 'Trace: next find match', shortcut: 'Enter in Find', enabled: (s) => hasTrace(s) && s.findQuery !== '', run: (s) => s.stepMatch(1) },
  { id: 'theme.light', label: 'Theme: light', enabled: () => true, run: (s) => s.setThemePreference('light') },
  { id: 'theme.dark', label: 'Theme: dark', enabled: () => true, run: (s) => s.setThemePreference('dark') },
  { id: 'theme.system', label: 'Theme: follow the system', enabled: () => true, run: (s) => s.setThemePreference('system') },
];

/** Shortcuts that are keys, not commands (listed for discoverability). */
const KEYS: [string, string][] = [
  ['↑ ↓ PgUp PgDn Home End', 'move in the waterfall'],
  ['← →', 'collapse / expand, or go to parent / first child'],
  ['Enter or Space', 'collapse or expand the selected span'],
  ['/ or Ctrl+F', 'find in trace'],
  ['Drag on the ruler or overview', 'zoom into a time range'],
];

function matches(label: string, query: string): boolean {
  // Every word of the query must start a word of the label, or appear in it.
  const l = label.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => l.includes(w));
}

export function CommandPalette() {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [cursor, setCursor] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const returnFocus = useRef<Element | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        returnFocus.current = document.activeElement;
        setOpen((o) => !o);
        setQuery('');
        setCursor(0);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    if (open) inputRef.current?.focus();
  }, [open]);

  const api = useApi();
  const live = api instanceof Error ? null : api;
  // Trace ids the store holds that start with the typed text (answers to older text are dropped).
  const [traceIds, setTraceIds] = useState<{ query: string; ids: string[] }>({ query: '', ids: [] });
  useEffect(() => {
    const prefix = query.trim();
    if (!open || !live || !looksLikeTraceId(prefix)) return;
    let current = true;
    live.findTraceIds({ prefix }).then(
      ({ traceIds: ids }) => current && setTraceIds({ query, ids }),
      () => current && setTraceIds({ query, ids: [] }),
    );
    return () => {
      current = false;
    };
  }, [open, live, query]);

  // Read the store when the palette opens or the query changes; no subscription, so the closed
  // palette never re-renders with the app.
  const list: PaletteCommand[] = useMemo(() => {
    if (!open) return [];
    const s = useStudio.getState();
    const ids = traceIds.query === query ? traceIds.ids : [];
    const commands = COMMANDS.filter((c) => c.enabled(s) && matches(c.label, query));
    return [...commands, ...paletteJumps(s, live, query, ids, commands.length > 0)];
  }, [open, query, live, traceIds]);
  if (!open) return null;

  const close = () => {
    setOpen(false);
    (returnFocus.current as HTMLElement | null)?.focus?.();
  };
  const run = (c: PaletteCommand | undefined) => {
    if (!c) return;
    close();
    c.run(useStudio.getState());
  };

  return (
    <div className="palette-backdrop" onMouseDown={close}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Command palette" onMouseDown={(e) => e.stopPropagation()}>
        <input
          ref={inputRef}
          className="palette-input"
          placeholder="A command, a trace id, a span, a service, a test file…"
          aria-label="Command"
          aria-controls="palette-list"
          aria-activedescendant={list[cursor] ? `cmd-${cursor}` : undefined}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setCursor(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
            else if (e.key === 'ArrowDown') setCursor((c) => Math.min(list.length - 1, c + 1));
            else if (e.key === 'ArrowUp') setCursor((c) => Math.max(0, c - 1));
            else if (e.key === 'Enter') run(list[cursor]);
            else return;
            e.preventDefault();
          }}
        />
        <ul id="palette-list" role="listbox" className="palette-list">
          {list.map((c, k) => (
            <li key={c.id} id={`cmd-${k}`} role="option" aria-selected={k === cursor} className={k === cursor ? 'is-cursor' : ''} onMouseEnter={() => setCursor(k)} onClick={() => run(c)}>
              {c.label}
              {c.shortcut && <kbd>{c.shortcut}</kbd>}
            </li>
          ))}
          {list.length === 0 && <li className="faint palette-empty">No command matches “{query}”.</li>}
        </ul>
        {query === '' && (
          <dl className="palette-keys">
            {KEYS.map(([k, what]) => (
              <div key={k}>
                <dt>
                  <kbd>{k}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
        )}
      </div>
    </div>
  );
}
