// Building blocks for the test-file schemas: every field states the shape it expects in words, so a
// wrong value gets "must be an array of integers like [8080]" rather than a type-system message.
import { z } from 'zod';

/** TOML's names for a value's type, for messages. */
export function tomlTypeOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date-time';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a float';
    case 'bigint':
      return 'an integer';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'a table';
    default:
      return typeof value;
  }
}

/** An error option: "must be <shape>" for wrong values, "is required (<shape>)" for missing ones. */
export function shape(text: string): { error: (issue: { input?: unknown; code?: string }) => string } {
  return {
    error: (issue) =>
      issue.input === undefined
        ? `is required (${text})`
        : issue.code === 'invalid_type'
          ? `must be ${text}, not ${tomlTypeOf(issue.input)}`
          : `must be ${text}`,
  };
}

export const str = (text = 'a string like "value"') => z.string(shape(text));
export const bool = (text = 'true or false') => z.boolean(shape(text));
export const int = (text = 'an integer like 10') => z.number(shape(text)).int(shape(text));
export const nonNegInt = (text = 'a non-negative integer like 10') => int(text).min(0, shape(text));
export const positiveInt = (text = 'a positive integer like 10') => int(text).min(1, shape(text));
export const num = (text = 'a number like 1.5') => z.number(shape(text));
export const strArray = (text = 'an array of strings like ["a", "b"]') => z.array(str(text), shape(text));

/** Tables whose keys are the user's own (env, headers, resources): any key, string values. */
export const stringMap = (text = 'a table of strings like { KEY = "value" }') =>
  z.record(z.string(), str(text), shape(text));

/** Tables whose keys and values are the user's own (vars, plugin config). */
export const anyMap = (text = 'a table like { key = "value" }') => z.record(z.string(), z.unknown(), shape(text));

/** A case-insensitive choice among `values`; keeps the spelling the user wrote. */
export function oneOf(values: readonly string[], what: string) {
  const text = `one of ${values.map((v) => `"${v}"`).join(', ')}`;
  // Either case is accepted, whichever case the listed values are in ("get" and "GET" alike).
  const known = new Set(values.map((v) => v.toLowerCase()));
  return z.string(shape(`${what} (${text})`)).refine((v) => known.has(v.toLowerCase()), {
    message: `must be ${text}`,
  });
}
