// The fault proxy's toxics: Toxiproxy's types with its attribute names and units, plus ours where
// Toxiproxy's users asked (HTTP-aware faults, slow_open, connection_limit). One definition per type
// (description, units, valid ranges) that the catalog lists, the API validates against, and the
// engine (main/chaos/proxy/) acts on. Pure: no Node.
import type { Problem } from '../errors';

export type ToxicStream = 'upstream' | 'downstream';
export const TOXIC_STREAMS: readonly ToxicStream[] = ['upstream', 'downstream'];

export type ToxicType =
  | 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data'
  | 'http_status' | 'http_abort' | 'http_delay' | 'slow_open' | 'connection_limit';

/** Where a toxic acts: on the bytes of one stream, on HTTP requests (upstream), or on whole connections. */
export type ToxicScope = 'stream' | 'http' | 'connection';

export interface ToxicAttribute {
  readonly name: string;
  readonly kind: 'integer' | 'number' | 'string';
  readonly unit: string;
  readonly description: string;
  /** Used when the attribute is left out (Toxiproxy's zero values for its own toxics). */
  readonly default: number | string;
  readonly min?: number;
  readonly max?: number;
}

export interface ToxicDefinition {
  readonly type: ToxicType;
  /** `toxiproxy`: same name, attributes and effect as Toxiproxy's; `cleanroom`: ours, beyond Toxiproxy. */
  readonly origin: 'toxiproxy' | 'cleanroom';
  readonly scope: ToxicScope;
  readonly description: string;
  readonly attributes: readonly ToxicAttribute[];
}

const HOUR_MS = 3_600_000;
const ms = (name: string, description: string, max = HOUR_MS): ToxicAttribute =>
  ({ name, kind: 'integer', unit: 'ms', description, default: 0, min: 0, max });
const probability: ToxicAttribute = {
  name: 'probability', kind: 'number', unit: 'fraction 0..1', default: 1, min: 0, max: 1,
  description: 'share of the matching requests of an affected connection that get the fault',
};
const pathPrefix: ToxicAttribute = {
  name: 'path_prefix', kind: 'string', unit: 'URL path', default: '',
  description: 'only requests whose path starts with this (empty = every request)',
};

export const TOXIC_DEFINITIONS: readonly ToxicDefinition[] = [
  {
    type: 'latency', origin: 'toxiproxy', scope: 'stream',
    description: 'Delays all data going through by latency ± jitter (each chunk from the moment it arrived).',
    attributes: [ms('latency', 'delay added to each chunk'), ms('jitter', 'random variation, ± this much (the delay never goes below 0)')],
  },
  {
    type: 'bandwidth', origin: 'toxiproxy', scope: 'stream',
    description: 'Limits the stream to rate kilobytes per second.',
    attributes: [{ name: 'rate', kind: 'integer', unit: 'KB/s', description: 'bytes per millisecond (1 KB = 1000 bytes, as Toxiproxy); use timeout 0 to stop data altogether', default: 0, min: 1, max: 10_000_000 }],
  },
  {
    type: 'slow_close', origin: 'toxiproxy', scope: 'stream',
    description: 'Delays the close of the stream (its end of data) by delay.',
    attributes: [ms('delay', 'how long the close is held back')],
  },
  {
    type: 'timeout', origin: 'toxiproxy', scope: 'stream',
    description: 'Drops all data and closes the connection timeout after the last data; 0 = never closes (a blackhole) until the toxic is removed, which closes it.',
    attributes: [ms('timeout', 'quiet time before the connection is closed; 0 = hold it open forever')],
  },
  {
    type: 'reset_peer', origin: 'toxiproxy', scope: 'stream',
    description: 'Resets the connection (TCP RST, "connection reset by peer") when data arrives, immediately or timeout later.',
    attributes: [ms('timeout', 'time from the first data to the reset')],
  },
  {
    type: 'slicer', origin: 'toxiproxy', scope: 'stream',
    description: 'Slices data into small pieces of about average_size bytes, with a delay between pieces.',
    attributes: [
      { name: 'average_size', kind: 'integer', unit: 'bytes', description: 'average size of a piece', default: 0, min: 1, max: 1_048_576 },
      { name: 'size_variation', kind: 'integer', unit: 'bytes', description: 'variation of a piece\'s size (smaller than average_size)', default: 0, min: 0, max: 1_048_576 },
      { name: 'delay', kind: 'integer', unit: 'µs', description: 'pause after each piece', default: 0, min: 0, max: 60_000_000 },
    ],
  },
  {
    type: 'limit_data', origin: 'toxiproxy', scope: 'stream',
    description: 'Closes the connection once bytes bytes went through on this stream.',
    attributes: [{ name: 'bytes', kind: 'integer', unit: 'bytes', description: 'bytes let through before the close', default: 0, min: 0, max: Number.MAX_SAFE_INTEGER }],
  },
  {
    type: 'http_status', origin: 'cleanroom', scope: 'http',
    description: 'Answers matching HTTP/1.1 requests itself with this status instead of forwarding them (Toxiproxy issues #50, #160).',
    attributes: [
      { name: 'code', kind: 'integer', unit: 'HTTP status', description: 'status code of the answer', default: 503, min: 100, max: 599 },
      probability, pathPrefix,
    ],
  },
  {
    type: 'http_abort', origin: 'cleanroom', scope: 'http',
    description: 'Resets the connection when a matching HTTP/1.1 request arrives, without forwarding it (test retries: Toxiproxy issue #404).',
    attributes: [probability, pathPrefix],
  },
  {
    type: 'http_delay', origin: 'cleanroom', scope: 'http',
    description: 'Holds matching HTTP/1.1 requests for latency before forwarding them (a per-path delay).',
    attributes: [pathPrefix, ms('latency', 'delay before the request is forwarded')],
  },
  {
    type: 'slow_open', origin: 'cleanroom', scope: 'connection',
    description: 'Opens the upstream connection delay after the client connected; nothing passes before (Toxiproxy issue #123). The client\'s own TCP connect still completes at once: the kernel accepts it.',
    attributes: [ms('delay', 'time from accept to the upstream connect')],
  },
  {
    type: 'connection_limit', origin: 'cleanroom', scope: 'connection',
    description: 'Allows at most max open connections through the proxy; a connection over the limit is reset at once.',
    attributes: [{ name: 'max', kind: 'integer', unit: 'connections', description: 'open connections allowed', default: 0, min: 0, max: 1_000_000 }],
  },
];

/** `down` is no toxic: it is the proxy's `enabled = false` (connections refused), as in Toxiproxy. */
export const PROXY_DOWN = {
  type: 'down',
  origin: 'toxiproxy',
  description: 'Takes the proxy down: its listener closes (new connections are refused) and open connections close. POST /proxies/{p} with {"enabled": false}; true brings it back.',
} as const;

const DEFINITIONS = new Map(TOXIC_DEFINITIONS.map((d) => [d.type, d]));

export function toxicDefinition(type: string): ToxicDefinition | undefined {
  return DEFINITIONS.get(type as ToxicType);
}

export type ToxicAttributes = Readonly<Record<string, number | string>>;

/** A toxic as the API shows it. */
export interface Toxic {
  readonly name: string;
  readonly type: ToxicType;
  readonly stream: ToxicStream;
  /** Share of connections the toxic affects, decided per connection. */
  readonly toxicity: number;
  readonly attributes: ToxicAttributes;
}

export type ToxicCheck = { ok: true; toxic: Toxic } | { ok: false; problem: Problem };

/** Proxy and toxic names travel in URL paths: keep them to characters that need no escaping. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

const fail = (message: string, path?: string): ToxicCheck =>
  ({ ok: false, problem: { code: 'chaos.invalid-toxic', message, ...(path ? { path } : {}) } });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A new toxic from API JSON: Toxiproxy's defaults (stream downstream — upstream for HTTP toxics, which
 * act on requests —, toxicity 1, name `<type>_<stream>`, attributes left out = their default).
 */
export function validateToxic(input: unknown): ToxicCheck {
  if (!isRecord(input)) return fail('a toxic is a JSON object like {"type": "latency", "attributes": {"latency": 100}}');
  const known = new Set(['name', 'type', 'stream', 'toxicity', 'attributes']);
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  if (unknown.length > 0) return fail(`unknown toxic field "${unknown[0]}" (fields: ${[...known].join(', ')})`, unknown[0]);
  const definition = typeof input.type === 'string' ? toxicDefinition(input.type) : undefined;
  if (!definition) {
    return fail(`invalid toxic type ${JSON.stringify(input.type ?? null)}: use one of ${TOXIC_DEFINITIONS.map((d) => d.type).join(', ')} ("down" is a proxy's enabled = false)`, 'type');
  }
  const stream = input.stream ?? (definition.scope === 'http' ? 'upstream' : 'downstream');
  if (stream !== 'upstream' && stream !== 'downstream') return fail('stream was invalid, can be either upstream or downstream', 'stream');
  if (definition.scope === 'http' && stream !== 'upstream') return fail(`${definition.type} acts on HTTP requests: its stream is upstream (client → server)`, 'stream');
  const name = input.name ?? `${definition.type}_${stream}`;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) return fail('a toxic name is 1–128 letters, digits, "_", "." or "-", starting with a letter or digit', 'name');
  const toxicity = checkToxicity(input.toxicity ?? 1);
  if (typeof toxicity !== 'number') return toxicity;
  const attributes = checkAttributes(definition, input.attributes ?? {}, {});
  if (!('values' in attributes)) return attributes;
  return { ok: true, toxic: { name, type: definition.type, stream, toxicity, attributes: attributes.values } };
}

/**
 * An update of an existing toxic, as Toxiproxy does it: given attributes and toxicity replace the old
 * ones, the rest stays. Name, type and stream cannot change (delete and re-create instead).
 */
export function validateToxicUpdate(existing: Toxic, input: unknown): ToxicCheck {
  if (!isRecord(input)) return fail('a toxic update is a JSON object like {"attributes": {"latency": 200}}');
  for (const key of ['name', 'type', 'stream'] as const) {
    if (input[key] !== undefined && input[key] !== existing[key]) {
      return fail(`a toxic's ${key} cannot change (${JSON.stringify(existing[key])} → ${JSON.stringify(input[key])}): delete it and create a new one`, key);
    }
  }
  const extra = Object.keys(input).find((k) => !['name', 'type', 'stream', 'toxicity', 'attributes'].includes(k));
  if (extra) return fail(`unknown toxic field "${extra}"`, extra);
  const toxicity = checkToxicity(input.toxicity ?? existing.toxicity);
  if (typeof toxicity !== 'number') return toxicity;
  const attributes = checkAttributes(toxicDefinition(existing.type)!, input.attributes ?? {}, existing.attributes);
  if (!('values' in attributes)) return attributes;
  return { ok: true, toxic: { ...existing, toxicity, attributes: attributes.values } };
}

function checkToxicity(value: unknown): number | ToxicCheck {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    return fail(`toxicity is the share of connections affected, a number from 0 to 1 (got ${JSON.stringify(value)})`, 'toxicity');
  }
  return value;
}

function checkAttributes(definition: ToxicDefinition, input: unknown, base: ToxicAttributes): { values: ToxicAttributes } | ToxicCheck {
  if (!isRecord(input)) return fail('attributes is a JSON object of the toxic\'s settings', 'attributes');
  const names = definition.attributes.map((a) => a.name);
  const unknown = Object.keys(input).find((k) => !names.includes(k));
  if (unknown) return fail(`${definition.type} has no attribute "${unknown}" (attributes: ${names.join(', ') || 'none'})`, `attributes.${unknown}`);
  const values: Record<string, number | string> = {};
  for (const spec of definition.attributes) {
    const value = input[spec.name] ?? base[spec.name] ?? spec.default;
    const problem = checkAttribute(definition.type, spec, value);
    if (problem) return problem;
    values[spec.name] = value as number | string;
  }
  if (definition.type === 'slicer' && (values.size_variation as number) >= (values.average_size as number)) {
    return fail('slicer: size_variation must be smaller than average_size', 'attributes.size_variation');
  }
  return { values };
}

function checkAttribute(type: ToxicType, spec: ToxicAttribute, value: unknown): ToxicCheck | undefined {
  const path = `attributes.${spec.name}`;
  if (spec.kind === 'string') {
    if (typeof value !== 'string' || value.length > 2048) return fail(`${type}: ${spec.name} is a string (${spec.unit})`, path);
    if (spec.name === 'path_prefix' && value !== '' && !value.startsWith('/')) return fail(`${type}: path_prefix starts with "/" (e.g. "/api")`, path);
    return undefined;
  }
  const whole = spec.kind === 'integer';
  const range = `${spec.min ?? '-∞'} to ${spec.max ?? '∞'}`;
  if (typeof value !== 'number' || !Number.isFinite(value) || (whole && !Number.isInteger(value)) || value < (spec.min ?? -Infinity) || value > (spec.max ?? Infinity)) {
    return fail(`${type}: ${spec.name} is ${whole ? 'a whole number' : 'a number'} from ${range} (${spec.unit}); got ${JSON.stringify(value)}`, path);
  }
  return undefined;
}
