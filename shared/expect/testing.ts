// Compact span construction for the engine's tests and benchmark: times in milliseconds from a
// fixed epoch, ids derived from short labels so evidence is readable in assertions.
import { buildSpan, fromPlain } from '../model';
import type { Resource, Span, SpanKind, StatusCode } from '../model';

export const T0_MS = 1_700_000_000_000;

export interface SpanSpec {
  /** Short label; the span id is its hex padded to 16 chars. */
  id: string;
  name: string;
  parent?: string;
  trace?: string;
  startMs?: number;
  endMs?: number;
  kind?: SpanKind;
  status?: StatusCode;
  attrs?: Record<string, string | number | boolean>;
  events?: (string | { name: string; attrs?: Record<string, string | number | boolean> })[];
  service?: string;
  resource?: Resource;
}

/** `'a1'` → `'00000000000000a1'`-style id: hex of the label's char codes, padded. */
export function sid(label: string): string {
  let hex = '';
  for (const ch of label) hex += ch.charCodeAt(0).toString(16).padStart(2, '0');
  return hex.slice(-16).padStart(16, '0');
}

export function tid(label: string): string {
  return sid(label).padStart(32, '0');
}

const resources = new Map<string, Resource>();
export function resourceFor(service: string): Resource {
  let r = resources.get(service);
  if (!r) {
    r = { attributes: [{ key: 'service.name', value: { stringValue: service } }] };
    resources.set(service, r);
  }
  return r;
}

function attrs(rec: Record<string, string | number | boolean> | undefined) {
  return Object.entries(rec ?? {}).map(([key, v]) => ({ key, value: fromPlain(v) }));
}

export function nanoAt(ms: number): string {
  const whole = Math.floor(ms);
  const frac = Math.round((ms - whole) * 1e6);
  return (BigInt(T0_MS + whole) * 1_000_000n + BigInt(frac)).toString();
}

export function span(spec: SpanSpec): Span {
  const start = spec.startMs ?? 0;
  const end = spec.endMs ?? start + 1;
  return buildSpan({
    traceId: tid(spec.trace ?? 't'),
    spanId: sid(spec.id),
    parentSpanId: spec.parent === undefined ? undefined : sid(spec.parent),
    name: spec.name,
    kind: spec.kind ?? 'internal',
    startTimeUnixNano: nanoAt(start),
    endTimeUnixNano: nanoAt(end),
    attributes: attrs(spec.attrs),
    events: (spec.events ?? []).map((e) =>
      typeof e === 'string'
        ? { name: e, timeUnixNano: nanoAt(start), attributes: [] }
        : { name: e.name, timeUnixNano: nanoAt(start), attributes: attrs(e.attrs) },
    ),
    status: { code: spec.status ?? 'unset' },
    resource: spec.resource ?? resourceFor(spec.service ?? 'clnrm'),
    scope: { name: 'test' },
  });
}

export function spans(specs: SpanSpec[]): Span[] {
  return specs.map(span);
}
