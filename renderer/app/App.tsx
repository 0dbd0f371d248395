// The studio shell: sidebar + the current view. Receives the StudioApi (or the reason there is
// none) from its caller, so the desktop app, browser mode and the harness share it unchanged.
import { Suspense, lazy, useEffect, useRef } from 'react';
import type { StudioApi } from '../../shared/ipc/contract';
import type { StudioError } from '../../shared/errors';
import { ApiContext } from '../api/api-context';
import { onDesktopMenu } from '../api/get-api';
import { useStudio } from './store';
import { useApplyTheme } from './theme';
import { Sidebar, VIEW_KEYS } from './Sidebar';
import { TraceView } from '../features/waterfall/TraceView';
import { TracesView } from '../features/traces/TracesView';
import { TestsView } from '../features/tests/TestsView';
import { PerformanceView } from '../features/performance/PerformanceView';
import { FailuresView } from '../features/failures/FailuresView';
import { ChaosView } from '../features/chaos/ChaosView';
import { Loading } from './States';
import { CommandPalette } from './CommandPalette';
import './styles.css';

// The service map pulls in React Flow and elkjs (~1.5 MB); load it only when it is opened.
const ServiceMapView = lazy(() => import('../features/service-map/ServiceMapView').then((m) => ({ default: m.ServiceMapView })));

export interface AppProps {
  api: StudioApi | StudioError;
  /** Shown across the top, e.g. to label the harness's synthetic data. */
  banner?: string;
}

export function App({ api, banner }: AppProps) {
  const view = useStudio((s) => s.view);
  const setView = useStudio((s) => s.setView);
  const themePreference = useStudio((s) => s.themePreference);
  const theme = useApplyTheme(themePreference);
  const mainRef = useRef<HTMLElement>(null);

  // A view switch from the keyboard unmounts what had focus; keep keyboard users in the new view.
  useEffect(() => {
    const active = document.activeElement;
    if (active === null || active === document.body || !active.isConnected) mainRef.current?.focus({ preventScroll: true });
  }, [view]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // e.code, not e.key: Option+1 on a Mac types '¡'.
      const target = VIEW_KEYS[e.code.replace('Digit', '')];
      if (e.altKey && target && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        if (target !== 'trace' || useStudio.getState().traceLoad.status !== 'idle') setView(target);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setView]);

  useEffect(() => {
    if (api instanceof Error) return;
    const { onRunEvent, onRunFinished, loadRunHistory } = useStudio.getState();
    const offs = [
      api.on('runEvent', onRunEvent),
      api.on('runFinished', (e) => {
        onRunFinished(e);
        // The run is in the store's history by now (the runner records it before it answers).
        void loadRunHistory(api);
      }),
      // A `clnrm run` in a terminal records its run through this studio (main/host).
      api.on('runsChanged', () => void loadRunHistory(api)),
    ];
    return () => offs.forEach((off) => off());
  }, [api]);

  // The desktop menu's commands that need the page (Import and Export run in the main process and
  // reach the page as spansAdded events).
  useEffect(() => {
    if (api instanceof Error) return;
    return onDesktopMenu((command, argument) => {
      if (command === 'openFolder' && typeof argument === 'string' && argument !== '') {
        const { setView, openTestFolderAt } = useStudio.getState();
        setView('tests');
        void openTestFolderAt(api, argument);
      }
    });
  }, [api]);

  return (
    <ApiContext.Provider value={api}>
      <div className="shell">
        {banner && (
          <div className="shell-banner" role="note">
            {banner}
          </div>
        )}
        <Sidebar />
        <main className="main" ref={mainRef} tabIndex={-1}>
          {view === 'traces' && <TracesView theme={theme} />}
          {view === 'trace' && <TraceView theme={theme} />}
          {view === 'service-map' && (
            <Suspense fallback={<Loading label="Loading the service map…" />}>
              <ServiceMapView theme={theme} />
            </Suspense>
          )}
          {view === 'tests' && <TestsView />}
          {view === 'performance' && <PerformanceView />}
          {view === 'failures' && <FailuresView />}
          {view === 'chaos' && <ChaosView />}
        </main>
      </div>
      <CommandPalette />
    </ApiContext.Provider>
  );
}
