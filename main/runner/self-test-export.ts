// Where `clnrm self-test --otel-exporter …` sends its own spans. `stdout`: each span as a clnrm NDJSON
// line the moment it ends (clnrm's stdout exporter), for an outer `clnrm run` to collect. `otlp`:
// OTLP/HTTP protobuf POSTs to `<endpoint>/v1/traces`. The export made inside `clnrm.run` is traced as a
// `clnrm.otel.export` CLIENT span describing that very request (its spans, peer, HTTP status); the final
// flush after `clnrm.run` ends carries `clnrm.run` and that export span, and is not traced itself (a span
// about the last export could only travel in yet another export).
import { StudioError } from '../../shared/errors';
import type { Span } from '../../shared/model';
import { encodeOtlpProtobuf } from '../../shared/otlp';
import { formatClnrmSpanLine } from '../../shared/otlp/clnrm-ndjson-write';
import type { OpenSpan } from './self-trace';
import type { SuiteStepResult } from './self-test-suites';

export const OTEL_EXPORTERS = ['stdout', 'otlp'] as const;
export type OtelExporterName = (typeof OTEL_EXPORTERS)[number];

const TRACE_SERVICE = 'opentelemetry.proto.collector.trace.v1.TraceService';
const EXPORT_TIMEOUT_MS = 10_000;

/** `OTEL_RESOURCE_ATTRIBUTES` (`k=v,k2=v2`, values percent-encoded) as attributes; malformed pairs are skipped, as the OTel SDKs do. */
export function parseResourceAttributes(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    try {
      out[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      continue;
    }
  }
  return out;
}

/** `http://jaeger:4318` → `http://jaeger:4318/v1/traces` (the OTLP/HTTP signal path); a URL already ending in it is kept. */
export function tracesUrl(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new StudioError({ code: 'cli.usage', message: `--otel-endpoint ${JSON.stringify(endpoint)} is not a URL; give one like http://collector:4318` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new StudioError({ code: 'cli.usage', message: `--otel-endpoint ${endpoint}: only http:// and https:// (OTLP/HTTP) are supported` });
  }
  if (!url.pathname.endsWith('/v1/traces')) url.pathname = `${url.pathname.replace(/\/$/, '')}/v1/traces`;
  return url;
}

export interface SpanExporter {
  /** The tracer's sink: every finished span. */
  readonly sink: (span: Span) => void;
  /** Inside `clnrm.run`, after the suites: a traced export (otlp), or nothing (stdout). */
  readonly beforeRunEnds: (run: OpenSpan) => Promise<SuiteStepResult | undefined>;
  /** After `clnrm.run` ended: sends what is left. Throws when it cannot. */
  readonly flush: () => Promise<void>;
}

export function stdoutExporter(write: (line: string) => void): SpanExporter {
  return {
    sink: (span) => write(formatClnrmSpanLine(span)),
    beforeRunEnds: () => Promise.resolve(undefined),
    flush: () => Promise.resolve(),
  };
}

async function post(url: URL, spans: readonly Span[]): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: new Uint8Array(encodeOtlpProtobuf(spans)),
    signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
  });
  await response.arrayBuffer();
  return response.status;
}

export function otlpExporter(endpoint: string): SpanExporter {
  const url = tracesUrl(endpoint);
  let pending: Span[] = [];
  const take = (): Span[] => {
    const batch = pending;
    pending = [];
    return batch;
  };
  return {
    sink: (span) => void pending.push(span),
    beforeRunEnds: async (run) => {
      const batch = take();
      const span = run.child(
        'clnrm.otel.export',
        { 'rpc.service': TRACE_SERVICE, 'rpc.method': 'Export', 'net.peer.name': url.hostname, 'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)), 'otel.export.spans': batch.length },
        { kind: 'client' },
      );
      try {
        const status = await post(url, batch);
        if (status < 200 || status > 299) throw new Error(`the collector answered HTTP ${status}`);
        span.end({ 'http.response.status_code': status }, { code: 'ok' });
        return { suite: 'otel', step: 'otel.export', passed: true, message: `exported ${batch.length} span(s) to ${url.host}` };
      } catch (error) {
        const message = `OTLP export of ${batch.length} span(s) to ${url.href} failed: ${(error as Error).message}`;
        span.end({ 'error.type': 'export' }, { code: 'error', message });
        return { suite: 'otel', step: 'otel.export', passed: false, message };
      }
    },
    flush: async () => {
      const batch = take();
      if (batch.length === 0) return;
      const status = await post(url, batch).catch((error: Error) => {
        throw new StudioError({ code: 'otlp.export-failed', message: `the final OTLP export (${batch.length} span(s)) to ${url.href} failed: ${error.message}` });
      });
      if (status < 200 || status > 299) throw new StudioError({ code: 'otlp.export-failed', message: `the final OTLP export to ${url.href} was answered HTTP ${status}` });
    },
  };
}
