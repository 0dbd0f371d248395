// The DuckDB tables and the exact mapping between a Span and a stored row. Indexed columns are
// flat (service, name, times, run tag) for SQL; everything else is JSON so re-export is identical.
import type { DuckDBAppender } from '@duckdb/node-api';
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
  attr_flat VARCHAR,
  body VARCHAR,
  resource VARCHAR,
  bytes INTEGER
);
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

export const SPAN_COLUMNS =
  'seq, trace_id, span_id, parent_span_id, name, kind, status_code, service, start_ns, end_ns, start_us, end_us, duration_us, run_id, scenario, attr_flat, body, resource, bytes';

/** Separator for the flattened `key=value` attribute list (a control character real keys don't use). */
export const FLAT_SEP = '\u0001';

export function flatAttribute(key: string, value: string): string {
  return `${FLAT_SEP}${key}=${value}${FLAT_SEP}`;
}

function flatten(out: string[], attributes: readonly KeyValue[]): void {
  for (const kv of attributes) out.push(`${kv.key}=${toText(kv.value)}`);
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

// Spans of one ResourceSpans share their Resource object: serialise it once per object.
const resourceJson = new WeakMap<Resource, { json: string; flat: string; runId: string | undefined; scenario: string | undefined }>();

function resourceInfo(resource: Resource): { json: string; flat: string; runId: string | undefined; scenario: string | undefined } {
  let info = resourceJson.get(resource);
  if (!info) {
    const flat: string[] = [];
    flatten(flat, resource.attributes);
    info = {
      json: JSON.stringify(resource),
      flat: flat.join(FLAT_SEP),
      runId: tagOf(resource, 'clnrm.run_id'),
      scenario: tagOf(resource, 'clnrm.scenario'),
    };
    resourceJson.set(resource, info);
  }
  return info;
}

export function runIdOf(span: Span): string | undefined {
  return resourceInfo(span.resource).runId;
}

export function scenarioOf(span: Span): string | undefined {
  return resourceInfo(span.resource).scenario;
}

/** Appends one span as a row (column order = SPAN_COLUMNS); returns the bytes it accounts for. */
export function appendSpan(appender: DuckDBAppender, span: Span, seq: bigint): number {
  const body: SpanBody = { attributes: span.attributes, events: span.events, links: span.links, status: span.status, scope: span.scope };
  if (span.traceState !== undefined) body.traceState = span.traceState;
  if (span.flags !== undefined) body.flags = span.flags;
  if (span.droppedAttributesCount) body.droppedAttributesCount = span.droppedAttributesCount;
  if (span.droppedEventsCount) body.droppedEventsCount = span.droppedEventsCount;
  if (span.droppedLinksCount) body.droppedLinksCount = span.droppedLinksCount;
  const bodyJson = JSON.stringify(body);
  const res = resourceInfo(span.resource);
  const flat: string[] = [];
  flatten(flat, span.attributes);
  const attrFlat = FLAT_SEP + flat.join(FLAT_SEP) + FLAT_SEP + res.flat + FLAT_SEP;

  appender.appendBigInt(seq);
  appender.appendVarchar(span.traceId);
  appender.appendVarchar(span.spanId);
  if (span.parentSpanId) appender.appendVarchar(span.parentSpanId);
  else appender.appendNull();
  appender.appendVarchar(span.name);
  appender.appendVarchar(span.kind);
  appender.appendVarchar(span.status.code);
  appender.appendVarchar(span.serviceName);
  appender.appendVarchar(span.startTimeUnixNano);
  appender.appendVarchar(span.endTimeUnixNano);
  appender.appendDouble(span.startUs);
  appender.appendDouble(span.startUs + span.durationUs);
  appender.appendDouble(span.durationUs);
  if (res.runId !== undefined) appender.appendVarchar(res.runId);
  else appender.appendNull();
  if (res.scenario !== undefined) appender.appendVarchar(res.scenario);
  else appender.appendNull();
  appender.appendVarchar(attrFlat);
  appender.appendVarchar(bodyJson);
  appender.appendVarchar(res.json);
  // Resource JSON is shared between many spans in practice, but each row stores it, so count it.
  const bytes = 120 + span.name.length + bodyJson.length + attrFlat.length + res.json.length;
  appender.appendInteger(bytes);
  appender.endRow();
  return bytes;
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

export const SPAN_ROW_SELECT = 'trace_id, span_id, parent_span_id, name, kind, start_ns, end_ns, body, resource';

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
