// Repeated scalar attributes are shared (one frozen KeyValue each); sharing must never change a value.
import { describe, expect, it } from 'vitest';
import { decodeOtlpJson } from './index';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

function spansWith(attributes: (i: number) => unknown[], count: number): ReturnType<typeof decodeOtlpJson>['spans'] {
  const spans = Array.from({ length: count }, (_, i) => ({ traceId: TRACE, spanId: (i + 1).toString(16).padStart(16, '0'), attributes: attributes(i) }));
  return decodeOtlpJson({ resourceSpans: [{ scopeSpans: [{ spans }] }] }).spans;
}

describe('shared attributes of OTLP/JSON spans', () => {
  it('hands out one frozen KeyValue for a repeated scalar attribute', () => {
    const spans = spansWith(() => [{ key: 'http.method', value: { stringValue: 'GET' } }, { key: 'port', value: { intValue: 443 } }, { key: 'hit', value: { boolValue: true } }], 3);
    for (let a = 0; a < 3; a++) {
      expect(spans[1]!.attributes[a]).toBe(spans[0]!.attributes[a]);
      expect(Object.isFrozen(spans[0]!.attributes[a])).toBe(true);
    }
    expect(spans[2]!.attributes[1]).toEqual({ key: 'port', value: { intValue: '443' } });
  });

  it('tells values apart by type and sign, and keeps every value of a key with many', () => {
    const spans = spansWith(
      (i) => [
        { key: 'v', value: { stringValue: '1' } },
        { key: 'v', value: { intValue: '1' } },
        { key: 'v', value: { doubleValue: 1 } },
        { key: 'z', value: { doubleValue: i % 2 ? 0 : -0 } },
        { key: 'url', value: { stringValue: `/orders/${i}` } },
      ],
      300,
    );
    expect(spans[5]!.attributes.slice(0, 3).map((kv) => kv.value)).toEqual([{ stringValue: '1' }, { intValue: '1' }, { doubleValue: 1 }]);
    for (const [i, span] of spans.entries()) {
      expect(Object.is((span.attributes[3]!.value as { doubleValue: number }).doubleValue, i % 2 ? 0 : -0)).toBe(true);
      expect(span.attributes[4]).toEqual({ key: 'url', value: { stringValue: `/orders/${i}` } });
    }
  });

  it('gives each span its own attribute when the one at the same place changes key, type or value', () => {
    const spans = spansWith(
      (i) => [
        { key: i % 2 ? 'a' : 'b', value: { stringValue: 'x' } },
        { key: 'n', value: i % 3 ? { intValue: String(i % 3) } : { stringValue: '1' } },
        { key: 'f', value: { boolValue: i % 2 === 0 } },
      ],
      12,
    );
    for (const [i, span] of spans.entries()) {
      expect(span.attributes).toEqual([
        { key: i % 2 ? 'a' : 'b', value: { stringValue: 'x' } },
        { key: 'n', value: i % 3 ? { intValue: String(i % 3) } : { stringValue: '1' } },
        { key: 'f', value: { boolValue: i % 2 === 0 } },
      ]);
    }
  });
});
