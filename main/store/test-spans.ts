// Span factories for the store's and receiver's tests and benches (deterministic, no randomness).
import { buildSpan, type Resource, type Span, type SpanKind, type StatusCode } from '../../shared/model';

export function resourceFor(service: string, extra: Record<string, string> = {}): Resource {
  return {
    attributes: [{ key: 'service.name', value: { stringValue: service } }, ...Object.entries(extra).map(([key, v]) => ({ key, value: { stringValue: v } }))],
  };
}

export function hexId(n: number, length: 16 | 32): string {
  return n.toString(16).padStart(length, '0');
}

export interface MakeSpan {
  trace: number;
  span: number;
  parent?: number;
  name?: string;
  resource: Resource;
  startMs?: number;
  durationMs?: number;
  status?: StatusCode;
  kind?: SpanKind;
  attrs?: Record<string, string | number | boolean>;
}

export function makeSpan(m: MakeSpan): Span {
  const startNs = BigInt(Math.round((m.startMs ?? 1_700_000_000_000) * 1000)) * 1000n + 123n;
  const endNs = startNs + BigInt(Math.round((m.durationMs ?? 10) * 1e6));
  return buildSpan({
    traceId: hexId(m.trace, 32),
    spanId: hexId(m.span, 16),
    parentSpanId: m.parent !== undefined ? hexId(m.parent, 16) : undefined,
    name: m.name ?? 'op',
    kind: m.kind ?? 'internal',
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: endNs.toString(),
    attributes: Object.entries(m.attrs ?? {}).map(([key, v]) => ({
      key,
      value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v },
    })),
    status: { code: m.status ?? 'unset' },
    resource: m.resource,
    scope: { name: 'test', version: '1.0.0' },
  });
}

/** `count` traces of `perTrace` spans each (a root and children), service `svc`. */
export function makeTraces(count: number, perTrace: number, resource: Resource, firstTrace = 1): Span[] {
  const out: Span[] = [];
  for (let t = 0; t < count; t++) {
    const trace = firstTrace + t;
    for (let s = 0; s < perTrace; s++) {
      out.push(makeSpan({ trace, span: trace * 1000 + s + 1, parent: s === 0 ? undefined : trace * 1000 + 1, name: s === 0 ? 'root' : `child-${s % 3}`, resource, startMs: 1_700_000_000_000 + trace * 100 + s }));
    }
  }
  return out;
}
