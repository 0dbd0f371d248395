// The encoder keeps the bytes of shared (frozen) attributes: they must be the bytes an equal
// unshared attribute gets, every time, and an attribute that can change is encoded afresh.
import { describe, expect, it } from 'vitest';
import type { KeyValue } from '../model';
import { encodeSpanAttributeField } from './protobuf-encode';

describe('encodeSpanAttributeField with shared attributes', () => {
  it('writes a frozen attribute as an equal unfrozen one, on every call', () => {
    const values: KeyValue['value'][] = [{ stringValue: 'GET' }, { intValue: '-7' }, { doubleValue: 0.25 }, { boolValue: true }, { bytesValue: 'AAE=' }];
    for (const value of values) {
      const shared = Object.freeze({ key: 'k', value: Object.freeze({ ...value }) }) as KeyValue;
      const fresh = { key: 'k', value: { ...value } } as KeyValue;
      const first = encodeSpanAttributeField(shared);
      expect(first).toEqual(encodeSpanAttributeField(fresh));
      expect(encodeSpanAttributeField(shared)).toEqual(first);
    }
  });

  it('encodes an attribute that may change afresh each time', () => {
    const kv = { key: 'k', value: { stringValue: 'a' } } as { key: string; value: { stringValue: string } };
    const before = encodeSpanAttributeField(kv);
    kv.value.stringValue = 'bb';
    expect(encodeSpanAttributeField(kv)).not.toEqual(before);
    expect(encodeSpanAttributeField(kv)).toEqual(encodeSpanAttributeField({ key: 'k', value: { stringValue: 'bb' } }));
  });
});
