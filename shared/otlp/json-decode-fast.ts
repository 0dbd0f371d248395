// The common well-formed OTLP/JSON span, read without building JSON paths (they are only needed
// for errors, and building one per field was most of the decoder's time): each reader here gives
// the result the checked reader in json-decode.ts gives, or undefined for anything unusual (a
// wrong type, a non-canonical id or number, links), and the caller then decodes that span with the
// checked readers, which report its error or handle the unusual form. The differential, fuzz and
// round-trip suites hold the two to the same results.
import type { InstrumentationScope, KeyValue, Resource, Span, SpanEvent, SpanKind, SpanStatus, StatusCode } from '../model';
import { buildSpan } from '../model';
import { boolKeyValue, doubleKeyValue, intKeyValue, stringKeyValue } from './json-shared-values';
import { isCanonicalUint, isObject, pick, type JsonObject } from './json-read';
import { kindFromName, kindFromNumber, statusFromName, statusFromNumber } from './otlp-enums';

// Local bindings: module exports read in the hot loop cost a getter call under tsx and vitest.
const isObj = isObject;
const field = pick;
const canonicalUint = isCanonicalUint;
const build = buildSpan;
const stringKv = stringKeyValue;
const intKv = intKeyValue;
const doubleKv = doubleKeyValue;
const boolKv = boolKeyValue;

/** Marks "not the common form": the caller falls back to the checked readers. */
const UNUSUAL = undefined;

/** A span whose ids are already canonical (lowercase hex, right length, parent absent when zero). */
export function wellFormedSpan(obj: JsonObject, traceId: string, spanId: string, parentSpanId: string | undefined, resource: Resource, scope: InstrumentationScope): Span | undefined {
  const name = optionalString(obj['name']);
  const traceState = optionalString(field(obj, 'traceState', 'trace_state'));
  const flags = optionalCount(obj['flags']);
  const kind = spanKind(obj['kind']);
  const start = unixNano(field(obj, 'startTimeUnixNano', 'start_time_unix_nano'));
  const end = unixNano(field(obj, 'endTimeUnixNano', 'end_time_unix_nano'));
  const attributes = scalarAttributes(obj['attributes']);
  const events = spanEvents(obj['events']);
  const links = obj['links'];
  const status = spanStatus(obj['status']);
  const droppedAttributes = optionalCount(field(obj, 'droppedAttributesCount', 'dropped_attributes_count'));
  const droppedEvents = optionalCount(field(obj, 'droppedEventsCount', 'dropped_events_count'));
  const droppedLinks = optionalCount(field(obj, 'droppedLinksCount', 'dropped_links_count'));
  if (
    name === UNUSUAL || traceState === UNUSUAL || flags === UNUSUAL || kind === UNUSUAL || start === UNUSUAL || end === UNUSUAL ||
    attributes === UNUSUAL || events === UNUSUAL || status === UNUSUAL || droppedAttributes === UNUSUAL || droppedEvents === UNUSUAL ||
    droppedLinks === UNUSUAL || !(links == null || (Array.isArray(links) && links.length === 0))
  ) {
    return UNUSUAL;
  }
  return build({
    traceId,
    spanId,
    parentSpanId,
    traceState,
    flags: flags === 0 ? undefined : flags,
    name,
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes,
    droppedAttributesCount: droppedAttributes,
    events,
    droppedEventsCount: droppedEvents,
    links: [],
    droppedLinksCount: droppedLinks,
    status,
    resource,
    scope,
  });
}

function optionalString(value: unknown): string | undefined {
  return value == null ? '' : typeof value === 'string' ? value : UNUSUAL;
}

/** A uint32 given as a JSON number (absent = 0). */
function optionalCount(value: unknown): number | undefined {
  if (value == null) return 0;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff ? value : UNUSUAL;
}

function unixNano(value: unknown): string | undefined {
  if (value == null) return '0';
  return typeof value === 'string' && canonicalUint(value) ? value : UNUSUAL;
}

function spanKind(value: unknown): SpanKind | undefined {
  if (value == null) return 'unspecified';
  if (typeof value === 'number') return Number.isInteger(value) ? kindFromNumber(value) : UNUSUAL;
  return typeof value === 'string' ? kindFromName(value) : UNUSUAL;
}

function spanStatus(value: unknown): SpanStatus | undefined {
  if (value == null) return { code: 'unset' };
  if (!isObj(value)) return UNUSUAL;
  const raw = value['code'];
  let code: StatusCode | undefined = 'unset';
  if (typeof raw === 'number') code = Number.isInteger(raw) ? statusFromNumber(raw) : UNUSUAL;
  else if (typeof raw === 'string') code = statusFromName(raw);
  else if (raw != null) code = UNUSUAL;
  const message = optionalString(value['message']);
  if (code === UNUSUAL || message === UNUSUAL) return UNUSUAL;
  return message ? { code, message } : { code };
}

function spanEvents(value: unknown): SpanEvent[] | undefined {
  if (value == null) return [];
  if (!Array.isArray(value)) return UNUSUAL;
  const events: SpanEvent[] = [];
  for (const item of value as unknown[]) {
    if (!isObj(item)) return UNUSUAL;
    const name = optionalString(item['name']);
    const time = unixNano(field(item, 'timeUnixNano', 'time_unix_nano'));
    const attributes = scalarAttributes(item['attributes']);
    const dropped = optionalCount(field(item, 'droppedAttributesCount', 'dropped_attributes_count'));
    if (name === UNUSUAL || time === UNUSUAL || attributes === UNUSUAL || dropped === UNUSUAL) return UNUSUAL;
    const event: { name: string; timeUnixNano: string; attributes: KeyValue[]; droppedAttributesCount?: number } = { name, timeUnixNano: time, attributes };
    if (dropped) event.droppedAttributesCount = dropped;
    events.push(event);
  }
  return events;
}

/** A list of attributes that all have scalar values. */
export function scalarAttributes(value: unknown): KeyValue[] | undefined {
  if (value == null) return [];
  if (!Array.isArray(value)) return UNUSUAL;
  const out: KeyValue[] = [];
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const key = isObj(item) ? item['key'] : undefined;
    const kv = typeof key === 'string' ? scalarKeyValue(key, (item as JsonObject)['value'], i) : UNUSUAL;
    if (kv === UNUSUAL) return UNUSUAL;
    out.push(kv);
  }
  return out;
}

/** An int64 already in canonical decimal form and exact as a double. */
const CANONICAL_SAFE_INT = /^(?:0|-?[1-9]\d{0,14})$/;

/**
 * A well-formed scalar attribute (the one at `position` of its list), shared when it repeats: the
 * value decodeAnyValue gives, tried in its order (string, bool, int, double).
 */
export function scalarKeyValue(key: string, value: unknown, position: number): KeyValue | undefined {
  if (!isObj(value)) return UNUSUAL;
  const s = value['stringValue'];
  if (typeof s === 'string') return stringKv(key, s, position);
  if (s != null || value['string_value'] != null) return UNUSUAL;
  const b = value['boolValue'];
  if (typeof b === 'boolean') return boolKv(key, b, position);
  if (b != null || value['bool_value'] != null) return UNUSUAL;
  const n = value['intValue'];
  if (typeof n === 'string' && CANONICAL_SAFE_INT.test(n)) return intKv(key, n, position);
  if (typeof n === 'number' && Number.isSafeInteger(n)) return intKv(key, String(n), position);
  if (n != null || value['int_value'] != null) return UNUSUAL;
  const d = value['doubleValue'];
  return typeof d === 'number' ? doubleKv(key, d, position) : UNUSUAL;
}
