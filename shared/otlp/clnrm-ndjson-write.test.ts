import { describe, expect, it } from 'vitest';
import { buildSpan, fromPlain } from '../model';
import { formatClnrmSpanLine } from './clnrm-ndjson-write';
import { parseTraceFile } from './trace-file';

describe('formatClnrmSpanLine', () => {
  it('writes lines the clnrm NDJSON reader reads back exactly (ids, kind, exact nanoseconds, attributes, events, status, resource)', () => {
    const span = buildSpan({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: '00f067aa0ba902b7',
      parentSpanId: 'b7ad6b7169203331',
      name: 'clnrm.otel.export',
      kind: 'client',
      startTimeUnixNano: '1735689600000000001',
      endTimeUnixNano: '1735689600123456789',
      attributes: [{ key: 'net.peer.name', value: fromPlain('jaeger') }, { key: 'otel.export.spans', value: fromPlain(4) }],
      events: [{ name: 'container.exec', timeUnixNano: '1735689600000000500', attributes: [{ key: 'process.exit.code', value: fromPlain(0) }] }],
      status: { code: 'ok' },
      resource: { attributes: [{ key: 'service.name', value: fromPlain('clnrm') }, { key: 'env', value: fromPlain('ci') }] },
      scope: { name: 'cleanroom.runner', version: '0.1.0' },
    });
    const text = `hello from the program\n${formatClnrmSpanLine(span)}\nbye\n`;
    const read = parseTraceFile(text, 'out.ndjson');
    expect(read.format).toBe('clnrm-ndjson');
    expect(read.spans).toHaveLength(1);
    const back = read.spans[0]!;
    expect([back.traceId, back.spanId, back.parentSpanId, back.name, back.kind]).toEqual([span.traceId, span.spanId, span.parentSpanId, span.name, 'client']);
    expect([back.startTimeUnixNano, back.endTimeUnixNano]).toEqual([span.startTimeUnixNano, span.endTimeUnixNano]);
    expect(back.attributes).toEqual(span.attributes);
    expect(back.events).toEqual(span.events);
    expect(back.status).toEqual({ code: 'ok' });
    expect(back.resource.attributes).toEqual(span.resource.attributes);
  });
});
