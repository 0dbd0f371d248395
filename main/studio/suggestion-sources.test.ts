// The Suggestions panel learning from other sources than the file's stored runs, through the contract's
// validation as a transport calls it: chosen traces in the store (the open one alone, several, one
// missing), a Jaeger and a Tempo query API served by the CLI's local test server (accepting writes what
// the panel showed, without fetching again), every way such a server fails, and bad sources refused.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTestFile } from '../../shared/spec';
import { jaegerAnswer, serveFake, tempoSearchAnswer, tempoTraceAnswer, type FakeAnswer, type FakeServer } from '../intelligence/remote-test-support';
import { hexId } from '../store/test-spans';
import { TEST, itemsTrace, openPanel, panelFolder, storeExecution } from './suggestions-test-support';

let fixture: ReturnType<typeof panelFolder>;
let server: FakeServer | undefined;
beforeEach(() => {
  fixture = panelFolder();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await fixture.dispose();
});

const serve = async (answer: (url: URL) => FakeAnswer) => (server = await serveFake(answer));
const traceOf = (k: number) => hexId(100 + k, 32);
/** Four correct traces of the items system (not stored: what a team's Jaeger or Tempo keeps). */
const remoteTraces = () => [10, 11, 12, 13].map((k) => itemsTrace(k));

describe('learning from traces in the store', () => {
  it('learns from the chosen traces (each one run), previews on the stored runs, and accepts one', async () => {
    const api = await openPanel(fixture);
    for (let k = 0; k < 4; k++) await storeExecution(fixture, k);
    const source = { kind: 'traces', traceIds: [traceOf(0), traceOf(1), traceOf(2)] };
    const r = await api.ok('suggestionsForFile', { path: fixture.file, minConfidence: 0.8, source });

    expect(r.learnedFrom).toBe(3);
    expect(r.learnedFromSource).toEqual({ kind: 'traces', description: '3 traces from the store (00000000, 00000000, 00000000)', evidenceInStore: true });
    // Previewed on every stored execution, the fourth (not learned from) included.
    expect(r.runs).toHaveLength(4);
    const span = r.suggestions.find((s) => s.kind === 'span' && s.summary.includes('"SELECT items"'))!;
    expect(span).toMatchObject({ support: 3, failsOn: [] });
    expect(span.evidence.map((e) => e.traceId).sort()).toEqual([traceOf(0), traceOf(1), traceOf(2)]);

    const accepted = await api.ok('acceptSuggestions', { path: fixture.file, minConfidence: 0.8, source, ids: [span.id] });
    expect(accepted.written).toEqual([span.id]);
    const text = readFileSync(fixture.file, 'utf8');
    expect(text.startsWith(TEST)).toBe(true);
    expect(text).toContain('name = "SELECT items"');
    expect(parseTestFile(text).errors).toEqual([]);
    const undone = await api.ok('undoAccept', { token: accepted.undoToken });
    expect(undone.diff).toMatch(/^-name = "SELECT items"$/m);
  });

  it('learns from the open trace alone once the minimum support allows one run, and says why it shows nothing otherwise', async () => {
    const api = await openPanel(fixture);
    await storeExecution(fixture, 0);
    const source = { kind: 'traces', traceIds: [traceOf(0)] };
    const strict = await api.ok('suggestionsForFile', { path: fixture.file, minConfidence: 0.5, source, traceId: traceOf(0) });
    expect(strict).toMatchObject({ learnedFrom: 1, suggestions: [] });
    expect(strict.notes.join(' ')).toMatch(/1 run\(s\) to learn from: a suggestion needs support in at least 2/);

    const one = await api.ok('suggestionsForFile', { path: fixture.file, minConfidence: 0.5, minSupport: 1, source, traceId: traceOf(0) });
    expect(one.suggestions.length).toBeGreaterThan(0);
    expect(one.suggestions.every((s) => s.support === 1 && s.onOpenTrace === true)).toBe(true);
  });

  it('counts two traces of one execution once', async () => {
    const api = await openPanel(fixture);
    const execution = await storeExecution(fixture, 0);
    fixture.store!.ingest(itemsTrace(30, false, { 'clnrm.execution_id': execution }));
    await fixture.store!.commit();
    const r = await api.ok('suggestionsForFile', { path: fixture.file, minConfidence: 0.5, minSupport: 1, source: { kind: 'traces', traceIds: [traceOf(0), traceOf(30)] } });
    expect(r.learnedFrom).toBe(1);
    expect(r.notes).toContain(`Trace ${traceOf(30).slice(0, 8)} is of the same execution as ${traceOf(0).slice(0, 8)} (one run); counted once.`);
    // The one run is the whole execution: both traces' GET /items.
    expect(r.suggestions.find((s) => s.kind === 'count' && s.snippet.includes('"GET /items" = { eq = 2 }'))).toBeDefined();
  });

  it('takes a trace without an execution as its own spans, and refuses a trace the store does not hold', async () => {
    const api = await openPanel(fixture);
    fixture.store!.ingest([...itemsTrace(20), ...itemsTrace(21)]);
    await fixture.store!.commit();
    const r = await api.ok('suggestionsForFile', { path: fixture.file, minConfidence: 0.7, source: { kind: 'traces', traceIds: [traceOf(20), traceOf(21)] } });
    expect(r.learnedFrom).toBe(2);
    expect(r.suggestions.find((s) => s.kind === 'span' && s.summary.includes('"GET /items"'))?.support).toBe(2);
    expect(await api.code('suggestionsForFile', { path: fixture.file, source: { kind: 'traces', traceIds: [traceOf(20), traceOf(99)] } })).toBe('trace.not-found');
  });
});

describe('learning from Jaeger and Tempo', () => {
  it('learns from a Jaeger query API (evidence as ids, the service only) and accepts what it showed without fetching again', async () => {
    const s = await serve(() => ({ body: jaegerAnswer(remoteTraces()) }));
    const api = await openPanel(fixture);
    await storeExecution(fixture, 0);
    const source = { kind: 'remote', system: 'jaeger', url: `${s.base}/jaeger/`, service: 'db', limit: 4 };
    const r = await api.ok('suggestionsForFile', { path: fixture.file, minConfidence: 0.9, source });

    expect(s.requests).toEqual(['/jaeger/api/traces?service=db&limit=4']);
    expect(r.learnedFrom).toBe(4);
    expect(r.learnedFromSource).toEqual({ kind: 'remote', description: `jaeger ${s.base}/jaeger: 4 traces of db`, evidenceInStore: false });
    expect(r.notes.join(' ')).toMatch(/Evidence is shown as span ids: the Jaeger traces are not in the store/);
    // --service keeps db's spans: api's GET /items is not mined.
    expect(r.suggestions.some((x) => x.summary.includes('GET /items'))).toBe(false);
    const span = r.suggestions.find((x) => x.kind === 'span' && x.summary.includes('"SELECT items"'))!;
    expect(span.support).toBe(4);
    expect(span.evidence.map((e) => e.traceId).sort()).toEqual([10, 11, 12, 13].map(traceOf));
    // The stored execution of the file is previewed.
    expect(span.failsOn).toEqual([]);
    expect(r.runs).toHaveLength(1);

    const accepted = await api.ok('acceptSuggestions', { path: fixture.file, minConfidence: 0.9, source, ids: [span.id] });
    expect(accepted.written).toEqual([span.id]);
    expect(s.requests).toHaveLength(1);
    expect(readFileSync(fixture.file, 'utf8')).toContain('name = "SELECT items"');
  });

  it('learns from Tempo: a search, then each trace', async () => {
    const traces = remoteTraces();
    const s = await serve((url) => {
      if (url.pathname === '/api/search') return { body: tempoSearchAnswer(traces) };
      const found = traces.find((t) => url.pathname === `/api/traces/${t[0]!.traceId}`);
      return found ? { body: tempoTraceAnswer(found) } : { status: 404, body: 'trace not found' };
    });
    const api = await openPanel(fixture);
    const r = await api.ok('suggestionsForFile', { path: fixture.file, minConfidence: 0.9, source: { kind: 'remote', system: 'tempo', url: s.base, service: 'api', limit: 4 } });
    expect(s.requests[0]).toBe('/api/search?tags=service.name%3Dapi&limit=4');
    expect(s.requests).toHaveLength(5);
    expect(r.learnedFrom).toBe(4);
    expect(r.suggestions.find((x) => x.kind === 'span' && x.summary.includes('"GET /items"'))?.support).toBe(4);
  });

  it('says what went wrong when the server answers junk or an error, cannot be reached, or does not answer in time', async () => {
    const source = (url: string) => ({ kind: 'remote', system: 'jaeger', url, service: 'db' });
    const junk = await serve((url) => (url.searchParams.get('service') === 'db' ? { body: '<html>not the API</html>' } : { status: 500, body: 'boom' }));
    const api = await openPanel(fixture, { remoteTimeoutMs: 300 });
    const reply = await api.call('suggestionsForFile', { path: fixture.file, source: source(junk.base) });
    expect(reply.ok ? 'ok' : [reply.error.code, reply.error.message]).toEqual(['suggest.source', expect.stringMatching(/did not answer JSON/)]);
    const failing = await api.call('suggestionsForFile', { path: fixture.file, source: { ...source(junk.base), service: 'api' } });
    expect(failing.ok ? 'ok' : [failing.error.code, failing.error.message]).toEqual(['suggest.source', expect.stringMatching(/answered HTTP 500 Internal Server Error: boom/)]);
    await junk.close();

    // The same port, nothing listening any more.
    const gone = await api.call('suggestionsForFile', { path: fixture.file, source: source(junk.base) });
    expect(gone.ok ? 'ok' : [gone.error.code, gone.error.message]).toEqual(['suggest.source', expect.stringMatching(/^cannot reach http:\/\/127\.0\.0\.1:\d+\/api\/traces/)]);

    server = await serveFake(() => ({ hang: true }));
    const slow = await api.call('suggestionsForFile', { path: fixture.file, source: source(server.base) });
    expect(slow.ok ? 'ok' : [slow.error.code, slow.error.message]).toEqual(['suggest.source', expect.stringMatching(/did not answer within 300 ms/)]);
    expect(readFileSync(fixture.file, 'utf8')).toBe(TEST);
  });
});

describe('a source is checked before anything is read', () => {
  it('refuses bad trace ids, too many, twice the same, a non-http URL, out-of-range limits and unknown kinds', async () => {
    const api = await openPanel(fixture);
    const code = (source: unknown, extra: Record<string, unknown> = {}) => api.code('suggestionsForFile', { path: fixture.file, source, ...extra });
    const remote = { kind: 'remote', system: 'jaeger', url: 'http://127.0.0.1:16686', service: 'api' };
    expect(await code({ kind: 'traces', traceIds: ['xyz'] })).toBe('ipc.invalid');
    expect(await code({ kind: 'traces', traceIds: ['AB'.repeat(16)] })).toBe('ipc.invalid');
    expect(await code({ kind: 'traces', traceIds: [] })).toBe('ipc.invalid');
    expect(await code({ kind: 'traces', traceIds: Array.from({ length: 201 }, (_, i) => traceOf(i)) })).toBe('ipc.invalid');
    expect(await code({ kind: 'traces', traceIds: [traceOf(1), traceOf(1)] })).toBe('ipc.invalid');
    expect(await code({ ...remote, url: 'file:///etc/passwd' })).toBe('ipc.invalid');
    expect(await code({ ...remote, url: 'http://h:16686/?service=x' })).toBe('ipc.invalid');
    expect(await code({ ...remote, service: '  ' })).toBe('ipc.invalid');
    expect(await code({ ...remote, limit: 0 })).toBe('ipc.invalid');
    expect(await code({ ...remote, limit: 201 })).toBe('ipc.invalid');
    expect(await code({ ...remote, system: 'zipkin' })).toBe('ipc.invalid');
    expect(await code({ kind: 'files', paths: ['/etc/passwd'] })).toBe('ipc.invalid');
    expect(await code({ kind: 'runs', runs: 101 })).toBe('ipc.invalid');
    expect(await code({ kind: 'runs' }, { minSupport: 0 })).toBe('ipc.invalid');
    // Passes the schema, then the URL's own check: a port out of range.
    expect(await code({ ...remote, url: 'http://127.0.0.1:99999' })).toBe('suggest.source');
    expect(readFileSync(fixture.file, 'utf8')).toBe(TEST);
  });
});
