// Small checked readers for OTLP/JSON objects: every field may be spelled lowerCamelCase or
// snake_case, every wrong type is an error naming the JSON path, and 64-bit integers written as
// bare JSON numbers are kept exact by quoting them before JSON.parse would round them.
import { StudioError, type ErrorCode } from '../errors';
import { base64ToBytes, hexToBytes } from './bytes';

export type JsonObject = Record<string, unknown>;

export class JsonReadContext {
  constructor(
    readonly code: ErrorCode,
    readonly what: string,
  ) {}

  fail(path: string, message: string): StudioError {
    return new StudioError({ code: this.code, message: `${this.what}: ${message} at ${path || 'the top level'}`, path });
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `obj[camel]`, else `obj[snake]` (the JSON mapping accepts both spellings). */
export function pick(obj: JsonObject, camel: string, snake: string): unknown {
  const v = obj[camel];
  return v !== undefined && v !== null ? v : obj[snake] ?? undefined;
}

export function readObject(ctx: JsonReadContext, value: unknown, path: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw ctx.fail(path, `expected an object, found ${describe(value)}`);
  return value;
}

export function readArray(ctx: JsonReadContext, value: unknown, path: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw ctx.fail(path, `expected an array, found ${describe(value)}`);
  return value;
}

export function readString(ctx: JsonReadContext, value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw ctx.fail(path, `expected a string, found ${describe(value)}`);
  return value;
}

/** A uint32 count (number or decimal string). */
export function readCount(ctx: JsonReadContext, value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw ctx.fail(path, `expected a non-negative integer, found ${describe(value)}`);
  }
  return n;
}

const UINT64_MAX = 18446744073709551615n;

/** Up to 19 decimal digits without a leading zero (or "0"): a uint64 already in canonical form. */
export function isCanonicalUint(text: string): boolean {
  const len = text.length;
  if (len === 0 || len > 19 || (len > 1 && text.charCodeAt(0) === 48)) return false;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A uint64 nanosecond timestamp (decimal string or number) as its canonical decimal string. */
export function readUnixNano(ctx: JsonReadContext, value: unknown, path: string): string {
  if (value === undefined || value === null) return '0';
  if (typeof value === 'string' && isCanonicalUint(value)) return value;
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) {
    const canonical = value.replace(/^0+(?=\d)/, '');
    if (canonical.length < 20 || BigInt(canonical) <= UINT64_MAX) return canonical;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= Number(UINT64_MAX)) return BigInt(value).toString();
  throw ctx.fail(path, `expected nanoseconds since the epoch (an unsigned 64-bit integer), found ${describe(value)}`);
}

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/** An int64 (decimal string or number) as its canonical decimal string. */
export function readInt64(ctx: JsonReadContext, value: unknown, path: string): string {
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) {
    const n = BigInt(value);
    if (n >= INT64_MIN && n <= INT64_MAX) return n.toString();
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    const n = BigInt(value);
    if (n >= INT64_MIN && n <= INT64_MAX) return n.toString();
  }
  throw ctx.fail(path, `expected a 64-bit integer, found ${describe(value)}`);
}

/** A double; the JSON mapping spells non-finite values as "NaN", "Infinity", "-Infinity". */
export function readDouble(ctx: JsonReadContext, value: unknown, path: string): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw ctx.fail(path, `expected a number, found ${describe(value)}`);
}

/**
 * An OTLP id: hex per the OTLP JSON encoding (either case → lowercase). Plain proto3 JSON encoders
 * write bytes as base64 instead; that is accepted when the hex reading fails.
 * Returns the bytes, or undefined when the string is neither.
 */
export function readIdBytes(ctx: JsonReadContext, value: unknown, path: string): Uint8Array | undefined {
  if (value === undefined || value === null) return new Uint8Array(0);
  if (typeof value !== 'string') throw ctx.fail(path, `expected a hex id string, found ${describe(value)}`);
  return hexToBytes(value) ?? (value.length % 4 === 0 ? base64ToBytes(value) : undefined);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

const EXACT_KEYS =
  'startTimeUnixNano|start_time_unix_nano|endTimeUnixNano|end_time_unix_nano|timeUnixNano|time_unix_nano|intValue|int_value|timestamp';
const BARE_INTEGER = new RegExp(`("(?:${EXACT_KEYS})"\\s*:\\s*)(-?\\d{16,})(?=\\s*[,}\\]])`, 'g');

/** JSON.parse that keeps long integers of timestamp / intValue keys exact (quoted before parsing). */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(text.replace(BARE_INTEGER, '$1"$2"'));
}
