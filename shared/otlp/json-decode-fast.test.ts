// The quick reading of well-formed spans against the checked one: on any span it either declines
// (undefined) or gives exactly what the checked readers give — never a span they would refuse.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InstrumentationScope, Resource } from '../model';
import { sampleSpans } from './fixtures/sample-spans';
import { scalarAttributes, wellFormedSpan } from './json-decode-fast';
import { buildDecodedSpan, decodeAttributes } from './json-decode';
import { encodeSpan } from './json-encode';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const resource: Resource = { attributes: [] };
const scope: InstrumentationScope = { name: 's' };

function checked(obj: Record<string, unknown>): { span?: unknown; error?: string } {
  try {
    return { span: buildDecodedSpan(obj, 'p', typeof obj['name'] === 'string' ? obj['name'] : '', TRACE, SPAN, undefined, resource, scope) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

// Every field's usual form, and unusual ones: other spellings, wrong types, numbers as strings, out-of-range values.
const anyField = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string({ maxLength: 4 }),
  fc.constantFrom('0', '007', '12', '-3', '18446744073709551615', '18446744073709551616', 'SPAN_KIND_SERVER', 'STATUS_CODE_ERROR', 'x'),
  fc.integer({ min: -3, max: 5 }),
  fc.constantFrom(1.5, 2 ** 32, 2 ** 53, 1e21, -0),
  fc.boolean(),
);
/** Mostly the usual form of a field, sometimes anything. */
const mostly = <T>(usual: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: usual, weight: 12 }, { arbitrary: anyField, weight: 1 });
const nanos = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String), fc.constantFrom('0', '1700000000000000000'));
const usualValue = fc.oneof(
  fc.record({ stringValue: fc.string({ maxLength: 6 }) }),
  fc.record({ boolValue: fc.boolean() }),
  fc.record({ intValue: fc.oneof(fc.integer().map(String), fc.integer()) }),
  fc.record({ doubleValue: fc.double() }),
);
const anyValue = fc.oneof(
  { arbitrary: usualValue, weight: 12 },
  fc.record({ stringValue: anyField }, { requiredKeys: [] }),
  fc.record({ string_value: anyField }, { requiredKeys: [] }),
  fc.record({ boolValue: anyField, intValue: anyField }, { requiredKeys: [] }),
  fc.record({ int_value: anyField, doubleValue: anyField }, { requiredKeys: [] }),
  fc.record({ arrayValue: fc.constant({ values: [{ stringValue: 'a' }] }) }),
  anyField,
);
const attribute = fc.oneof({ arbitrary: fc.record({ key: mostly(fc.constantFrom('k', 'm', 'n')), value: anyValue }), weight: 12 }, anyField);
const attributes = mostly(fc.array(attribute, { maxLength: 3 }));
const event = mostly(fc.record({ name: mostly(fc.string({ maxLength: 3 })), timeUnixNano: mostly(nanos), attributes, dropped_attributes_count: mostly(fc.nat(3)) }, { requiredKeys: [] }));
const spanObject = fc.record(
  {
    name: mostly(fc.string({ maxLength: 4 })),
    traceState: mostly(fc.string({ maxLength: 2 })),
    trace_state: anyField,
    flags: mostly(fc.nat(2 ** 32 - 1)),
    kind: mostly(fc.oneof(fc.nat(7), fc.constantFrom('SPAN_KIND_CLIENT', 'server', 'bogus'))),
    startTimeUnixNano: mostly(nanos),
    end_time_unix_nano: mostly(nanos),
    attributes,
    droppedAttributesCount: mostly(fc.nat(3)),
    events: mostly(fc.array(event, { maxLength: 2 })),
    droppedEventsCount: mostly(fc.nat(3)),
    links: fc.oneof(anyField, fc.constant([]), fc.constant([{ traceId: TRACE, spanId: SPAN }])),
    droppedLinksCount: mostly(fc.nat(3)),
    status: mostly(fc.record({ code: mostly(fc.oneof(fc.nat(3), fc.constantFrom('STATUS_CODE_OK', 'error', 'nope'))), message: mostly(fc.string({ maxLength: 3 })) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);

describe('the quick reading of well-formed OTLP/JSON spans', () => {
  it('declines, or decodes exactly as the checked readers do', () => {
    let read = 0;
    fc.assert(
      fc.property(spanObject, (obj) => {
        const quick = wellFormedSpan(obj, TRACE, SPAN, undefined, resource, scope);
        if (quick === undefined) return;
        read++;
        expect(checked(obj)).toEqual({ span: quick });
      }),
      { numRuns: 5000 },
    );
    // Both sides of the property were exercised: many spans read quickly, many declined.
    expect(read).toBeGreaterThan(100);
    expect(read).toBeLessThan(4500);
  });

  it('reads the common shape itself (the encoder’s own spans, links aside)', () => {
    for (const span of sampleSpans()) {
      const obj = JSON.parse(JSON.stringify(encodeSpan(span))) as Record<string, unknown>;
      const quick = wellFormedSpan(obj, TRACE, SPAN, undefined, span.resource, span.scope);
      expect(quick === undefined, span.name).toBe(span.links.length > 0);
    }
  });

  it('attributes: declines, or gives what decodeAttributes gives', () => {
    let read = 0;
    fc.assert(
      fc.property(attributes, (list) => {
        const quick = scalarAttributes(list);
        if (quick === undefined) return;
        read++;
        expect(decodeAttributes(list, 'p')).toEqual(quick);
      }),
      { numRuns: 3000 },
    );
    expect(read).toBeGreaterThan(300);
  });
});
