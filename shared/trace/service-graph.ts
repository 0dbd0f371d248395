// Service dependency edges from spans: a call from service A to service B is a span of B whose
// parent span belongs to A. Latency percentiles are over those child spans' durations.
import type { Span } from '../model';
import type { ServiceEdge } from '../ipc/contract';

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function serviceGraph(spans: readonly Span[]): { services: string[]; edges: ServiceEdge[] } {
  const byId = new Map<string, Span>();
  const services = new Set<string>();
  for (const s of spans) {
    byId.set(`${s.traceId}/${s.spanId}`, s);
    services.add(s.serviceName);
  }
  const acc = new Map<string, { from: string; to: string; durations: number[]; errors: number }>();
  for (const s of spans) {
    if (!s.parentSpanId) continue;
    const parent = byId.get(`${s.traceId}/${s.parentSpanId}`);
    if (!parent || parent.serviceName === s.serviceName) continue;
    const key = `${parent.serviceName}\u0000${s.serviceName}`;
    let e = acc.get(key);
    if (!e) {
      e = { from: parent.serviceName, to: s.serviceName, durations: [], errors: 0 };
      acc.set(key, e);
    }
    e.durations.push(s.durationUs / 1000);
    if (s.status.code === 'error') e.errors++;
  }
  const edges: ServiceEdge[] = [];
  for (const e of acc.values()) {
    const sorted = Float64Array.from(e.durations).sort();
    edges.push({ from: e.from, to: e.to, calls: sorted.length, errors: e.errors, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) });
  }
  edges.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return { services: [...services].sort(), edges };
}
