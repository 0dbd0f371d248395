// Reading typed attribute values without caring about their OTLP wrapper.
import type { AnyValue, KeyValue, Resource } from './span';
import { UNKNOWN_SERVICE } from './span';

export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

export function findAttribute(attributes: readonly KeyValue[], key: string): AnyValue | undefined {
  for (let i = 0; i < attributes.length; i++) {
    const kv = attributes[i]!;
    if (kv.key === key) return kv.value;
  }
  return undefined;
}

/** The value as plain JSON (int64 becomes a number when it is safe, else stays a string). */
export function toPlain(value: AnyValue): PlainValue {
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) {
    const n = Number(value.intValue);
    return Number.isSafeInteger(n) ? n : value.intValue;
  }
  if ('doubleValue' in value) return value.doubleValue;
  if ('bytesValue' in value) return value.bytesValue;
  if ('arrayValue' in value) return value.arrayValue.values.map(toPlain);
  if ('kvlistValue' in value) {
    const out: { [key: string]: PlainValue } = {};
    for (const kv of value.kvlistValue.values) out[kv.key] = toPlain(kv.value);
    return out;
  }
  return null;
}

/** The value as the string a person would compare it with (`attrs.all = { "http.status" = "200" }`). */
export function toText(value: AnyValue): string {
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue ? 'true' : 'false';
  if ('intValue' in value) return value.intValue;
  if ('doubleValue' in value) return String(value.doubleValue);
  if ('bytesValue' in value) return value.bytesValue;
  return JSON.stringify(toPlain(value));
}

export function serviceNameOf(resource: Resource): string {
  const v = findAttribute(resource.attributes, 'service.name');
  if (v && 'stringValue' in v && v.stringValue !== '') return v.stringValue;
  return UNKNOWN_SERVICE;
}

/** Build an AnyValue from a plain JS value (integers become intValue, other numbers doubleValue). */
export function fromPlain(value: unknown): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'bigint') return { intValue: value.toString() };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(fromPlain) } };
  if (value instanceof Uint8Array) return { bytesValue: bytesToBase64(value) };
  if (value !== null && typeof value === 'object') {
    return { kvlistValue: { values: Object.entries(value).map(([key, v]) => ({ key, value: fromPlain(v) })) } };
  }
  return {};
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return out;
}
