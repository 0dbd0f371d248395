// One frozen KeyValue per repeated attribute of OTLP/JSON requests (method, status code, host,
// port, library flags…), as the protobuf decoder does for its own: no objects per attribute,
// less garbage, less memory for spans held live, and an identity the protobuf encoder can cache
// the attribute's bytes by. Bounded: a key with too many distinct values stops being shared, and
// the whole cache starts again past a number of keys. Only short keys and short strings are held.
import type { AnyValue, KeyValue } from '../model';

const MAX_VALUES_PER_KEY = 64;
const MAX_KEYS = 512;
const MAX_TEXT = 128;

// Spans of a batch mostly list the same attributes in the same order, so what the attribute at a
// position was in the span before is the first guess: two string comparisons instead of two lookups.
const POSITIONS = 32;

class SharedKeyValues<V> {
  /** key → value → its shared KeyValue; null once the key has had too many distinct values. */
  private readonly byKey = new Map<string, Map<V, KeyValue> | null>();
  private readonly lastAt: (KeyValue | undefined)[] = new Array<KeyValue | undefined>(POSITIONS).fill(undefined);
  private readonly lastValueAt: (V | undefined)[] = new Array<V | undefined>(POSITIONS).fill(undefined);

  constructor(private readonly anyValue: (value: V) => AnyValue) {}

  /** The KeyValue for `key` and `value`, the attribute at `position` of its list. */
  get(key: string, value: V, position: number): KeyValue {
    const slot = position & (POSITIONS - 1);
    const last = this.lastAt[slot];
    if (last !== undefined && last.key === key && this.lastValueAt[slot] === value) return last;
    const kv = this.lookUp(key, value);
    if (Object.isFrozen(kv)) {
      this.lastAt[slot] = kv;
      this.lastValueAt[slot] = value;
    }
    return kv;
  }

  private lookUp(key: string, value: V): KeyValue {
    let values = this.byKey.get(key);
    if (values === undefined && key.length <= MAX_TEXT) {
      if (this.byKey.size >= MAX_KEYS) this.byKey.clear();
      values = new Map<V, KeyValue>();
      this.byKey.set(key, values);
    }
    if (!values) return { key, value: this.anyValue(value) };
    let kv = values.get(value);
    if (kv === undefined) {
      if (values.size >= MAX_VALUES_PER_KEY) {
        this.byKey.set(key, null);
        return { key, value: this.anyValue(value) };
      }
      kv = Object.freeze({ key, value: Object.freeze(this.anyValue(value)) });
      values.set(value, kv);
    }
    return kv;
  }
}

const strings = new SharedKeyValues<string>((stringValue) => ({ stringValue }));
const ints = new SharedKeyValues<string>((intValue) => ({ intValue }));
const doubles = new SharedKeyValues<number>((doubleValue) => ({ doubleValue }));
const bools = new SharedKeyValues<boolean>((boolValue) => ({ boolValue }));

/** `{ key, value: { stringValue } }`, shared when it repeats. */
export function stringKeyValue(key: string, value: string, position: number): KeyValue {
  return value.length <= MAX_TEXT ? strings.get(key, value, position) : { key, value: { stringValue: value } };
}

/** `{ key, value: { intValue } }` (a canonical decimal int64), shared when it repeats. */
export function intKeyValue(key: string, value: string, position: number): KeyValue {
  return ints.get(key, value, position);
}

/** `{ key, value: { doubleValue } }`, shared when it repeats (not -0: a Map does not tell it from 0). */
export function doubleKeyValue(key: string, value: number, position: number): KeyValue {
  return Object.is(value, -0) ? { key, value: { doubleValue: value } } : doubles.get(key, value, position);
}

/** `{ key, value: { boolValue } }`, shared. */
export function boolKeyValue(key: string, value: boolean, position: number): KeyValue {
  return bools.get(key, value, position);
}
