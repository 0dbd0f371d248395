// Where `clnrm suggest --from` gets its runs: the traces a team's Jaeger or Grafana Tempo already keeps,
// read through their query APIs (one trace = one run). Jaeger: `GET {base}/api/traces?service=S&limit=N`
// → `{ data: [ { traceID, spans, processes } ], errors }`. Tempo: `GET {base}/api/search?tags=service.name=S
// &limit=N` → `{ traces: [ { traceID } ] }`, then `GET {base}/api/traces/{id}` → OTLP JSON under `batches`
// (or `resourceSpans`). Every answer is checked (HTTP status, size, time, shape) and a failure names the URL.
import { StudioError, toProblem, type Problem } from '../../shared/errors';
import { decodeOtlpJson } from '../../shared/otlp';
import { jaegerToSpans } from '../../shared/otlp/jaeger';
import { describe, isObject, parseJsonExact, type JsonObject } from '../../shared/otlp/json-read';
import type { MiningRun } from '../../shared/intelligence';
import type { LoadedRuns } from './sources';

export type RemoteKind = 'jaeger' | 'tempo';

export interface RemoteSource {
  readonly kind: RemoteKind;
  readonly base: URL;
}

export interface RemoteQuery {
  /** The service whose traces are fetched (Jaeger `service`, Tempo tag `service.name`). */
  readonly service: string;
  /** Most traces to fetch. */
  readonly limit: number;
  /** Only traces from this time on / up to this time (µs since the epoch): Jaeger `start`/`end` (µs), Tempo `start`/`end` (s). */
  readonly sinceUs?: number;
  readonly untilUs?: number;
  /** Per request, headers and body. */
  readonly timeoutMs?: number;
  /** Per response body. */
  readonly maxBytes?: number;
}

export const REMOTE_TIMEOUT_MS = 15_000;
export const REMOTE_MAX_BYTES = 64 * 1024 * 1024;
/** Tempo trace fetches in flight at once: enough to hide latency, few enough to spare the server. */
const TEMPO_PARALLEL = 4;

const fail = (message: string, details?: Problem['details']): StudioError => new StudioError({ code: 'suggest.source', message, ...(details ? { details } : {}) });

/** `jaeger:URL` or `tempo:URL`, URL being http(s) (the query service's base, e.g. http://localhost:16686). */
export function parseRemoteSource(spec: string): RemoteSource {
  const m = /^(jaeger|tempo):(.*)$/.exec(spec);
  if (!m) throw fail(`"${spec}" is not a trace source; give jaeger:URL (a Jaeger query service) or tempo:URL (Grafana Tempo), e.g. jaeger:http://localhost:16686`);
  let base: URL;
  try {
    base = new URL(m[2]!);
  } catch {
    throw fail(`"${m[2]}" is not a URL; give the ${m[1]} base URL, e.g. ${m[1]}:http://localhost:${m[1] === 'jaeger' ? 16686 : 3200}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw fail(`${m[1]} URL must be http or https, not ${base.protocol.replace(/:$/, '')}`);
  if (base.search || base.hash) throw fail(`give the ${m[1]} base URL without a query or fragment (clnrm adds /api/... itself): ${shownUrl(base)}`);
  return { kind: m[1] as RemoteKind, base };
}

/** The URL as shown in messages: without user name and password. */
function shownUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

function endpoint(base: URL, path: string, query: Record<string, string> = {}): URL {
  const url = new URL(base.href);
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  url.search = new URLSearchParams(query).toString();
  return url;
}

export async function runsFromRemote(source: RemoteSource, query: RemoteQuery): Promise<LoadedRuns> {
  return source.kind === 'jaeger' ? runsFromJaeger(source.base, query) : runsFromTempo(source.base, query);
}

async function runsFromJaeger(base: URL, query: RemoteQuery): Promise<LoadedRuns> {
  const range = {
    ...(query.sinceUs !== undefined ? { start: String(Math.floor(query.sinceUs)) } : {}),
    ...(query.untilUs !== undefined ? { end: String(Math.ceil(query.untilUs)) } : {}),
  };
  const url = endpoint(base, '/api/traces', { service: query.service, limit: String(query.limit), ...range });
  const root = await getJson(url, query);
  const shown = shownUrl(url);
  if (!isObject(root)) throw fail(`${shown} did not answer a Jaeger query result: expected an object with "data", found ${describe(root)}`);
  const errors = jaegerErrors(root['errors']);
  if (root['data'] === null && errors.length) throw fail(`${shown} answered with errors: ${errors.join('; ')}`);
  if (!Array.isArray(root['data'])) throw fail(`${shown} did not answer a Jaeger query result: "data" should be a list of traces, found ${describe(root['data'])}`);
  const warnings: Problem[] = errors.map((e) => ({ code: 'suggest.source', message: `${shown} reported: ${e}` }));
  const runs: MiningRun[] = [];
  const notes: string[] = [];
  for (const [i, trace] of root['data'].slice(0, query.limit).entries()) {
    let spans: MiningRun['spans'];
    try {
      spans = jaegerToSpans({ data: [trace] });
    } catch (error) {
      throw fail(`${shown}: trace ${i + 1}: ${toProblem(error).message.replace(/\bdata\[0\]/g, `data[${i}]`)}`);
    }
    addRun(runs, notes, `jaeger:${spans[0]?.traceId ?? i}`, spans);
  }
  if (runs.length === 0) notes.push(`${shown} has no traces of service "${query.service}"`);
  return { runs, warnings, notes };
}

/** Jaeger's `errors: [ { code, msg } ]` (or null) as readable lines. */
function jaegerErrors(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((e) => (isObject(e) ? `${typeof e['msg'] === 'string' ? e['msg'] : JSON.stringify(e)}${typeof e['code'] === 'number' ? ` (${e['code']})` : ''}` : JSON.stringify(e)));
}

function addRun(runs: MiningRun[], notes: string[], id: string, spans: MiningRun['spans']): void {
  if (spans.length === 0) notes.push(`trace ${id} has no spans; left out`);
  else if (runs.some((r) => r.id === id)) notes.push(`trace ${id} was listed twice; counted once`);
  else runs.push({ id, spans });
}

/** Tempo's search tag value in logfmt: bare when it can be, quoted otherwise. */
function logfmtValue(value: string): string {
  return /^[^\s"=\\]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
}

async function runsFromTempo(base: URL, query: RemoteQuery): Promise<LoadedRuns> {
  // Tempo's search takes whole seconds; without a range it searches its recent data only.
  const range = {
    ...(query.sinceUs !== undefined ? { start: String(Math.floor(query.sinceUs / 1e6)) } : {}),
    ...(query.untilUs !== undefined ? { end: String(Math.ceil(query.untilUs / 1e6)) } : {}),
  };
  const searchUrl = endpoint(base, '/api/search', { tags: `service.name=${logfmtValue(query.service)}`, limit: String(query.limit), ...range });
  const ids = tempoTraceIds(await getJson(searchUrl, query), shownUrl(searchUrl)).slice(0, query.limit);
  const results: { id: string; spans: MiningRun['spans']; warning?: Problem }[] = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < ids.length; i = next++) results[i] = await tempoTrace(base, ids[i]!, query);
  };
  await Promise.all(Array.from({ length: Math.min(TEMPO_PARALLEL, ids.length) }, worker));
  const runs: MiningRun[] = [];
  const notes: string[] = [];
  for (const r of results) addRun(runs, notes, `tempo:${r.id}`, r.spans);
  if (ids.length === 0) notes.push(`${shownUrl(searchUrl)} found no traces of service "${query.service}" (without a time range Tempo searches recent data only)`);
  return { runs, warnings: results.flatMap((r) => (r.warning ? [r.warning] : [])), notes };
}

function tempoTraceIds(root: unknown, shown: string): string[] {
  if (!isObject(root) || !('traces' in root)) throw fail(`${shown} did not answer a Tempo search result: expected an object with "traces", found ${describe(root)}`);
  // Tempo leaves out `traces` when nothing matched in some versions and answers null in others.
  if (root['traces'] === null) return [];
  if (!Array.isArray(root['traces'])) throw fail(`${shown}: "traces" should be a list, found ${describe(root['traces'])}`);
  return root['traces'].map((t, i) => {
    const id = isObject(t) ? t['traceID'] : undefined;
    // Tempo writes trace ids in hex and may drop leading zeros.
    if (typeof id !== 'string' || !/^[0-9a-fA-F]{1,32}$/.test(id)) throw fail(`${shown}: traces[${i}].traceID should be a hex trace id, found ${describe(id)}`);
    return id.toLowerCase().padStart(32, '0');
  });
}

async function tempoTrace(base: URL, id: string, query: RemoteQuery): Promise<{ id: string; spans: MiningRun['spans']; warning?: Problem }> {
  const url = endpoint(base, `/api/traces/${id}`);
  const shown = shownUrl(url);
  const root = await getJson(url, query);
  const key = isObject(root) && 'batches' in root ? 'batches' : 'resourceSpans';
  const resourceSpans = isObject(root) ? root[key] : undefined;
  if (!Array.isArray(resourceSpans)) throw fail(`${shown} did not answer a Tempo trace: expected OTLP JSON with "batches" (or "resourceSpans"), found ${describe(root)}`);
  let decoded: ReturnType<typeof decodeOtlpJson>;
  try {
    decoded = decodeOtlpJson({ resourceSpans: resourceSpans.map(withScopeSpans) });
  } catch (error) {
    const message = toProblem(error).message.replace('Invalid OTLP/JSON trace request', 'not a valid OTLP JSON trace');
    throw fail(`${shown}: ${message.replace(/\bresourceSpans\[/g, `${key}[`)}`);
  }
  const warning: Problem | undefined = decoded.errorMessage ? { code: 'suggest.source', message: `${shown}: ${decoded.errorMessage}` } : undefined;
  return { id, spans: decoded.spans, ...(warning ? { warning } : {}) };
}

/** Tempo before OTLP 0.19 wrote `instrumentationLibrarySpans` / `instrumentationLibrary`; today's names are scope. */
function withScopeSpans(rs: unknown): unknown {
  if (!isObject(rs) || !Array.isArray(rs['instrumentationLibrarySpans']) || 'scopeSpans' in rs) return rs;
  const { instrumentationLibrarySpans, ...rest } = rs;
  const scopeSpans = (instrumentationLibrarySpans as unknown[]).map((ils) => {
    if (!isObject(ils) || !('instrumentationLibrary' in ils)) return ils;
    const { instrumentationLibrary, ...other } = ils;
    return { ...other, scope: instrumentationLibrary };
  });
  return { ...rest, scopeSpans };
}

/** GET a JSON document: HTTP errors, a slow or oversized answer and non-JSON all fail naming the URL. */
async function getJson(url: URL, query: RemoteQuery): Promise<unknown> {
  const shown = shownUrl(url);
  const timeoutMs = query.timeoutMs ?? REMOTE_TIMEOUT_MS;
  const text = await getText(url, shown, timeoutMs, query.maxBytes ?? REMOTE_MAX_BYTES);
  try {
    return parseJsonExact(text);
  } catch (error) {
    throw fail(`${shown} did not answer JSON (${(error as Error).message}); is this the query API's base URL?`);
  }
}

async function getText(url: URL, shown: string, timeoutMs: number, maxBytes: number): Promise<string> {
  const signal = AbortSignal.timeout(timeoutMs);
  const failed = (error: unknown) =>
    error instanceof StudioError ? error : (error as Error).name === 'TimeoutError' ? fail(`${shown} did not answer within ${timeoutMs} ms`) : fail(`cannot reach ${shown}: ${networkReason(error)}`);
  let response: Response;
  try {
    response = await fetch(shownUrl(url), { headers: { accept: 'application/json', ...basicAuth(url) }, signal });
  } catch (error) {
    throw failed(error);
  }
  let text: string;
  try {
    text = await readLimited(response, shown, maxBytes);
  } catch (error) {
    throw failed(error);
  }
  if (!response.ok) throw fail(`${shown} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${errorExcerpt(text)}; ${statusHint(response.status)}`, { status: response.status });
  return text;
}

/** fetch refuses URLs carrying credentials: `user:password@host` becomes a Basic Authorization header. */
function basicAuth(url: URL): Record<string, string> {
  if (!url.username && !url.password) return {};
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` };
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

function statusHint(status: number): string {
  if (status === 404) return 'check the base URL (the query service itself, e.g. http://localhost:16686 for Jaeger, http://localhost:3200 for Tempo)';
  if (status === 401 || status === 403) return 'the API asks for credentials; put them in the URL (user:password@host)';
  return 'try again, or check the server';
}

/** The body's own explanation (Jaeger's errors[].msg or the first line of text), briefly. */
function errorExcerpt(text: string): string {
  let said = text.trim().split('\n')[0] ?? '';
  try {
    const root = JSON.parse(text) as unknown;
    if (isObject(root)) said = jaegerErrors((root as JsonObject)['errors']).join('; ') || said;
  } catch {
    // Not JSON: the text itself.
  }
  return said ? `: ${said.length > 200 ? `${said.slice(0, 200)}…` : said}` : '';
}

async function readLimited(response: Response, shown: string, maxBytes: number): Promise<string> {
  const tooLarge = () => fail(`${shown} answered more than ${maxBytes} bytes; ask for fewer traces (--limit)`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}
