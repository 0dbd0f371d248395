// Our spans → clnrm NDJSON span lines, the camelCase form clnrm's stdout exporter prints (one JSON
// object per line; `clnrm-ndjson.ts` reads it back). `clnrm self-test --otel-exporter stdout` prints
// its own trace this way, so an outer `clnrm run` with `artifacts.collect = ["spans:…"]` can judge it.
// Times stay decimal strings (exact nanoseconds; a JSON number would lose precision past 2^53).
import { toPlain, type KeyValue, type Span, type SpanKind, type StatusCode } from '../model';

type Plain = ReturnType<typeof toPlain>;

const KIND: Record<SpanKind, string> = { unspecified: 'Unspecified', internal: 'Internal', server: 'Server', client: 'Client', producer: 'Producer', consumer: 'Consumer' };
const STATUS: Record<StatusCode, string> = { unset: 'Unset', ok: 'Ok', error: 'Error' };

function plainAttributes(attributes: readonly KeyValue[]): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  for (const kv of attributes) out[kv.key] = toPlain(kv.value);
  return out;
}

/** One span as a clnrm NDJSON line (no trailing newline). */
export function formatClnrmSpanLine(span: Span): string {
  return JSON.stringify({
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    kind: KIND[span.kind],
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    attributes: plainAttributes(span.attributes),
    events: span.events.map((e) => ({ name: e.name, timestamp: e.timeUnixNano, attributes: plainAttributes(e.attributes) })),
    status: { code: STATUS[span.status.code], message: span.status.message ?? '' },
    resourceAttributes: plainAttributes(span.resource.attributes),
    instrumentationScope: { name: span.scope.name, version: span.scope.version ?? '' },
  });
}
