// Test support for the Jaeger and Tempo sources: a local HTTP server on 127.0.0.1 (port 0) answering
// what a test tells it, and our spans written in the shapes those APIs document (Jaeger's query JSON,
// Tempo's OTLP JSON under `batches` with base64 ids as Tempo's protobuf-JSON writes them).
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeOtlpJson } from '../../shared/otlp';
import type { AnyValue, KeyValue, Span } from '../../shared/model';

export interface FakeAnswer {
  readonly status?: number;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
  /** Send the headers, then never finish the body (a server that stalls mid-answer). */
  readonly stall?: boolean;
  /** Never answer at all. */
  readonly hang?: boolean;
  /** Send the body chunked, without a Content-Length. */
  readonly chunked?: boolean;
}

export interface FakeServer {
  /** http://127.0.0.1:PORT */
  readonly base: string;
  /** Path and query of every request, in order. */
  readonly requests: string[];
  /** Authorization headers received, in order. */
  readonly authorizations: (string | undefined)[];
  close(): Promise<void>;
}

export async function serveFake(answer: (url: URL) => FakeAnswer): Promise<FakeServer> {
  const requests: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    authorizations.push(req.headers.authorization);
    const a = answer(url);
    if (a.hang) return void held.push(res);
    const body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? null);
    res.writeHead(a.status ?? 200, { 'content-type': typeof a.body === 'string' ? 'text/plain' : 'application/json' });
    if (a.stall) {
      res.write(body.slice(0, 10));
      return void held.push(res);
    }
    if (a.chunked) res.write(body);
    res.end(a.chunked ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    authorizations,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The traces in `spans`, one entry per trace id, in first-seen order. */
export function byTrace(spans: readonly Span[]): Span[][] {
  const traces = new Map<string, Span[]>();
  for (const s of spans) {
    let list = traces.get(s.traceId);
    if (!list) traces.set(s.traceId, (list = []));
    list.push(s);
  }
  return [...traces.values()];
}

const micros = (nano: string) => Number(BigInt(nano) / 1000n);

function jaegerTag({ key, value }: KeyValue): { key: string; type: string; value: unknown } {
  if ('stringValue' in value) return { key, type: 'string', value: value.stringValue };
  if ('boolValue' in value) return { key, type: 'bool', value: value.boolValue };
  if ('intValue' in value) return { key, type: 'int64', value: Number(value.intValue) };
  if ('doubleValue' in value) return { key, type: 'float64', value: value.doubleValue };
  if ('bytesValue' in value) return { key, type: 'binary', value: value.bytesValue };
  return { key, type: 'string', value: JSON.stringify(value as AnyValue) };
}

/** One trace as an entry of Jaeger's `data` list (times in µs, as Jaeger keeps them). */
export function jaegerTrace(spans: readonly Span[]): Record<string, unknown> {
  const processes = new Map<Span['resource'], string>();
  const out = spans.map((s) => {
    let processID = processes.get(s.resource);
    if (!processID) processes.set(s.resource, (processID = `p${processes.size + 1}`));
    const tags = s.attributes.map(jaegerTag);
    if (s.kind !== 'unspecified') tags.push({ key: 'span.kind', type: 'string', value: s.kind });
    if (s.status.code !== 'unset') tags.push({ key: 'otel.status_code', type: 'string', value: s.status.code.toUpperCase() });
    if (s.status.message) tags.push({ key: 'otel.status_description', type: 'string', value: s.status.message });
    if (s.scope.name) tags.push({ key: 'otel.scope.name', type: 'string', value: s.scope.name });
    if (s.scope.version) tags.push({ key: 'otel.scope.version', type: 'string', value: s.scope.version });
    return {
      traceID: s.traceId,
      spanID: s.spanId,
      operationName: s.name,
      references: s.parentSpanId ? [{ refType: 'CHILD_OF', traceID: s.traceId, spanID: s.parentSpanId }] : [],
      startTime: micros(s.startTimeUnixNano),
      duration: micros(s.endTimeUnixNano) - micros(s.startTimeUnixNano),
      tags,
      logs: s.events.map((e) => ({ timestamp: micros(e.timeUnixNano), fields: [{ key: 'event', type: 'string', value: e.name }, ...e.attributes.map(jaegerTag)] })),
      processID,
      warnings: null,
    };
  });
  const processMap = Object.fromEntries(
    [...processes].map(([resource, id]) => {
      const service = resource.attributes.find((a) => a.key === 'service.name');
      const serviceName = service && 'stringValue' in service.value ? service.value.stringValue : '';
      return [id, { serviceName, tags: resource.attributes.filter((a) => a.key !== 'service.name').map(jaegerTag) }];
    }),
  );
  return { traceID: spans[0]!.traceId, spans: out, processes: processMap, warnings: null };
}

/** Jaeger's `/api/traces` answer for these traces. */
export function jaegerAnswer(traces: readonly (readonly Span[])[]): Record<string, unknown> {
  return { data: traces.map(jaegerTrace), total: 0, limit: 0, offset: 0, errors: null };
}

const base64Of = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

/** Tempo's `/api/traces/{id}` answer: OTLP JSON under `batches`, ids in base64. */
export function tempoTraceAnswer(spans: readonly Span[]): Record<string, unknown> {
  const json = JSON.stringify(encodeOtlpJson(spans), (key, value: unknown) =>
    (key === 'traceId' || key === 'spanId' || key === 'parentSpanId') && typeof value === 'string' && value !== '' ? base64Of(value) : value,
  );
  const { resourceSpans } = JSON.parse(json) as { resourceSpans: unknown[] };
  return { batches: resourceSpans };
}

/** Tempo's `/api/search` answer: trace ids in hex without leading zeros, as Tempo writes them. */
export function tempoSearchAnswer(traces: readonly (readonly Span[])[]): Record<string, unknown> {
  return {
    traces: traces.map((t) => ({ traceID: t[0]!.traceId.replace(/^0+/, ''), rootServiceName: t[0]!.serviceName, rootTraceName: t[0]!.name, startTimeUnixNano: t[0]!.startTimeUnixNano, durationMs: 1 })),
    metrics: { inspectedBytes: '0' },
  };
}
