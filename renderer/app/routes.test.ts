import { describe, expect, it } from 'vitest';
import { formatRoute, isNewPlace, parseRoute, type Route } from './routes';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

describe('routes', () => {
  it('round-trips every place with its filters', () => {
    const routes: Route[] = [
      { view: 'traces', filters: { service: 'api', spanName: 'memdb', status: 'error', sort: 'longest', minDurationMs: 5, sinceUs: 1_700_000_000_000_000, attributes: [{ key: 'http.route', value: '/a=b' }] } },
      { view: 'trace', filters: {}, traceId: TRACE, spanId: SPAN, traceMode: 'graph' },
      { view: 'service-map', filters: { runId: 'r1' } },
      { view: 'tests', filters: {}, testFolder: '/tmp/my tests' },
      { view: 'tests', filters: {}, testFolder: 'examples', testFile: 'examples/a b.clnrm.toml', runId: 'studio-8ea46a11d35a' },
      { view: 'performance', filters: {}, perfFile: '/w/slow db.clnrm.toml', perfSpan: 'GET /items/:id' },
      { view: 'performance', filters: {} },
      { view: 'failures', filters: {} },
      { view: 'chaos', filters: {}, chaosFile: '/w/db paused.clnrm.toml' },
      { view: 'chaos', filters: {} },
    ];
    for (const route of routes) expect(parseRoute(formatRoute(route))).toEqual(route);
    expect(formatRoute(routes[1]!)).toBe(`#/trace/${TRACE}?span=${SPAN}&mode=graph`);
    // Defaults are left out of the URL.
    expect(formatRoute({ view: 'traces', filters: { status: 'any', sort: 'newest', attributes: [] } })).toBe('#/traces');
  });

  it('falls back to the traces list for anything it does not know, and drops bad values', () => {
    expect(parseRoute('')).toEqual({ view: 'traces', filters: {} });
    expect(parseRoute('#/nowhere')).toEqual({ view: 'traces', filters: {} });
    expect(parseRoute('#/trace/not-an-id?service=api')).toEqual({ view: 'traces', filters: { service: 'api' } });
    expect(parseRoute(`#/trace/${TRACE.toUpperCase()}?span=xyz`)).toEqual({ view: 'trace', filters: {}, traceId: TRACE });
    expect(parseRoute('#/traces?min=-5&max=abc&status=weird&sort=up&attr=novalue')).toEqual({ view: 'traces', filters: {} });
    // A run id the store could not hold is dropped; a file or run without a folder names nothing.
    expect(parseRoute('#/tests?folder=x&test-run=..%2Fetc')).toEqual({ view: 'tests', filters: {}, testFolder: 'x' });
    expect(parseRoute('#/tests?file=a.clnrm.toml&test-run=r1')).toEqual({ view: 'tests', filters: {} });
    // A span without a file names nothing.
    expect(parseRoute('#/performance?span=db.query')).toEqual({ view: 'performance', filters: {} });
  });

  it('makes a history entry for a new place, not for a new selection or filter', () => {
    const list: Route = { view: 'traces', filters: {} };
    const trace: Route = { view: 'trace', filters: {}, traceId: TRACE };
    expect(isNewPlace(list, trace)).toBe(true);
    expect(isNewPlace(trace, { ...trace, spanId: SPAN })).toBe(false);
    expect(isNewPlace(list, { view: 'traces', filters: { service: 'db' } })).toBe(false);
    expect(isNewPlace(trace, { ...trace, traceId: TRACE.replace('0', '1') })).toBe(true);
    const folder: Route = { view: 'tests', filters: {}, testFolder: 'examples' };
    expect(isNewPlace(folder, { ...folder, testFile: 'examples/a.clnrm.toml', runId: 'r1' })).toBe(false);
    const perf: Route = { view: 'performance', filters: {}, perfFile: '/a.clnrm.toml' };
    expect(isNewPlace(perf, { ...perf, perfSpan: 'db.query' })).toBe(false);
    expect(isNewPlace(perf, { ...perf, perfFile: '/b.clnrm.toml' })).toBe(true);
    expect(isNewPlace({ view: 'chaos', filters: {}, chaosFile: '/a.clnrm.toml' }, { view: 'chaos', filters: {}, chaosFile: '/b.clnrm.toml' })).toBe(true);
  });
});
