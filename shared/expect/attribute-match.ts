// Compiles one attribute expectation (`"200"`, `["a", "b"]`, `{ gte = 2 }`, `{ exists = true }`)
// into a predicate over the span's attribute value. Values compare as text, so "200" matches int 200.
import { toText } from '../model';
import type { AnyValue } from '../model';
import type { AttributeExpectation } from '../spec/schema/expect';

export type AttributePredicate = (value: AnyValue | undefined) => boolean;

function text(value: AnyValue): string {
  return 'stringValue' in value ? value.stringValue : toText(value);
}

function numeric(value: AnyValue): number | undefined {
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('stringValue' in value && value.stringValue.trim() !== '') {
    const n = Number(value.stringValue);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function compileAttributeExpectation(expected: AttributeExpectation): AttributePredicate {
  if (typeof expected !== 'object') {
    const want = String(expected);
    return (v) => v !== undefined && text(v) === want;
  }
  if (Array.isArray(expected)) {
    const wanted = expected.map(String);
    return (v) => {
      if (v === undefined) return false;
      // An array attribute must contain every listed value; a scalar must equal one of them.
      if ('arrayValue' in v) {
        const have = new Set(v.arrayValue.values.map(text));
        return wanted.every((w) => have.has(w));
      }
      return wanted.includes(text(v));
    };
  }
  const m = expected;
  return (v) => {
    if (m.exists !== undefined && (v !== undefined) !== m.exists) return false;
    if (v === undefined) return m.exists === false;
    if (m.eq !== undefined && text(v) !== String(m.eq)) return false;
    if (m.ne !== undefined && text(v) === String(m.ne)) return false;
    if (m.contains !== undefined && !text(v).includes(m.contains)) return false;
    if (m.gt !== undefined || m.gte !== undefined || m.lt !== undefined || m.lte !== undefined) {
      const n = numeric(v);
      if (n === undefined) return false;
      if (m.gt !== undefined && !(n > m.gt)) return false;
      if (m.gte !== undefined && !(n >= m.gte)) return false;
      if (m.lt !== undefined && !(n < m.lt)) return false;
      if (m.lte !== undefined && !(n <= m.lte)) return false;
    }
    return true;
  };
}

/** `="pass"`, ` in ["a", "b"]`, ` { gte: 2 }` — for labels in messages. */
export function describeAttributeExpectation(expected: AttributeExpectation): string {
  if (typeof expected !== 'object') return `=${JSON.stringify(String(expected))}`;
  if (Array.isArray(expected)) return ` in ${JSON.stringify(expected.map(String))}`;
  const parts = Object.entries(expected)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`);
  return ` {${parts.join(', ')}}`;
}
