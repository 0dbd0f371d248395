// OTLP/JSON `ExportTraceServiceRequest` → spans, per the OTLP JSON mapping: lowerCamelCase or
// snake_case names, ids as hex (any case, normalised lowercase), enums as integers or names,
// int64 as string or number, bytes as base64. Shape errors throw 'otlp.decode' naming the JSON
// path; spans with invalid ids are rejected and counted (partial success).
import type { AnyValue, InstrumentationScope, KeyValue, Resource, Span, SpanEvent, SpanKind, SpanLink, SpanStatus, StatusCode } from '../model';
import { buildSpan } from '../model';
import { HEX_PAIRS, normaliseBase64, utf8OfRange } from './bytes';
import { kindFromName, kindFromNumber, statusFromName, statusFromNumber } from './otlp-enums';
import { scalarKeyValue, wellFormedSpan } from './json-decode-fast';
import { MAX_VALUE_DEPTH } from './protobuf-values';
import { Rejections, parentIdProblem, spanIdProblem, traceIdProblem, type OtlpDecodeResult } from './result';
import {
  JsonReadContext,
  describe,
  isObject,
  parseJsonExact,
  pick,
  readArray,
  readCount,
  readDouble,
  readIdBytes,
  readInt64,
  readObject,
  readString,
  readUnixNano,
  type JsonObject,
} from './json-read';

const OTLP_JSON = new JsonReadContext('otlp.decode', 'Invalid OTLP/JSON trace request');

/** Decodes an OTLP/JSON request given as text, UTF-8 bytes, or an already parsed value. */
export function decodeOtlpJson(input: string | unknown): OtlpDecodeResult {
  const raw = input instanceof Uint8Array ? utf8OfRange(input, 0, input.length) : input;
  if (typeof raw !== 'string') return decodeRoot(raw);
  // A byte-order mark may open a JSON document (RFC 8259 §8.1 lets parsers ignore it).
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const plain = parsePlainly(text);
  if (plain !== NOT_PLAIN) {
    refuseLongNumbers = true;
    try {
      return decodeRoot(plain);
    } catch (error) {
      if (error !== LONG_NUMBER) throw error;
    } finally {
      refuseLongNumbers = false;
    }
  }
  let root: unknown;
  try {
    root = parseJsonExact(text);
  } catch (error) {
    throw OTLP_JSON.fail('', `the body is not JSON (${(error as Error).message})`);
  }
  return decodeRoot(root);
}

// Senders write int64s as strings (the OTLP JSON mapping says so), so most bodies need none of
// parseJsonExact's pass over the whole text, which quotes long bare integers: the text is parsed
// plainly first, and decoded while `refuseLongNumbers` is set — the decoder then throws
// LONG_NUMBER at a timestamp or int64 given as a number of 16 digits or more (one the quoting pass
// would have turned into a string, or rounded), and the text is parsed again exactly. A text the
// plain parse refuses goes the exact way too (its quoting can make it JSON, and its error is the one to report).
const NOT_PLAIN = Symbol('not plain JSON');
const LONG_NUMBER = Symbol('a long bare integer');
let refuseLongNumbers = false;

function parsePlainly(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_PLAIN;
  }
}

/** `value`, unless it is a number the exact parse could have read differently (see refuseLongNumbers). */
function exactNumber(value: unknown): unknown {
  if (refuseLongNumbers && typeof value === 'number' && Math.abs(value) >= 1e15) throw LONG_NUMBER;
  return value;
}

function decodeRoot(root: unknown): OtlpDecodeResult {
  if (!isObject(root)) throw OTLP_JSON.fail('', `expected an object with "resourceSpans", found ${describe(root)}`);
  const spans: Span[] = [];
  const rejections = new Rejections();
  decodeRequestInto(root, '', spans, rejections);
  return rejections.finish(spans);
}

/** Decodes one parsed request object, appending to `spans` (also used line by line for JSONL). */
export function decodeRequestInto(root: JsonObject, path: string, spans: Span[], rejections: Rejections): void {
  const resourceSpans = readArray(OTLP_JSON, pick(root, 'resourceSpans', 'resource_spans'), `${path}resourceSpans`);
  for (let i = 0; i < resourceSpans.length; i++) decodeResourceSpansInto(resourceSpans[i], `${path}resourceSpans[${i}]`, spans, rejections);
}

/** One ResourceSpans (at `rsPath` of its request): its spans, with their resource and scope. */
export function decodeResourceSpansInto(value: unknown, rsPath: string, spans: Span[], rejections: Rejections): void {
  for (const piece of resourceSpansPieces(value, rsPath, rejections, Number.POSITIVE_INFINITY)) for (const span of piece) spans.push(span);
}

/**
 * One ResourceSpans' spans in pieces of at most `size` (the last of each scope may be smaller), so a
 * caller can let other work run between them; a shape error is thrown when its piece is reached.
 */
export function* resourceSpansPieces(value: unknown, rsPath: string, rejections: Rejections, size: number): Generator<Span[]> {
  const rs = readObject(OTLP_JSON, value, rsPath) ?? {};
  const resource = decodeResource(rs, rsPath);
  const scopeSpans = readArray(OTLP_JSON, pick(rs, 'scopeSpans', 'scope_spans'), `${rsPath}.scopeSpans`);
  for (let j = 0; j < scopeSpans.length; j++) {
    const ssPath = `${rsPath}.scopeSpans[${j}]`;
    const ss = readObject(OTLP_JSON, scopeSpans[j], ssPath) ?? {};
    const scope = decodeScope(ss, ssPath);
    const list = readArray(OTLP_JSON, ss['spans'], `${ssPath}.spans`);
    let piece: Span[] = [];
    for (let k = 0; k < list.length; k++) {
      // The path is built only for a span the quick reading leaves to the checked one.
      const span = quickSpan(list[k], resource, scope) ?? decodeSpan(list[k], `${ssPath}.spans[${k}]`, resource, scope, rejections);
      if (span) piece.push(span);
      if (piece.length >= size) {
        yield piece;
        piece = [];
      }
    }
    if (piece.length > 0) yield piece;
  }
}

export function decodeResource(rs: JsonObject, path: string): Resource {
  const obj = readObject(OTLP_JSON, rs['resource'], `${path}.resource`) ?? {};
  const resource: { attributes: KeyValue[]; droppedAttributesCount?: number; schemaUrl?: string } = {
    attributes: decodeAttributes(obj['attributes'], `${path}.resource.attributes`),
  };
  const dropped = readCount(OTLP_JSON, pick(obj, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.resource.droppedAttributesCount`);
  if (dropped) resource.droppedAttributesCount = dropped;
  const schemaUrl = readString(OTLP_JSON, pick(rs, 'schemaUrl', 'schema_url'), `${path}.schemaUrl`);
  if (schemaUrl) resource.schemaUrl = schemaUrl;
  return resource;
}

export function decodeScope(ss: JsonObject, path: string): InstrumentationScope {
  const obj = readObject(OTLP_JSON, ss['scope'], `${path}.scope`) ?? {};
  const scope: { name: string; version?: string; attributes?: KeyValue[]; droppedAttributesCount?: number; schemaUrl?: string } = {
    name: readString(OTLP_JSON, obj['name'], `${path}.scope.name`),
  };
  const version = readString(OTLP_JSON, obj['version'], `${path}.scope.version`);
  if (version) scope.version = version;
  const attributes = decodeAttributes(obj['attributes'], `${path}.scope.attributes`);
  if (attributes.length) scope.attributes = attributes;
  const dropped = readCount(OTLP_JSON, pick(obj, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.scope.droppedAttributesCount`);
  if (dropped) scope.droppedAttributesCount = dropped;
  const schemaUrl = readString(OTLP_JSON, pick(ss, 'schemaUrl', 'schema_url'), `${path}.schemaUrl`);
  if (schemaUrl) scope.schemaUrl = schemaUrl;
  return scope;
}

function hexOf(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_PAIRS[bytes[i]!]!;
  return out;
}

function isZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * A string id that is not hex and whose base64 reading has the wrong length is a mistyped hex id
 * (`"zzzz…"`, 32 characters): say so, rather than the byte count its base64 reading happens to give.
 */
function notHexId(raw: unknown, what: string, bytes: number, read: Uint8Array): string | undefined {
  if (typeof raw !== 'string' || read.length === bytes || /^[0-9a-fA-F]*$/.test(raw)) return undefined;
  const shown = JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
  return `has a ${what} ${shown} that is not hex (${bytes * 2} digits 0-9, a-f) nor base64 of ${bytes} bytes`;
}

export function decodeSpan(value: unknown, path: string, resource: Resource, scope: InstrumentationScope, rejections: Rejections): Span | undefined {
  const obj = readObject(OTLP_JSON, value, path) ?? {};
  const name = readString(OTLP_JSON, obj['name'], `${path}.name`);
  const rawIds = [pick(obj, 'traceId', 'trace_id'), pick(obj, 'spanId', 'span_id'), pick(obj, 'parentSpanId', 'parent_span_id')] as const;
  const ids = canonicalIds(rawIds[0], rawIds[1], rawIds[2]);
  if (ids !== undefined) return wellFormedSpan(obj, ids[0], ids[1], ids[2], resource, scope) ?? buildDecodedSpan(obj, path, name, ids[0], ids[1], ids[2], resource, scope);
  const traceId = readIdBytes(OTLP_JSON, rawIds[0], `${path}.traceId`);
  const spanId = readIdBytes(OTLP_JSON, rawIds[1], `${path}.spanId`);
  const parent = readIdBytes(OTLP_JSON, rawIds[2], `${path}.parentSpanId`);
  const problem =
    (traceId === undefined ? 'has a trace id that is not hex' : (notHexId(rawIds[0], 'trace id', 16, traceId) ?? traceIdProblem(traceId.length, isZero(traceId)))) ??
    (spanId === undefined ? 'has a span id that is not hex' : (notHexId(rawIds[1], 'span id', 8, spanId) ?? spanIdProblem(spanId.length, isZero(spanId)))) ??
    (parent === undefined ? 'has a parent span id that is not hex' : parent.length === 0 ? undefined : (notHexId(rawIds[2], 'parent span id', 8, parent) ?? parentIdProblem(parent.length)));
  if (problem !== undefined || !traceId || !spanId || !parent) {
    rejections.reject(name, problem ?? 'has invalid ids');
    return undefined;
  }
  return buildDecodedSpan(obj, path, name, hexOf(traceId), hexOf(spanId), parent.length > 0 && !isZero(parent) ? hexOf(parent) : undefined, resource, scope);
}

/** A span in the common well-formed shape, with canonical ids; undefined for the checked readers to decode. */
function quickSpan(value: unknown, resource: Resource, scope: InstrumentationScope): Span | undefined {
  if (!isObject(value)) return undefined;
  const ids = canonicalIds(pick(value, 'traceId', 'trace_id'), pick(value, 'spanId', 'span_id'), pick(value, 'parentSpanId', 'parent_span_id'));
  return ids === undefined ? undefined : wellFormedSpan(value, ids[0], ids[1], ids[2], resource, scope);
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ZERO_SPAN_ID = '0000000000000000';

/** Ids already in canonical form (lowercase hex, right length, not zero) as they are: no byte round trip. */
function canonicalIds(trace: unknown, span: unknown, parent: unknown): [string, string, string | undefined] | undefined {
  if (typeof trace !== 'string' || typeof span !== 'string' || !TRACE_ID.test(trace) || !SPAN_ID.test(span)) return undefined;
  if (trace === ZERO_SPAN_ID + ZERO_SPAN_ID || span === ZERO_SPAN_ID) return undefined;
  if (parent === undefined || parent === '') return [trace, span, undefined];
  if (typeof parent !== 'string' || !SPAN_ID.test(parent)) return undefined;
  return [trace, span, parent === ZERO_SPAN_ID ? undefined : parent];
}

/** The checked reading of a span with canonical ids (the reference json-decode-fast is tested against). */
export function buildDecodedSpan(
  obj: JsonObject,
  path: string,
  name: string,
  traceId: string,
  spanId: string,
  parentSpanId: string | undefined,
  resource: Resource,
  scope: InstrumentationScope,
): Span {
  const flags = readCount(OTLP_JSON, obj['flags'], `${path}.flags`);
  return buildSpan({
    traceId,
    spanId,
    parentSpanId,
    traceState: readString(OTLP_JSON, pick(obj, 'traceState', 'trace_state'), `${path}.traceState`),
    flags: flags === 0 ? undefined : flags,
    name,
    kind: decodeKind(obj['kind'], `${path}.kind`),
    startTimeUnixNano: readUnixNano(OTLP_JSON, exactNumber(pick(obj, 'startTimeUnixNano', 'start_time_unix_nano')), `${path}.startTimeUnixNano`),
    endTimeUnixNano: readUnixNano(OTLP_JSON, exactNumber(pick(obj, 'endTimeUnixNano', 'end_time_unix_nano')), `${path}.endTimeUnixNano`),
    attributes: decodeAttributes(obj['attributes'], `${path}.attributes`),
    droppedAttributesCount: readCount(OTLP_JSON, pick(obj, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.droppedAttributesCount`),
    events: readArray(OTLP_JSON, obj['events'], `${path}.events`).map((e, i) => decodeEvent(e, `${path}.events[${i}]`)),
    droppedEventsCount: readCount(OTLP_JSON, pick(obj, 'droppedEventsCount', 'dropped_events_count'), `${path}.droppedEventsCount`),
    links: readArray(OTLP_JSON, obj['links'], `${path}.links`).map((l, i) => decodeLink(l, `${path}.links[${i}]`)),
    droppedLinksCount: readCount(OTLP_JSON, pick(obj, 'droppedLinksCount', 'dropped_links_count'), `${path}.droppedLinksCount`),
    status: decodeStatus(obj['status'], `${path}.status`),
    resource,
    scope,
  });
}

function decodeKind(value: unknown, path: string): SpanKind {
  if (value === undefined || value === null) return 'unspecified';
  if (typeof value === 'number' && Number.isInteger(value)) return kindFromNumber(value);
  const kind = typeof value === 'string' ? kindFromName(value) : undefined;
  if (kind === undefined) throw OTLP_JSON.fail(path, `expected a span kind (0-5 or SPAN_KIND_SERVER…), found ${describe(value)}`);
  return kind;
}

function decodeStatus(value: unknown, path: string): SpanStatus {
  const obj = readObject(OTLP_JSON, value, path);
  if (!obj) return { code: 'unset' };
  const raw = obj['code'];
  let code: StatusCode | undefined = 'unset';
  if (typeof raw === 'number' && Number.isInteger(raw)) code = statusFromNumber(raw);
  else if (typeof raw === 'string') code = statusFromName(raw);
  else if (raw !== undefined && raw !== null) code = undefined;
  if (code === undefined) throw OTLP_JSON.fail(`${path}.code`, `expected a status code (0-2 or STATUS_CODE_ERROR…), found ${describe(raw)}`);
  const message = readString(OTLP_JSON, obj['message'], `${path}.message`);
  return message ? { code, message } : { code };
}

function decodeEvent(value: unknown, path: string): SpanEvent {
  const obj = readObject(OTLP_JSON, value, path) ?? {};
  const event: { name: string; timeUnixNano: string; attributes: KeyValue[]; droppedAttributesCount?: number } = {
    name: readString(OTLP_JSON, obj['name'], `${path}.name`),
    timeUnixNano: readUnixNano(OTLP_JSON, exactNumber(pick(obj, 'timeUnixNano', 'time_unix_nano')), `${path}.timeUnixNano`),
    attributes: decodeAttributes(obj['attributes'], `${path}.attributes`),
  };
  const dropped = readCount(OTLP_JSON, pick(obj, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.droppedAttributesCount`);
  if (dropped) event.droppedAttributesCount = dropped;
  return event;
}

function decodeLink(value: unknown, path: string): SpanLink {
  const obj = readObject(OTLP_JSON, value, path) ?? {};
  const traceId = readIdBytes(OTLP_JSON, pick(obj, 'traceId', 'trace_id'), `${path}.traceId`);
  const spanId = readIdBytes(OTLP_JSON, pick(obj, 'spanId', 'span_id'), `${path}.spanId`);
  if (!traceId) throw OTLP_JSON.fail(`${path}.traceId`, 'expected a hex trace id');
  if (!spanId) throw OTLP_JSON.fail(`${path}.spanId`, 'expected a hex span id');
  const link: { -readonly [K in keyof SpanLink]: SpanLink[K] } = {
    traceId: hexOf(traceId),
    spanId: hexOf(spanId),
    attributes: decodeAttributes(obj['attributes'], `${path}.attributes`),
  };
  const traceState = readString(OTLP_JSON, pick(obj, 'traceState', 'trace_state'), `${path}.traceState`);
  if (traceState) link.traceState = traceState;
  const dropped = readCount(OTLP_JSON, pick(obj, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.droppedAttributesCount`);
  if (dropped) link.droppedAttributesCount = dropped;
  const flags = readCount(OTLP_JSON, obj['flags'], `${path}.flags`);
  if (flags) link.flags = flags;
  return link;
}

export function decodeAttributes(value: unknown, path: string, depth = 0): KeyValue[] {
  const list = readArray(OTLP_JSON, value, path);
  const out: KeyValue[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const key = isObject(item) ? item['key'] : undefined;
    const fast = typeof key === 'string' ? scalarKeyValue(key, (item as JsonObject)['value'], i) : undefined;
    if (fast !== undefined) {
      out.push(fast);
      continue;
    }
    const at = `${path}[${i}]`;
    const kv = readObject(OTLP_JSON, item, at) ?? {};
    out.push({ key: readString(OTLP_JSON, kv['key'], `${at}.key`), value: decodeAnyValue(kv['value'], `${at}.value`, depth + 1) });
  }
  return out;
}

function decodeAnyValue(value: unknown, path: string, depth: number): AnyValue {
  if (depth > MAX_VALUE_DEPTH) throw OTLP_JSON.fail(path, `attribute values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  const obj = readObject(OTLP_JSON, value, path);
  if (!obj) return {};
  let v: unknown;
  if ((v = pick(obj, 'stringValue', 'string_value')) !== undefined) return { stringValue: readString(OTLP_JSON, v, `${path}.stringValue`) };
  if ((v = pick(obj, 'boolValue', 'bool_value')) !== undefined) {
    if (typeof v !== 'boolean') throw OTLP_JSON.fail(`${path}.boolValue`, `expected true or false, found ${describe(v)}`);
    return { boolValue: v };
  }
  if ((v = pick(obj, 'intValue', 'int_value')) !== undefined) return { intValue: readInt64(OTLP_JSON, exactNumber(v), `${path}.intValue`) };
  if ((v = pick(obj, 'doubleValue', 'double_value')) !== undefined) return { doubleValue: readDouble(OTLP_JSON, v, `${path}.doubleValue`) };
  if ((v = pick(obj, 'bytesValue', 'bytes_value')) !== undefined) {
    const b64 = normaliseBase64(readString(OTLP_JSON, v, `${path}.bytesValue`));
    if (b64 === undefined) throw OTLP_JSON.fail(`${path}.bytesValue`, 'expected base64');
    return { bytesValue: b64 };
  }
  if ((v = pick(obj, 'arrayValue', 'array_value')) !== undefined) {
    const inner = readObject(OTLP_JSON, v, `${path}.arrayValue`) ?? {};
    const items = readArray(OTLP_JSON, inner['values'], `${path}.arrayValue.values`);
    return { arrayValue: { values: items.map((item, i) => decodeAnyValue(item, `${path}.arrayValue.values[${i}]`, depth + 1)) } };
  }
  if ((v = pick(obj, 'kvlistValue', 'kvlist_value')) !== undefined) {
    const inner = readObject(OTLP_JSON, v, `${path}.kvlistValue`) ?? {};
    return { kvlistValue: { values: decodeAttributes(inner['values'], `${path}.kvlistValue.values`, depth + 1) } };
  }
  return {};
}
