// clnrm's template functions other than fake data (see template-fake.ts): hashing, TOML encoding,
// ids (uuid v4/v5/v7, ulid, OpenTelemetry trace/span ids), random picks, sequences, case conversions
// and clock helpers. Behaviour follows clnrm-template's functions; seeded values are repeatable here
// but not equal to clnrm's (it uses Rust's StdRng).
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { kebab, slug, snake } from './template-case';
import {
  type Args,
  type Rng,
  type SeedSource,
  TemplateArgError,
  optionalInt,
  requireInt,
  requireList,
  requireString,
} from './template-args';

export interface FunctionContext {
  seeds: SeedSource;
  /** `[determinism] freeze_clock`: every clock function reads it instead of the wall clock. */
  frozenClock?: string;
  /** Per-render counters of seq(). */
  counters: Map<string, number>;
}

export interface TemplateFunction {
  /** Names that positional arguments fill, in order (Tera itself takes keywords only). */
  params: readonly string[];
  call(args: Args, ctx: FunctionContext): unknown;
}

function nowMs(ctx: FunctionContext): number {
  if (ctx.frozenClock === undefined) return Date.now();
  const ms = Date.parse(ctx.frozenClock);
  if (Number.isNaN(ms)) {
    throw new TemplateArgError(`[determinism] freeze_clock ${JSON.stringify(ctx.frozenClock)} is not an RFC 3339 time like "2025-01-01T00:00:00Z"`);
  }
  return ms;
}

/** RFC 3339 in UTC; milliseconds only when there are some. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function uuidFromBytes(bytes: Uint8Array, version: number): string {
  bytes[6] = (bytes[6]! & 0x0f) | (version << 4);
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytesToHex(bytes.subarray(0, 16));
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

// RFC 4122 appendix C namespaces, accepted by name as well as by value.
const UUID_NAMESPACES: Record<string, string> = {
  dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
  oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
};
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidV5(ns: string, name: string): string {
  const nsText = UUID_NAMESPACES[ns.toLowerCase()] ?? ns;
  if (!UUID_TEXT.test(nsText)) {
    throw new TemplateArgError(`uuid_v5() \`ns\` must be a UUID like "6ba7b810-9dad-11d1-80b4-00c04fd430c8" (or dns, url, oid, x500), got ${JSON.stringify(ns)}`);
  }
  const nsBytes = Uint8Array.from(nsText.replace(/-/g, '').match(/../g)!.map((h) => parseInt(h, 16)));
  const nameBytes = utf8ToBytes(name);
  const input = new Uint8Array(16 + nameBytes.length);
  input.set(nsBytes);
  input.set(nameBytes, 16);
  return uuidFromBytes(sha1(input).slice(0, 16), 5);
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function ulid(ms: number, rng: Rng): string {
  let time = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[rng.int(0, 32)];
  return time + random;
}

function uuidV7(ms: number, rng: Rng): string {
  const bytes = rng.bytes(16);
  let t = ms;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  return uuidFromBytes(bytes, 7);
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

/** A value as a TOML literal (inline arrays and tables; JSON string escapes are valid TOML basic strings). */
export function tomlEncode(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(tomlEncode).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([k]) => k !== '__keywords');
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${tomlKey(k)} = ${tomlEncode(v)}`).join(', ')} }`;
  }
  throw new TemplateArgError(`toml_encode() cannot encode ${value === null ? 'null' : 'an undefined value'}: TOML has no null`);
}

function weightedPick(pairs: unknown[], rng: Rng): unknown {
  if (pairs.length === 0) throw new TemplateArgError('weighted() requires a non-empty `pairs` list like [["a", 3], ["b", 1]]');
  let total = 0;
  const weights = pairs.map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[1] !== 'number' || pair[1] < 0) {
      throw new TemplateArgError(`weighted() pair ${i + 1} must be [value, weight] with a number weight ≥ 0, got ${JSON.stringify(pair)}`);
    }
    total += pair[1];
    return pair[1];
  });
  let r = rng.next() * total;
  for (let i = 0; i < pairs.length; i++) {
    r -= weights[i]!;
    if (r < 0) return (pairs[i] as unknown[])[0];
  }
  return (pairs[pairs.length - 1] as unknown[])[0];
}

function shuffled(list: unknown[], rng: Rng): unknown[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function baggage(map: unknown): string {
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    throw new TemplateArgError('baggage() requires a `map` argument, e.g. baggage(map={"tenant": "a"})');
  }
  // W3C baggage: values percent-encoded (clnrm writes them raw, which breaks on "," or "=").
  return Object.entries(map)
    .filter(([k]) => k !== '__keywords')
    .map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join(',');
}

function hexId(fn: string, args: Args, key: string, length: number): string | undefined {
  const value = args[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !new RegExp(`^[0-9a-f]{${length}}$`).test(value)) {
    throw new TemplateArgError(`${fn}() \`${key}\` must be ${length} lowercase hex digits, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A random id of `length` hex digits that is not all zeros (W3C trace context forbids that). */
function nonZeroHex(rng: Rng, length: number): string {
  for (;;) {
    const id = rng.hex(length);
    if (/[^0]/.test(id)) return id;
  }
}

export const TEMPLATE_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  sha256: { params: ['s'], call: (a) => bytesToHex(sha256(utf8ToBytes(requireString('sha256', a, 's')))) },
  toml_encode: {
    params: ['value'],
    call: (a) => {
      if (!('value' in a)) throw new TemplateArgError('toml_encode() requires a `value` argument, e.g. toml_encode(value=vars.tags)');
      return tomlEncode(a.value);
    },
  },
  now_rfc3339: { params: [], call: (_a, c) => (c.frozenClock !== undefined ? c.frozenClock : rfc3339(Date.now())) },
  now_unix: { params: [], call: (_a, c) => Math.floor(nowMs(c) / 1000) },
  now_ms: { params: [], call: (_a, c) => nowMs(c) },
  now_plus: { params: ['seconds'], call: (a, c) => rfc3339(nowMs(c) + requireInt('now_plus', a, 'seconds') * 1000) },
  date_rfc3339: { params: ['offset_seconds'], call: (a, c) => rfc3339(nowMs(c) + optionalInt('date_rfc3339', a, 'offset_seconds', 0) * 1000) },
  uuid_v4: { params: ['seed'], call: (a, c) => uuidFromBytes(c.seeds.rngFor('uuid_v4', a).bytes(16), 4) },
  uuid_v5: { params: ['ns', 'name'], call: (a) => uuidV5(requireString('uuid_v5', a, 'ns'), requireString('uuid_v5', a, 'name')) },
  uuid_v7: { params: ['seed'], call: (a, c) => uuidV7(nowMs(c), c.seeds.rngFor('uuid_v7', a)) },
  ulid: { params: ['seed'], call: (a, c) => ulid(nowMs(c), c.seeds.rngFor('ulid', a)) },
  rand_hex: {
    params: ['n', 'seed'],
    call: (a, c) => {
      const n = optionalInt('rand_hex', a, 'n', 16);
      if (n < 0 || n > 4096) throw new TemplateArgError(`rand_hex() \`n\` must be between 0 and 4096, got ${n}`);
      return c.seeds.rngFor('rand_hex', a).hex(n);
    },
  },
  seq: {
    params: ['name', 'start', 'step'],
    call: (a, c) => {
      const name = requireString('seq', a, 'name');
      const value = c.counters.get(name) ?? optionalInt('seq', a, 'start', 0);
      c.counters.set(name, value + optionalInt('seq', a, 'step', 1));
      return value;
    },
  },
  pick: {
    params: ['list', 'seed'],
    call: (a, c) => {
      const list = requireList('pick', a, 'list');
      if (list.length === 0) throw new TemplateArgError('pick() requires a non-empty `list`');
      return list[c.seeds.rngFor('pick', a).int(0, list.length)];
    },
  },
  weighted: { params: ['pairs', 'seed'], call: (a, c) => weightedPick(requireList('weighted', a, 'pairs'), c.seeds.rngFor('weighted', a)) },
  shuffle: { params: ['list', 'seed'], call: (a, c) => shuffled(requireList('shuffle', a, 'list'), c.seeds.rngFor('shuffle', a)) },
  sample: {
    params: ['list', 'k', 'seed'],
    call: (a, c) => {
      const list = requireList('sample', a, 'list');
      const k = requireInt('sample', a, 'k');
      if (k < 0 || k > list.length) throw new TemplateArgError(`sample() \`k\` (${k}) must be between 0 and the list size (${list.length})`);
      return shuffled(list, c.seeds.rngFor('sample', a)).slice(0, k);
    },
  },
  slug: { params: ['s'], call: (a) => slug(requireString('slug', a, 's')) },
  kebab: { params: ['s'], call: (a) => kebab(requireString('kebab', a, 's')) },
  snake: { params: ['s'], call: (a) => snake(requireString('snake', a, 's')) },
  trace_id: { params: ['seed'], call: (a, c) => nonZeroHex(c.seeds.rngFor('trace_id', a), 32) },
  span_id: { params: ['seed'], call: (a, c) => nonZeroHex(c.seeds.rngFor('span_id', a), 16) },
  traceparent: {
    params: ['trace_id', 'span_id', 'sampled', 'seed'],
    call: (a, c) => {
      const given = [hexId('traceparent', a, 'trace_id', 32), hexId('traceparent', a, 'span_id', 16)];
      const rng = given[0] === undefined || given[1] === undefined ? c.seeds.rngFor('traceparent', a) : undefined;
      const sampled = optionalInt('traceparent', a, 'sampled', 1);
      if (sampled < 0 || sampled > 255) throw new TemplateArgError(`traceparent() \`sampled\` must be a flags byte 0–255, got ${sampled}`);
      const traceId = given[0] ?? nonZeroHex(rng!, 32);
      const spanId = given[1] ?? nonZeroHex(rng!, 16);
      return `00-${traceId}-${spanId}-${sampled.toString(16).padStart(2, '0')}`;
    },
  },
  baggage: { params: ['map'], call: (a) => baggage(a.map) },
};
