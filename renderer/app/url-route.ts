// Keeps the URL hash and the studio store in step (routes.ts says what a route holds): a change of
// place (view, trace, test folder) is a new history entry, a change within a place (selected span,
// filters) replaces the current one; Back/Forward and a hand-edited hash move the studio there.
import type { StudioApi } from '../../shared/ipc/contract';
import { getLoadedTrace } from '../features/waterfall/trace-holder';
import { formatRoute, isNewPlace, parseRoute, type Route, type TraceFilters } from './routes';
import { useStudio, type StudioStore } from './store';

/** Every filter cleared: a route sets all of them, so a shared link shows what its sender saw. */
const NO_FILTERS: TraceFilters = {
  service: undefined,
  spanName: undefined,
  runId: undefined,
  minDurationMs: undefined,
  maxDurationMs: undefined,
  sinceUs: undefined,
  untilUs: undefined,
  attributes: [],
  status: 'any',
  sort: 'newest',
};

/** Where the store says the user is. */
export function routeOfState(s: StudioStore): Route {
  const q = s.tracesQuery;
  const filters: TraceFilters = { service: q.service, spanName: q.spanName, runId: q.runId, minDurationMs: q.minDurationMs, maxDurationMs: q.maxDurationMs, sinceUs: q.sinceUs, untilUs: q.untilUs, status: q.status, sort: q.sort, attributes: q.attributes };
  const route: Route = { view: s.view, filters };
  if (s.view === 'trace' && s.traceLoad.status !== 'idle') {
    route.traceId = s.traceLoad.traceId;
    const t = getLoadedTrace();
    if (s.traceLoad.status === 'ready' && t?.traceId === route.traceId && s.selected >= 0) route.spanId = t.tree.spans[s.selected]?.spanId;
    if (s.traceMode === 'graph') route.traceMode = 'graph';
  }
  if (s.view === 'tests' && s.testFolder !== null) {
    route.testFolder = s.testFolder;
    if (s.testSelection.file !== null) route.testFile = s.testSelection.file;
    if (s.testSelection.runId !== null) route.runId = s.testSelection.runId;
  }
  if (s.view === 'performance' && s.perfSelection.file !== null) {
    route.perfFile = s.perfSelection.file;
    if (s.perfSelection.span !== null) route.perfSpan = s.perfSelection.span;
  }
  if (s.view === 'chaos' && s.chaosFile !== null) route.chaosFile = s.chaosFile;
  return route;
}

/** Moves the studio to `route`: filters at once, then the trace or folder it names (loaded when needed). */
export async function applyRoute(api: StudioApi, route: Route): Promise<void> {
  const s = useStudio.getState();
  s.setTracesQuery({ ...NO_FILTERS, ...route.filters });
  if (route.view === 'trace' && route.traceId !== undefined) {
    const now = s.traceLoad;
    const open = now.status === 'ready' && now.traceId === route.traceId && getLoadedTrace()?.traceId === route.traceId;
    if (route.spanId !== undefined) await s.openSpan(api, route.traceId, route.spanId);
    else if (open) s.setView('trace');
    else await s.openTrace(api, route.traceId);
    const after = useStudio.getState().traceLoad;
    if (after.status === 'ready' && after.traceId === route.traceId) useStudio.getState().setTraceMode(route.traceMode ?? 'waterfall');
    return;
  }
  s.setView(route.view);
  if (route.view === 'performance') s.selectPerf({ file: route.perfFile ?? null, span: route.perfSpan ?? null });
  if (route.view === 'chaos') s.openChaos(route.chaosFile ?? null);
  if (route.view !== 'tests' || route.testFolder === undefined) return;
  if (route.testFolder !== s.testFolder) await s.openTestFolderAt(api, route.testFolder);
  useStudio.getState().selectTest({ file: route.testFile ?? null, runId: route.runId ?? null });
}

/**
 * Applies the URL's route, then follows the store and the browser history until the returned
 * function is called. The URL's path and query (browser mode's session) are never touched.
 */
export function bindUrlRoute(api: StudioApi): () => void {
  let shown = parseRoute(window.location.hash);
  // While a route is being applied the store passes through other places (the list before the
  // trace loads): only where it ends up is written.
  let applying = 0;
  const write = (s: StudioStore) => {
    if (applying > 0) return;
    const next = routeOfState(s);
    const hash = formatRoute(next);
    if (hash === window.location.hash) return;
    if (isNewPlace(shown, next)) window.history.pushState(null, '', hash);
    else window.history.replaceState(null, '', hash);
    shown = next;
  };
  const follow = () => {
    const route = parseRoute(window.location.hash);
    if (formatRoute(routeOfState(useStudio.getState())) === formatRoute(route)) return;
    shown = route;
    go(route);
  };
  const go = (route: Route) => {
    applying++;
    void applyRoute(api, route).finally(() => {
      applying--;
      write(useStudio.getState());
    });
  };
  const unsubscribe = useStudio.subscribe(write);
  go(shown);
  window.addEventListener('popstate', follow);
  window.addEventListener('hashchange', follow);
  return () => {
    unsubscribe();
    window.removeEventListener('popstate', follow);
    window.removeEventListener('hashchange', follow);
  };
}
