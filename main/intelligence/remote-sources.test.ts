// The Jaeger and Tempo sources against a local server answering their documented JSON (built from
// resources/samples/demo-orders.otlp.json, three traces), and against every way such a server fails.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseTraceFile } from '../../shared/otlp';
import type { Span } from '../../shared/model';
import { parseRemoteSource, runsFromRemote, type RemoteQuery } from './remote-sources';
import { byTrace, jaegerAnswer, serveFake, tempoSearchAnswer, tempoTraceAnswer, type FakeAnswer, type FakeServer } from './remote-test-support';

let traces: Span[][];
beforeAll(async () => {
  const text = await readFile(join(__dirname, '../../resources/samples/demo-orders.otlp.json'), 'utf8');
  traces = byTrace(parseTraceFile(text).spans);
  expect(traces.length).toBe(3);
});

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const serve = async (answer: (url: URL) => FakeAnswer) => (server = await serveFake(answer));
const query: RemoteQuery = { service: 'api', limit: 5 };
/**
 * What mining looks at, without object identity (a Jaeger process becomes a new resource object);
 * `unit` 1000 compares times in whole microseconds, as Jaeger keeps them.
 */
const essence = (spans: readonly Span[], unit = 1n) =>
  spans
    .map((s) => ({ t: s.traceId, s: s.spanId, p: s.parentSpanId, n: s.name, k: s.kind, a: BigInt(s.startTimeUnixNano) / unit, b: BigInt(s.endTimeUnixNano) / unit, st: s.status, svc: s.serviceName, attrs: s.attributes, ev: s.events.map((e) => ({ ...e, timeUnixNano: BigInt(e.timeUnixNano) / unit })) }))
    .sort((x, y) => x.s.localeCompare(y.s));

describe('parseRemoteSource', () => {
  it('reads jaeger:URL and tempo:URL, http or https only', () => {
    expect(parseRemoteSource('jaeger:http://localhost:16686').kind).toBe('jaeger');
    expect(parseRemoteSource('tempo:https://tempo.example/prefix/').base.pathname).toBe('/prefix/');
    expect(() => parseRemoteSource('zipkin:http://x')).toThrow(/jaeger:URL .* or tempo:URL/);
    expect(() => parseRemoteSource('jaeger:not a url')).toThrow(/is not a URL/);
    expect(() => parseRemoteSource('tempo:file:///etc/passwd')).toThrow(/http or https, not file/);
    expect(() => parseRemoteSource('jaeger:http://h/?service=x')).toThrow(/without a query/);
  });
});

describe('Jaeger query API', () => {
  it('fetches /api/traces?service=S&limit=N under the base path; one trace = one run', async () => {
    const s = await serve(() => ({ body: jaegerAnswer(traces) }));
    const loaded = await runsFromRemote(parseRemoteSource(`jaeger:${s.base}/select/jaeger/`), query);
    expect(s.requests).toEqual(['/select/jaeger/api/traces?service=api&limit=5']);
    expect(loaded.runs.map((r) => r.id)).toEqual(traces.map((t) => `jaeger:${t[0]!.traceId}`));
    for (const [i, run] of loaded.runs.entries()) expect(essence(run.spans, 1000n)).toEqual(essence(traces[i]!, 1000n));
    expect(loaded.warnings).toEqual([]);
  });

  it('asks for a time range as start/end in microseconds', async () => {
    const s = await serve(() => ({ body: jaegerAnswer(traces) }));
    await runsFromRemote(parseRemoteSource(`jaeger:${s.base}`), { ...query, sinceUs: 1_700_000_000_123_456, untilUs: 1_700_000_360_000_000.5 });
    expect(s.requests).toEqual(['/api/traces?service=api&limit=5&start=1700000000123456&end=1700000360000001']);
  });

  it("keeps the traces and warns with Jaeger's own errors; an answer of errors only fails", async () => {
    const s = await serve((url) =>
      url.searchParams.get('service') === 'api'
        ? { body: { ...jaegerAnswer(traces.slice(0, 1)), errors: [{ code: 500, msg: 'trace abc: span missing' }] } }
        : { body: { data: null, errors: [{ code: 400, msg: 'service not found' }] } },
    );
    const loaded = await runsFromRemote(parseRemoteSource(`jaeger:${s.base}`), query);
    expect(loaded.runs).toHaveLength(1);
    expect(loaded.warnings[0]).toMatchObject({ code: 'suggest.source', message: expect.stringContaining('trace abc: span missing (500)') });
    await expect(runsFromRemote(parseRemoteSource(`jaeger:${s.base}`), { ...query, service: 'nope' })).rejects.toThrow(/answered with errors: service not found \(400\)/);
  });

  it('sends user:password from the URL as Basic auth and never shows the password', async () => {
    const s = await serve(() => ({ status: 401, body: 'unauthorized' }));
    const url = s.base.replace('http://', 'http://ana:s%3Dcret@');
    await expect(runsFromRemote(parseRemoteSource(`jaeger:${url}`), query)).rejects.toThrow(/^http:\/\/127\.0\.0\.1:\d+\/api\/traces\?service=api&limit=5 answered HTTP 401 Unauthorized: unauthorized; the API asks for credentials/);
    expect(s.authorizations).toEqual([`Basic ${Buffer.from('ana:s=cret').toString('base64')}`]);
  });

  it('names the trace and JSON path of a span it cannot read', async () => {
    const answer = jaegerAnswer(traces) as { data: { spans: { spanID: string }[] }[] };
    answer.data[2]!.spans[0]!.spanID = 'xyz';
    const s = await serve(() => ({ body: answer }));
    await expect(runsFromRemote(parseRemoteSource(`jaeger:${s.base}`), query)).rejects.toThrow(/trace 3: .*non-zero hex id .* at data\[2\].spans\[0\]\.spanID/);
  });
});

describe('Grafana Tempo API', () => {
  it('searches by service.name, then fetches each trace (batches, base64 ids, leading zeros dropped)', async () => {
    const s = await serve((url) => {
      if (url.pathname === '/api/search') return { body: tempoSearchAnswer(traces) };
      const t = traces.find((tr) => url.pathname === `/api/traces/${tr[0]!.traceId}`);
      return t ? { body: tempoTraceAnswer(t) } : { status: 404, body: 'trace not found' };
    });
    const loaded = await runsFromRemote(parseRemoteSource(`tempo:${s.base}`), { ...query, service: 'my api' });
    expect(s.requests[0]).toBe('/api/search?tags=service.name%3D%22my+api%22&limit=5');
    expect(s.requests.slice(1).sort()).toEqual(traces.map((t) => `/api/traces/${t[0]!.traceId}`).sort());
    expect(loaded.runs.map((r) => r.id)).toEqual(traces.map((t) => `tempo:${t[0]!.traceId}`));
    for (const [i, run] of loaded.runs.entries()) expect(essence(run.spans)).toEqual(essence(traces[i]!));
  });

  it('asks for a time range as start/end in whole seconds, widened to cover it', async () => {
    const s = await serve((url) => (url.pathname === '/api/search' ? { body: tempoSearchAnswer([]) } : { status: 404, body: '' }));
    await runsFromRemote(parseRemoteSource(`tempo:${s.base}`), { ...query, sinceUs: 1_700_000_000_900_000, untilUs: 1_700_000_360_000_001 });
    expect(s.requests).toEqual(['/api/search?tags=service.name%3Dapi&limit=5&start=1700000000&end=1700000361']);
  });

  it('reads resourceSpans and the older instrumentationLibrarySpans form too', async () => {
    const old = (spans: Span[]) => {
      const { batches } = tempoTraceAnswer(spans) as { batches: { scopeSpans: { scope: unknown }[] }[] };
      return { resourceSpans: batches.map(({ scopeSpans, ...rs }) => ({ ...rs, instrumentationLibrarySpans: scopeSpans.map(({ scope, ...ss }) => ({ ...ss, instrumentationLibrary: scope })) })) };
    };
    const s = await serve((url) => (url.pathname === '/api/search' ? { body: tempoSearchAnswer(traces.slice(0, 1)) } : { body: old(traces[0]!) }));
    const loaded = await runsFromRemote(parseRemoteSource(`tempo:${s.base}`), query);
    expect(essence(loaded.runs[0]!.spans)).toEqual(essence(traces[0]!));
    expect(loaded.runs[0]!.spans.every((sp) => sp.scope.name === traces[0]![0]!.scope.name)).toBe(true);
  });

  it('notes a search that found nothing', async () => {
    const s = await serve(() => ({ body: { traces: [] } }));
    const loaded = await runsFromRemote(parseRemoteSource(`tempo:${s.base}`), query);
    expect(loaded.runs).toEqual([]);
    expect(loaded.notes[0]).toMatch(/found no traces of service "api"/);
  });
});

describe('a source that fails', () => {
  const failing = async (kind: 'jaeger' | 'tempo', answer: FakeAnswer, extra: Partial<RemoteQuery> = {}) => {
    const s = await serve((url) => (kind === 'tempo' && url.pathname === '/api/search' ? { body: tempoSearchAnswer(traces.slice(0, 1)) } : answer));
    return runsFromRemote(parseRemoteSource(`${kind}:${s.base}`), { ...query, ...extra });
  };

  it('HTTP 404 and 500 name the URL, the status and what the server said', async () => {
    await expect(failing('jaeger', { status: 404, body: '404 page not found' })).rejects.toMatchObject({
      code: 'suggest.source',
      message: expect.stringMatching(/\/api\/traces\?service=api&limit=5 answered HTTP 404 Not Found: 404 page not found; check the base URL/),
    });
    await expect(failing('jaeger', { status: 500, body: { data: null, errors: [{ code: 500, msg: 'storage down' }] } })).rejects.toThrow(/answered HTTP 500 Internal Server Error: storage down \(500\)/);
    await expect(failing('tempo', { status: 500, body: 'backend error' })).rejects.toThrow(/\/api\/traces\/[0-9a-f]{32} answered HTTP 500 Internal Server Error: backend error/);
  });

  it('bad JSON and wrong shapes', async () => {
    await expect(failing('jaeger', { body: '{"data": [' })).rejects.toThrow(/\/api\/traces\?service=api&limit=5 did not answer JSON/);
    await expect(failing('jaeger', { body: { traces: [] } })).rejects.toThrow(/"data" should be a list of traces, found undefined/);
    await expect(failing('jaeger', { body: [1] })).rejects.toThrow(/expected an object with "data", found an array/);
    await expect(failing('tempo', { body: { data: [] } })).rejects.toThrow(/did not answer a Tempo trace: expected OTLP JSON with "batches"/);
    await expect(failing('tempo', { body: { batches: [{ scopeSpans: 3 }] } })).rejects.toThrow(/not a valid OTLP JSON trace: .* at batches\[0\]\.scopeSpans$/);
    const s = await serve(() => ({ body: { traces: [{ traceID: 'not-hex' }] } }));
    await expect(runsFromRemote(parseRemoteSource(`tempo:${s.base}`), query)).rejects.toThrow(/traces\[0\]\.traceID should be a hex trace id/);
  });

  it('a server that does not answer, or stalls mid-body, times out', async () => {
    await expect(failing('jaeger', { hang: true }, { timeoutMs: 150 })).rejects.toThrow(/\/api\/traces\?service=api&limit=5 did not answer within 150 ms/);
    await expect(failing('tempo', { stall: true, body: tempoTraceAnswer(traces[0]!) }, { timeoutMs: 150 })).rejects.toThrow(/\/api\/traces\/[0-9a-f]{32} did not answer within 150 ms/);
  });

  it('an answer larger than the limit is refused, declared or streamed', async () => {
    const tooLarge = /answered more than 1000 bytes; ask for fewer traces \(--limit\)/;
    await expect(failing('jaeger', { body: jaegerAnswer(traces) }, { maxBytes: 1000 })).rejects.toThrow(tooLarge);
    await expect(failing('jaeger', { body: jaegerAnswer(traces), chunked: true }, { maxBytes: 1000 })).rejects.toThrow(tooLarge);
  });

  it('a port nobody listens on', async () => {
    const s = await serve(() => ({}));
    await s.close();
    server = undefined;
    await expect(runsFromRemote(parseRemoteSource(`jaeger:${s.base}`), query)).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:\d+\/api\/traces\?service=api&limit=5: ECONNREFUSED/);
  });
});
