// The DuckDB tables and the exact mapping between a Span and a stored row. Indexed columns are
// flat (service, name, times, run tag) for SQL; everything else is JSON so re-export is identical.
import { buildSpan, findAttribute, toText, type KeyValue, type Resource, type Span, type SpanKind } from '../../shared/model';

export const SCHEMA_VERSION = 1;

export const CREATE_TABLES = `
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS spans (
  seq BIGINT,
  trace_id VARCHAR,
  span_id VARCHAR,
  parent_span_id VARCHAR,
  name VARCHAR,
  kind VARCHAR,
  status_code VARCHAR,
  service VARCHAR,
  start_ns VARCHAR,
  end_ns VARCHAR,
  start_us DOUBLE,
  end_us DOUBLE,
  duration_us DOUBLE,
  run_id VARCHAR,
  scenario VARCHAR,
  resource_id INTEGER,
  body VARCHAR,
  bytes INTEGER
);
CREATE TABLE IF NOT EXISTS resources (id INTEGER PRIMARY KEY, json VARCHAR);
CREATE TABLE IF NOT EXISTS runs (
  id VARCHAR PRIMARY KEY,
  test_file VARCHAR,
  test_name VARCHAR,
  scenario VARCHAR,
  iteration INTEGER,
  commit_sha VARCHAR,
  started_at VARCHAR,
  ended_at VARCHAR,
  verdict VARCHAR,
  evidence VARCHAR
);
`;

/**
 * The JSON fragments a stored attribute `key` with text value `value` can appear as (string, int,
 * double or bool AnyValue), for `contains()` filters over the stored JSON. KeyValues are always
 * serialised as {"key":…,"value":{…}} (the codecs build them in that order).
 */
export function attributeFragments(key: string, value: string): string[] {
  const head = `{"key":${JSON.stringify(key)},"value":{`;
  const out = [`${head}"stringValue":${JSON.stringify(value)}}}`];
  if (/^-?\d+$/.test(value)) out.push(`${head}"intValue":"${value}"}}`);
  const n = Number(value);
  if (value.trim() !== '' && Number.isFinite(n)) out.push(`${head}"doubleValue":${JSON.stringify(n)}}}`);
  if (value === 'true' || value === 'false') out.push(`${head}"boolValue":${value}}}`);
  return out;
}

export function tagOf(resource: Resource, key: string): string | undefined {
  const v = findAttribute(resource.attributes, key);
  return v ? toText(v) : undefined;
}

/** Everything of a span that has no column of its own. */
interface SpanBody {
  attributes: readonly KeyValue[];
  events: Span['events'];
  links: Span['links'];
  status: Span['status'];
  scope: Span['scope'];
  traceState?: string;
  flags?: number;
  droppedAttributesCount?: number;
  droppedEventsCount?: number;
  droppedLinksCount?: number;
}

interface ResourceInfo {
  json: string;
  runId: string | undefined;
  scenario: string | undefined;
}

// Spans of one ResourceSpans share their Resource object: serialise it once per object.
const resourceInfos = new WeakMap<Resource, ResourceInfo>();

export function resourceInfo(resource: Resource): ResourceInfo {
  let info = resourceInfos.get(resource);
  if (!info) {
    info = { json: JSON.stringify(resource), runId: tagOf(resource, 'clnrm.run_id'), scenario: tagOf(resource, 'clnrm.scenario') };
    resourceInfos.set(resource, info);
  }
  return info;
}

export function runIdOf(span: Span): string | undefined {
  return resourceInfo(span.resource).runId;
}

export function scenarioOf(span: Span): string | undefined {
  return resourceInfo(span.resource).scenario;
}

// Spans of one ScopeSpans share their scope object: serialise it once per object.
const scopeJsons = new WeakMap<object, string>();
const UNSET_STATUS = '{"code":"unset"}';

/**
 * The span's body JSON, byte-identical to JSON.stringify of a SpanBody (same key order) but built
 * from pieces: the shared scope is serialised once per object, empty lists and the plain unset
 * status are constants. The ingest hot path spends most of its JavaScript time here.
 */
export function spanBodyJson(span: Span): string {
  let scope = scopeJsons.get(span.scope);
  if (scope === undefined) {
    scope = JSON.stringify(span.scope);
    scopeJsons.set(span.scope, scope);
  }
  const status = span.status.code === 'unset' && span.status.message === undefined && Object.keys(span.status).length === 1 ? UNSET_STATUS : JSON.stringify(span.status);
  let json =
    '{"attributes":' +
    JSON.stringify(span.attributes) +
    ',"events":' +
    (span.events.length === 0 ? '[]' : JSON.stringify(span.events)) +
    ',"links":' +
    (span.links.length === 0 ? '[]' : JSON.stringify(span.links)) +
    ',"status":' +
    status +
    ',"scope":' +
    scope;
  if (span.traceState !== undefined) json += ',"traceState":' + JSON.stringify(span.traceState);
  if (span.flags !== undefined) json += ',"flags":' + JSON.stringify(span.flags);
  if (span.droppedAttributesCount) json += ',"droppedAttributesCount":' + JSON.stringify(span.droppedAttributesCount);
  if (span.droppedEventsCount) json += ',"droppedEventsCount":' + JSON.stringify(span.droppedEventsCount);
  if (span.droppedLinksCount) json += ',"droppedLinksCount":' + JSON.stringify(span.droppedLinksCount);
  return json + '}';
}

export interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  start_ns: string;
  end_ns: string;
  body: string;
  resource: string;
}

export const SPAN_ROW_SELECT = 's.trace_id, s.span_id, s.parent_span_id, s.name, s.kind, s.start_ns, s.end_ns, s.body, r.json AS resource';
export const SPAN_ROW_FROM = 'spans s JOIN resources r ON r.id = s.resource_id';

/** Rebuilds spans from rows; rows with the same resource JSON share one Resource object again. */
export function spansFromRows(rows: readonly SpanRow[]): Span[] {
  const resources = new Map<string, Resource>();
  const out: Span[] = [];
  for (const row of rows) {
    let resource = resources.get(row.resource);
    if (!resource) {
      resource = JSON.parse(row.resource) as Resource;
      resources.set(row.resource, resource);
    }
    const body = JSON.parse(row.body) as SpanBody;
    out.push(
      buildSpan({
        traceId: row.trace_id,
        spanId: row.span_id,
        parentSpanId: row.parent_span_id ?? undefined,
        traceState: body.traceState,
        flags: body.flags,
        name: row.name,
        kind: row.kind as SpanKind,
        startTimeUnixNano: row.start_ns,
        endTimeUnixNano: row.end_ns,
        attributes: body.attributes,
        droppedAttributesCount: body.droppedAttributesCount,
        events: body.events,
        droppedEventsCount: body.droppedEventsCount,
        links: body.links,
        droppedLinksCount: body.droppedLinksCount,
        status: body.status,
        resource,
        scope: body.scope,
      }),
    );
  }
  return out;
}
