// Realistic OTLP payloads for the ingest benchmark and the load test: HTTP-server-like spans with
// ten attributes, events on one in four, a resource per service. Deterministic per seed.
import { buildSpan, type KeyValue, type Span } from '../shared/model';

function hex(n: number, length: number): string {
  return n.toString(16).padStart(8, '0').repeat(4).slice(0, length);
}

export function realisticBatch(seed: number, size: number): Span[] {
  const resource = {
    attributes: [
      { key: 'service.name', value: { stringValue: `svc-${seed % 3}` } },
      { key: 'service.version', value: { stringValue: '1.4.2' } },
      { key: 'host.name', value: { stringValue: 'worker-7.cluster.local' } },
      { key: 'clnrm.run_id', value: { stringValue: 'bench' } },
    ],
  };
  const scope = { name: '@opentelemetry/instrumentation-http', version: '0.52.0' };
  const spans: Span[] = [];
  for (let i = 0; i < size; i++) {
    const start = 1_700_000_000_000_000_000n + BigInt(seed) * 1_000_000_000n + BigInt(i * 1000);
    const attributes: KeyValue[] = [
      { key: 'http.request.method', value: { stringValue: i % 2 ? 'GET' : 'POST' } },
      { key: 'url.full', value: { stringValue: `https://api.example.com/v1/orders/${seed}-${i}?expand=items` } },
      { key: 'http.response.status_code', value: { intValue: String(200 + (i % 5)) } },
      { key: 'server.address', value: { stringValue: 'api.example.com' } },
      { key: 'server.port', value: { intValue: '443' } },
      { key: 'network.protocol.version', value: { stringValue: '1.1' } },
      { key: 'user_agent.original', value: { stringValue: 'load-test/1.0' } },
      { key: 'http.request.body.size', value: { intValue: String(1024 + i) } },
      { key: 'sampling.ratio', value: { doubleValue: 0.25 } },
      { key: 'cache.hit', value: { boolValue: i % 3 === 0 } },
    ];
    spans.push(
      buildSpan({
        traceId: hex(seed * 7919 + Math.floor(i / 16) + 1, 32),
        spanId: hex(seed * 104729 + i + 1, 16),
        parentSpanId: i % 16 ? hex(seed * 104729 + i - (i % 16) + 1, 16) : undefined,
        name: i % 2 ? 'GET /v1/orders/{id}' : 'POST /v1/orders',
        kind: i % 16 ? 'client' : 'server',
        startTimeUnixNano: start.toString(),
        endTimeUnixNano: (start + 1_234_567n).toString(),
        attributes,
        events: i % 4 === 0 ? [{ name: 'request.sent', timeUnixNano: (start + 1000n).toString(), attributes: [{ key: 'bytes', value: { intValue: '512' } }] }] : [],
        status: i % 50 === 0 ? { code: 'error', message: 'upstream timeout' } : { code: 'unset' },
        resource,
        scope,
      }),
    );
  }
  return spans;
}
