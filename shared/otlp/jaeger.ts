// Jaeger JSON (the Jaeger UI "Download JSON" / query API shape) → our span model.
// `{ data: [ { traceID, spans: [...], processes: { p1: { serviceName, tags } } } ] }`: the first
// CHILD_OF reference is the parent, other references become links; span.kind / otel.status_code /
// otel.status_description / error tags become kind and status; otel.scope.* tags become the scope;
// a process becomes a Resource with service.name (one shared object per trace and process).
import type { AnyValue, InstrumentationScope, KeyValue, Resource, Span, SpanEvent, SpanKind, SpanLink, SpanStatus } from '../model';
import { buildSpan } from '../model';
import { normaliseBase64 } from './bytes';
import { kindFromName } from './otlp-enums';
import { JsonReadContext, describe, isObject, readArray, readObject, readString, type JsonObject } from './json-read';

const JAEGER = new JsonReadContext('trace.invalid', 'Invalid Jaeger JSON');

export function looksLikeJaeger(root: unknown): boolean {
  if (!isObject(root) || !Array.isArray(root['data'])) return false;
  const first = root['data'][0];
  return first === undefined || (isObject(first) && ('spans' in first || 'traceID' in first));
}

export function jaegerToSpans(root: JsonObject): Span[] {
  const spans: Span[] = [];
  const traces = readArray(JAEGER, root['data'], 'data');
  for (let t = 0; t < traces.length; t++) {
    const tPath = `data[${t}]`;
    const trace = readObject(JAEGER, traces[t], tPath) ?? {};
    const processes = readObject(JAEGER, trace['processes'], `${tPath}.processes`) ?? {};
    const resources = new Map<string, Resource>();
    const scopes = new Map<string, InstrumentationScope>();
    const list = readArray(JAEGER, trace['spans'], `${tPath}.spans`);
    for (let s = 0; s < list.length; s++) {
      spans.push(jaegerSpan(list[s], `${tPath}.spans[${s}]`, processes, resources, scopes));
    }
  }
  return spans;
}

function resourceFor(processId: string, processes: JsonObject, resources: Map<string, Resource>, path: string): Resource {
  let resource = resources.get(processId);
  if (resource) return resource;
  const process = readObject(JAEGER, processes[processId], `${path}`) ?? {};
  const serviceName = readString(JAEGER, process['serviceName'], `${path}.serviceName`);
  const tags = jaegerTags(process['tags'], `${path}.tags`);
  const attributes: KeyValue[] = serviceName ? [{ key: 'service.name', value: { stringValue: serviceName } }] : [];
  for (const kv of tags) if (kv.key !== 'service.name') attributes.push(kv);
  resource = { attributes };
  resources.set(processId, resource);
  return resource;
}

function paddedId(value: unknown, length: number, path: string): string {
  const id = readString(JAEGER, value, path).toLowerCase();
  if (!/^[0-9a-f]+$/.test(id) || id.length > length || /^0+$/.test(id)) {
    throw JAEGER.fail(path, `expected a non-zero hex id of up to ${length} digits, found ${describe(value)}`);
  }
  return id.padStart(length, '0');
}

function microsToNano(value: unknown, path: string): bigint {
  // Long integers arrive as strings: parseJsonExact quotes them so they stay exact.
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value) * 1000n;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw JAEGER.fail(path, `expected microseconds since the epoch, found ${describe(value)}`);
  }
  // Multiply in BigInt: µs since the epoch times 1000 is beyond a double's exact integers.
  const whole = Math.floor(value);
  return BigInt(whole) * 1000n + BigInt(Math.round((value - whole) * 1000));
}

const CONTROL_TAGS = new Set(['span.kind', 'otel.status_code', 'otel.status_description', 'otel.scope.name', 'otel.scope.version', 'otel.library.name', 'otel.library.version']);

function jaegerSpan(
  value: unknown,
  path: string,
  processes: JsonObject,
  resources: Map<string, Resource>,
  scopes: Map<string, InstrumentationScope>,
): Span {
  const obj = readObject(JAEGER, value, path) ?? {};
  const traceId = paddedId(obj['traceID'], 32, `${path}.traceID`);
  const spanId = paddedId(obj['spanID'], 16, `${path}.spanID`);
  const start = microsToNano(obj['startTime'], `${path}.startTime`);
  const duration = obj['duration'] === undefined ? 0n : microsToNano(obj['duration'], `${path}.duration`);
  const tags = jaegerTags(obj['tags'], `${path}.tags`);
  const tag = (key: string) => tags.find((kv) => kv.key === key)?.value;
  const text = (v: AnyValue | undefined) => (v && 'stringValue' in v ? v.stringValue : undefined);

  let parentSpanId: string | undefined;
  const links: SpanLink[] = [];
  const refs = readArray(JAEGER, obj['references'], `${path}.references`);
  for (let i = 0; i < refs.length; i++) {
    const rPath = `${path}.references[${i}]`;
    const ref = readObject(JAEGER, refs[i], rPath) ?? {};
    const refTrace = paddedId(ref['traceID'] ?? obj['traceID'], 32, `${rPath}.traceID`);
    const refSpan = paddedId(ref['spanID'], 16, `${rPath}.spanID`);
    const refType = readString(JAEGER, ref['refType'], `${rPath}.refType`);
    if (refType === 'CHILD_OF' && parentSpanId === undefined && refTrace === traceId) parentSpanId = refSpan;
    else links.push({ traceId: refTrace, spanId: refSpan, attributes: refType ? [{ key: 'jaeger.ref_type', value: { stringValue: refType } }] : [] });
  }

  const kindText = text(tag('span.kind'));
  const kind: SpanKind = (kindText && kindFromName(kindText)) || 'unspecified';
  const statusText = text(tag('otel.status_code'))?.toUpperCase();
  const errorTag = tag('error');
  const isError = statusText === 'ERROR' || (statusText === undefined && errorTag !== undefined && (('boolValue' in errorTag && errorTag.boolValue) || text(errorTag) === 'true'));
  const message = text(tag('otel.status_description'));
  const status: SpanStatus = isError ? (message ? { code: 'error', message } : { code: 'error' }) : statusText === 'OK' ? { code: 'ok' } : { code: 'unset' };

  const attributes = tags.filter((kv) => !CONTROL_TAGS.has(kv.key) && !(kv.key === 'error' && isError));
  const processId = readString(JAEGER, obj['processID'], `${path}.processID`);
  const resource = resourceFor(processId, processes, resources, `${path.replace(/\.spans\[\d+\]$/, '')}.processes.${processId}`);
  const scopeName = text(tag('otel.scope.name')) ?? text(tag('otel.library.name')) ?? '';
  const scopeVersion = text(tag('otel.scope.version')) ?? text(tag('otel.library.version'));
  const scopeKey = `${processId}\u0000${scopeName}\u0000${scopeVersion ?? ''}`;
  let scope = scopes.get(scopeKey);
  if (!scope) {
    scope = scopeVersion ? { name: scopeName, version: scopeVersion } : { name: scopeName };
    scopes.set(scopeKey, scope);
  }
  const flags = typeof obj['flags'] === 'number' && obj['flags'] > 0 ? obj['flags'] : undefined;

  return buildSpan({
    traceId,
    spanId,
    parentSpanId,
    flags,
    name: readString(JAEGER, obj['operationName'], `${path}.operationName`),
    kind,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + duration).toString(),
    attributes,
    events: readArray(JAEGER, obj['logs'], `${path}.logs`).map((log, i) => jaegerLog(log, `${path}.logs[${i}]`)),
    links,
    status,
    resource,
    scope,
  });
}

function jaegerLog(value: unknown, path: string): SpanEvent {
  const obj = readObject(JAEGER, value, path) ?? {};
  const fields = jaegerTags(obj['fields'], `${path}.fields`);
  const eventField = fields.find((kv) => kv.key === 'event' && 'stringValue' in kv.value);
  const name = eventField && 'stringValue' in eventField.value ? eventField.value.stringValue : 'log';
  return {
    name,
    timeUnixNano: microsToNano(obj['timestamp'], `${path}.timestamp`).toString(),
    attributes: fields.filter((kv) => kv !== eventField),
  };
}

function jaegerTags(value: unknown, path: string): KeyValue[] {
  const list = readArray(JAEGER, value, path);
  const out: KeyValue[] = [];
  for (let i = 0; i < list.length; i++) {
    const tPath = `${path}[${i}]`;
    const tag = readObject(JAEGER, list[i], tPath) ?? {};
    const key = readString(JAEGER, tag['key'], `${tPath}.key`);
    out.push({ key, value: jaegerValue(readString(JAEGER, tag['type'], `${tPath}.type`).toLowerCase(), tag['value'], `${tPath}.value`) });
  }
  return out;
}

function jaegerValue(type: string, v: unknown, path: string): AnyValue {
  switch (type) {
    case 'bool':
      if (typeof v === 'boolean') return { boolValue: v };
      if (v === 'true' || v === 'false') return { boolValue: v === 'true' };
      break;
    case 'int64':
      if (typeof v === 'number' && Number.isInteger(v)) return { intValue: BigInt(v).toString() };
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return { intValue: BigInt(v).toString() };
      break;
    case 'float64':
      if (typeof v === 'number') return { doubleValue: v };
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return { doubleValue: Number(v) };
      break;
    case 'binary': {
      const b64 = typeof v === 'string' ? normaliseBase64(v) : undefined;
      if (b64 !== undefined) return { bytesValue: b64 };
      break;
    }
    case 'string':
    case '':
      if (typeof v === 'string') return { stringValue: v };
      if (type === '') break;
      return { stringValue: JSON.stringify(v) ?? '' };
    default:
      throw JAEGER.fail(path, `unknown tag type "${type}" (expected string, bool, int64, float64 or binary)`);
  }
  if (type === '' && (typeof v === 'number' || typeof v === 'boolean')) {
    return typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  }
  throw JAEGER.fail(path, `expected a ${type || 'tag'} value, found ${describe(v)}`);
}
