// Where the user is, as a URL hash: the view, the open trace and selected span, the traces list's
// filters, the test folder. Hash routes work the same in browser mode (served over http, the
// session's own query string left alone) and inside Electron (a file:// page), so a route is a
// bookmark, a link to share, a reload that keeps its place, and a Back/Forward step.
//   #/traces?service=api&op=memdb&status=error&sort=longest
//   #/trace/<32 hex>?span=<16 hex>&mode=graph
//   #/service-map
//   #/tests?folder=examples&file=examples/a.clnrm.toml&run=<run id>
//   #/performance?file=/abs/a.clnrm.toml&span=db.query
//   #/failures
//   #/chaos?file=/abs/a.clnrm.toml
import type { TracesQuery } from '../features/traces/store.traces';
import { RunIdSchema } from '../../shared/run/records';
import type { ViewName } from './store.ui';

export interface Route {
  view: ViewName;
  /** The traces list's filters (every view keeps them, so Back to the list finds them as they were). */
  filters: TraceFilters;
  traceId?: string;
  spanId?: string;
  traceMode?: 'waterfall' | 'graph';
  testFolder?: string;
  /** In the Tests view: the file whose source is shown, and a run of it that is marked. */
  testFile?: string;
  runId?: string;
  /** In the Performance view: the test file whose history is shown, and its span name. */
  perfFile?: string;
  perfSpan?: string;
  /** In the Chaos view: the test file whose experiment is on the timeline. */
  chaosFile?: string;
}

export type TraceFilters = Pick<TracesQuery, 'service' | 'spanName' | 'runId' | 'minDurationMs' | 'maxDurationMs' | 'sinceUs' | 'untilUs' | 'status' | 'sort' | 'attributes'>;

const VIEWS: Record<string, ViewName> = { traces: 'traces', trace: 'trace', 'service-map': 'service-map', tests: 'tests', performance: 'performance', failures: 'failures', chaos: 'chaos' };
const STATUSES = new Set(['any', 'error', 'no-errors']);
const SORTS = new Set(['newest', 'oldest', 'longest', 'shortest', 'most-spans']);
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** URL parameter ↔ filter field, for the plain text and number filters. */
const TEXT_PARAMS = [
  ['service', 'service'],
  ['op', 'spanName'],
  ['run', 'runId'],
] as const;
const NUMBER_PARAMS = [
  ['min', 'minDurationMs'],
  ['max', 'maxDurationMs'],
  ['since', 'sinceUs'],
  ['until', 'untilUs'],
] as const;

function filterParams(filters: TraceFilters, params: URLSearchParams): void {
  for (const [param, field] of TEXT_PARAMS) if (filters[field] !== undefined) params.set(param, filters[field]);
  for (const [param, field] of NUMBER_PARAMS) if (filters[field] !== undefined) params.set(param, String(filters[field]));
  if (filters.status !== undefined && filters.status !== 'any') params.set('status', filters.status);
  if (filters.sort !== undefined && filters.sort !== 'newest') params.set('sort', filters.sort);
  for (const a of filters.attributes ?? []) params.append('attr', `${a.key}=${a.value}`);
}

/** The hash (with its leading `#`) for a route. */
export function formatRoute(route: Route): string {
  const params = new URLSearchParams();
  let path: string = route.view;
  if (route.view === 'trace' && route.traceId !== undefined) {
    path = `trace/${route.traceId}`;
    if (route.spanId !== undefined) params.set('span', route.spanId);
    if (route.traceMode === 'graph') params.set('mode', 'graph');
  }
  if (route.view === 'tests' && route.testFolder !== undefined) {
    params.set('folder', route.testFolder);
    if (route.testFile !== undefined) params.set('file', route.testFile);
    if (route.runId !== undefined) params.set('test-run', route.runId);
  }
  if (route.view === 'performance' && route.perfFile !== undefined) {
    params.set('file', route.perfFile);
    if (route.perfSpan !== undefined) params.set('span', route.perfSpan);
  }
  if (route.view === 'chaos' && route.chaosFile !== undefined) params.set('file', route.chaosFile);
  filterParams(route.filters, params);
  const query = params.toString();
  return `#/${path}${query ? `?${query}` : ''}`;
}

function parseFilters(params: URLSearchParams): TraceFilters {
  const filters: TraceFilters = {};
  for (const [param, field] of TEXT_PARAMS) {
    const value = params.get(param)?.trim();
    if (value) filters[field] = value;
  }
  for (const [param, field] of NUMBER_PARAMS) {
    const text = params.get(param);
    const value = text === null || text.trim() === '' ? NaN : Number(text);
    // A hand-edited URL with a bad number loses that filter rather than breaking the list.
    if (Number.isFinite(value) && (field === 'sinceUs' || field === 'untilUs' || value >= 0)) filters[field] = value;
  }
  const status = params.get('status');
  if (status !== null && STATUSES.has(status)) filters.status = status as TraceFilters['status'];
  const sort = params.get('sort');
  if (sort !== null && SORTS.has(sort)) filters.sort = sort as TraceFilters['sort'];
  const attributes = params.getAll('attr').flatMap((pair) => {
    const eq = pair.indexOf('=');
    return eq > 0 ? [{ key: pair.slice(0, eq), value: pair.slice(eq + 1) }] : [];
  });
  if (attributes.length > 0) filters.attributes = attributes;
  return filters;
}

/** The route a hash names; anything unknown or malformed falls back to the traces list. */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const at = text.indexOf('?');
  const path = (at < 0 ? text : text.slice(0, at)).split('/').filter((p) => p !== '');
  const params = new URLSearchParams(at < 0 ? '' : text.slice(at + 1));
  const filters = parseFilters(params);
  const view = VIEWS[path[0] ?? ''] ?? 'traces';
  if (view === 'trace') {
    const traceId = path[1]?.toLowerCase();
    if (traceId === undefined || !TRACE_ID.test(traceId)) return { view: 'traces', filters };
    const route: Route = { view, filters, traceId };
    const spanId = params.get('span')?.toLowerCase();
    if (spanId !== undefined && SPAN_ID.test(spanId)) route.spanId = spanId;
    if (params.get('mode') === 'graph') route.traceMode = 'graph';
    return route;
  }
  const folder = params.get('folder');
  if (view === 'tests' && folder) {
    const route: Route = { view, filters, testFolder: folder };
    const file = params.get('file');
    if (file) route.testFile = file;
    const runId = params.get('test-run');
    // Only an id the store could hold (a hand-edited link cannot name anything else).
    if (runId !== null && RunIdSchema.safeParse(runId).success) route.runId = runId;
    return route;
  }
  const file = params.get('file');
  if (view === 'performance' && file) {
    const span = params.get('span');
    return { view, filters, perfFile: file, ...(span ? { perfSpan: span } : {}) };
  }
  if (view === 'chaos' && file) return { view, filters, chaosFile: file };
  return { view, filters };
}

/** Whether going from `a` to `b` is a step worth a history entry (else the entry is replaced). */
export function isNewPlace(a: Route, b: Route): boolean {
  return a.view !== b.view || a.traceId !== b.traceId || a.testFolder !== b.testFolder || a.traceMode !== b.traceMode || a.perfFile !== b.perfFile || a.chaosFile !== b.chaosFile;
}
