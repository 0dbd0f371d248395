// clnrm's NDJSON span lines → our span model. clnrm writes one JSON object per span on stdout,
// between ordinary program output, in two spellings seen in its repository: the stdout exporter's
// camelCase (`traceId`, `spanId`, `parentSpanId`, `kind: "Internal"`, `startTimeUnixNano` as a
// number, `attributes` as a plain object, `events: [{ name, timestamp, attributes }]`,
// `status: { code: "Error { description: … }", message }`, `instrumentationScope`) and the span
// validator's snake_case (`trace_id`, `span_id`, `parent_span_id`, `start_time_unix_nano` as string
// or number, `kind` as "server" or 1-5, `events` as names, `resource_attributes`). Ids written with
// Rust's `{:x}` lose leading zeros, so they are left-padded.
import type { InstrumentationScope, KeyValue, Resource, Span, SpanEvent, SpanKind, SpanStatus } from '../model';
import { buildSpan, fromPlain } from '../model';
import { kindFromName, kindFromNumber } from './otlp-enums';
import { decodeAttributes } from './json-decode';
import { JsonReadContext, describe, isObject, pick, readArray, readObject, readString, readUnixNano, type JsonObject } from './json-read';

const CLNRM = new JsonReadContext('trace.invalid', 'Invalid clnrm span line');

/** True when a parsed line is a span object (everything else on stdout is program output). */
export function isClnrmSpanLine(value: unknown): value is JsonObject {
  return (
    isObject(value) &&
    typeof value['name'] === 'string' &&
    typeof pick(value, 'traceId', 'trace_id') === 'string' &&
    typeof pick(value, 'spanId', 'span_id') === 'string'
  );
}

/** Shares Resource / scope objects between lines with identical content. */
export class ClnrmSpanReader {
  private readonly resources = new Map<string, Resource>();
  private readonly scopes = new Map<string, InstrumentationScope>();

  /** Converts one span line; throws StudioError 'trace.invalid' naming the field (the caller adds the line). */
  read(obj: JsonObject): Span {
    const traceId = paddedId(pick(obj, 'traceId', 'trace_id'), 32, 'traceId');
    const spanId = paddedId(pick(obj, 'spanId', 'span_id'), 16, 'spanId');
    const parentRaw = pick(obj, 'parentSpanId', 'parent_span_id');
    const parentSpanId = parentRaw === undefined || parentRaw === '' ? undefined : paddedId(parentRaw, 16, 'parentSpanId');
    const startTimeUnixNano = readUnixNano(CLNRM, pick(obj, 'startTimeUnixNano', 'start_time_unix_nano'), 'startTimeUnixNano');
    const endTimeUnixNano = readUnixNano(CLNRM, pick(obj, 'endTimeUnixNano', 'end_time_unix_nano'), 'endTimeUnixNano');
    return buildSpan({
      traceId,
      spanId,
      parentSpanId: parentSpanId && !/^0+$/.test(parentSpanId) ? parentSpanId : undefined,
      name: obj['name'] as string,
      kind: readKind(obj['kind']),
      startTimeUnixNano,
      endTimeUnixNano,
      attributes: readAttributes(obj['attributes'], 'attributes'),
      events: readArray(CLNRM, obj['events'], 'events').map((e, i) => readEvent(e, `events[${i}]`, startTimeUnixNano)),
      status: readStatus(obj['status']),
      resource: this.resource(pick(obj, 'resourceAttributes', 'resource_attributes') ?? (isObject(obj['resource']) ? obj['resource']['attributes'] : undefined)),
      scope: this.scope(pick(obj, 'instrumentationScope', 'instrumentation_scope') ?? obj['scope']),
    });
  }

  private resource(value: unknown): Resource {
    const attributes = readAttributes(value, 'resource_attributes');
    const key = JSON.stringify(attributes);
    let resource = this.resources.get(key);
    if (!resource) {
      resource = { attributes };
      this.resources.set(key, resource);
    }
    return resource;
  }

  private scope(value: unknown): InstrumentationScope {
    const obj = readObject(CLNRM, value, 'instrumentationScope') ?? {};
    const name = readString(CLNRM, obj['name'], 'instrumentationScope.name');
    const version = readString(CLNRM, obj['version'], 'instrumentationScope.version');
    const key = `${name}\u0000${version}`;
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = version ? { name, version } : { name };
      this.scopes.set(key, scope);
    }
    return scope;
  }
}

function paddedId(value: unknown, length: number, path: string): string {
  const id = readString(CLNRM, value, path).toLowerCase();
  if (!/^[0-9a-f]+$/.test(id) || id.length > length) throw CLNRM.fail(path, `expected a hex id of up to ${length} digits, found ${describe(value)}`);
  if (/^0+$/.test(id) && path !== 'parentSpanId') throw CLNRM.fail(path, 'the id is all zeros');
  return id.padStart(length, '0');
}

function readKind(value: unknown): SpanKind {
  if (value === undefined || value === null) return 'unspecified';
  if (typeof value === 'number' && Number.isInteger(value)) return kindFromNumber(value);
  const kind = typeof value === 'string' ? kindFromName(value) : undefined;
  if (!kind) throw CLNRM.fail('kind', `expected internal, server, client, producer, consumer or 1-5, found ${describe(value)}`);
  return kind;
}

/** A plain `{ key: value }` object (clnrm's form) or an OTLP KeyValue array. */
function readAttributes(value: unknown, path: string): KeyValue[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return decodeAttributes(value, path);
  const obj = readObject(CLNRM, value, path)!;
  return Object.entries(obj).map(([key, v]) => ({ key, value: fromPlain(v) }));
}

function readEvent(value: unknown, path: string, spanStart: string): SpanEvent {
  if (typeof value === 'string') return { name: value, timeUnixNano: spanStart, attributes: [] };
  const obj = readObject(CLNRM, value, path) ?? {};
  const time = pick(obj, 'timeUnixNano', 'time_unix_nano') ?? obj['timestamp'];
  return {
    name: readString(CLNRM, obj['name'], `${path}.name`),
    timeUnixNano: time === undefined ? spanStart : readUnixNano(CLNRM, time, `${path}.timestamp`),
    attributes: readAttributes(obj['attributes'], `${path}.attributes`),
  };
}

/** `{ code: "Unset" | "Ok" | "Error { description: \"…\" }" | "STATUS_CODE_ERROR" | 0-2, message }`. */
function readStatus(value: unknown): SpanStatus {
  const obj = readObject(CLNRM, value, 'status');
  if (!obj) return { code: 'unset' };
  const raw = obj['code'];
  let code: SpanStatus['code'];
  if (typeof raw === 'number') code = raw === 2 ? 'error' : raw === 1 ? 'ok' : 'unset';
  else {
    const text = readString(CLNRM, raw, 'status.code').toLowerCase().replace(/^status_code_/, '');
    code = text.startsWith('error') ? 'error' : text === 'ok' ? 'ok' : 'unset';
  }
  // The stdout exporter writes Rust's Debug form, `Error { description: "…" }`: keep the description
  // when the separate message field is empty.
  const described = typeof raw === 'string' ? /description: "((?:[^"\\]|\\.)*)"/.exec(raw)?.[1]?.replace(/\\(.)/g, '$1') : undefined;
  const message = readString(CLNRM, obj['message'], 'status.message') || described || '';
  return message ? { code, message } : { code };
}
