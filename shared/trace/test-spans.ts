// Tiny span builder for the shared/trace tests (times in µs relative to an epoch base).
import { buildSpan } from '../model';
import type { Span } from '../model';

export const TEST_TRACE = '0af7651916cd43dd8448eb211c80319c';
const BASE_US = 1_700_000_000_000_000;

export function span(id: number, parent: number | undefined, start: number, end: number, extra: { name?: string; service?: string; error?: boolean } = {}): Span {
  return buildSpan({
    traceId: TEST_TRACE,
    spanId: id.toString(16).padStart(16, '0'),
    parentSpanId: parent === undefined ? undefined : parent.toString(16).padStart(16, '0'),
    name: extra.name ?? `op-${id}`,
    startTimeUnixNano: `${BASE_US + start}000`,
    endTimeUnixNano: `${BASE_US + end}000`,
    status: extra.error ? { code: 'error' } : { code: 'unset' },
    resource: { attributes: [{ key: 'service.name', value: { stringValue: extra.service ?? 'svc' } }] },
    scope: { name: 'test' },
  });
}
