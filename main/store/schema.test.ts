// The body JSON built from pieces must equal JSON.stringify of the body object byte for byte:
// stored rows, attribute filters (`contains` on the JSON) and re-export all depend on it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSpan, type Span } from '../../shared/model';
import { spanBodyJson, spansFromRows } from './schema';

function reference(span: Span): string {
  const body: Record<string, unknown> = { attributes: span.attributes, events: span.events, links: span.links, status: span.status, scope: span.scope };
  if (span.traceState !== undefined) body.traceState = span.traceState;
  if (span.flags !== undefined) body.flags = span.flags;
  if (span.droppedAttributesCount) body.droppedAttributesCount = span.droppedAttributesCount;
  if (span.droppedEventsCount) body.droppedEventsCount = span.droppedEventsCount;
  if (span.droppedLinksCount) body.droppedLinksCount = span.droppedLinksCount;
  return JSON.stringify(body);
}

const text = fc.string({ unit: 'binary', maxLength: 12 });
const anyValue = fc.oneof(
  text.map((s) => ({ stringValue: s })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => ({ intValue: String(n) })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => ({ doubleValue: d })),
  fc.boolean().map((b) => ({ boolValue: b })),
);
const attrs = fc.array(fc.record({ key: text, value: anyValue }), { maxLength: 4 });
const optCount = fc.option(fc.nat({ max: 5 }), { nil: undefined });

const spanArb = fc
  .record({
    attributes: attrs,
    events: fc.array(fc.record({ name: text, timeUnixNano: fc.constant('1700000000000000001'), attributes: attrs }), { maxLength: 2 }),
    links: fc.array(fc.record({ traceId: fc.constant('0'.repeat(31) + '1'), spanId: fc.constant('0'.repeat(15) + '2'), attributes: attrs }), { maxLength: 2 }),
    status: fc.oneof(fc.constant({ code: 'unset' as const }), fc.record({ code: fc.constantFrom('unset' as const, 'ok' as const, 'error' as const), message: text })),
    scope: fc.record({ name: text, version: fc.option(text, { nil: undefined }) }),
    traceState: fc.option(text, { nil: undefined }),
    flags: fc.option(fc.nat({ max: 0x1ff }), { nil: undefined }),
    droppedAttributesCount: optCount,
    droppedEventsCount: optCount,
    droppedLinksCount: optCount,
  })
  .map((r) =>
    buildSpan({
      ...r,
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      name: 'op',
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000000000001000',
      resource: { attributes: [] },
    }),
  );

describe('span body JSON', () => {
  it('equals JSON.stringify of the body object, and reads back to the same span', () => {
    fc.assert(
      fc.property(spanArb, (span) => {
        const json = spanBodyJson(span);
        expect(json).toBe(reference(span));
        // Twice: the second call takes the cached scope path.
        expect(spanBodyJson(span)).toBe(json);
        const [back] = spansFromRows([
          { trace_id: span.traceId, span_id: span.spanId, parent_span_id: null, name: span.name, kind: span.kind, start_ns: span.startTimeUnixNano, end_ns: span.endTimeUnixNano, body: json, resource: '{"attributes":[]}' },
        ]);
        // JSON itself cannot tell -0 from 0 or keep undefined fields: compare what it can hold.
        expect(spanBodyJson(back!)).toBe(json);
        expect(back!.status).toEqual(JSON.parse(JSON.stringify(span.status)));
      }),
      { numRuns: 300 },
    );
  });
});
