// The DuckDB tables and the exact mapping between a Span and a stored row. Indexed columns are
// flat (ids, service, name, times, run and execution tags) for SQL; the span itself is kept as the bytes of its
// OTLP Span message, exactly as received (or as our encoder writes it for spans that came as
// JSON), so re-export is identical and ingest never serialises a span. Resource and scope are
// shared by many spans: each distinct pair is one `origins` row, as JSON.
import type { DuckDBValue } from '@duckdb/node-api';
import { blobValue } from '@duckdb/node-api';
import { findAttribute, serviceNameOf, toText, type AnyValue, type InstrumentationScope, type Resource, type Span } from '../../shared/model';
import { decodeSpanMessage, encodeSpanAttributeField } from '../../shared/otlp';
import { BASELINE_TABLES } from './baselines';
import { HISTORY_TABLES } from './history';

/**
 * Version 2: span bodies are OTLP protobuf BLOBs, resource + scope pairs live in `origins`.
 * Version 3: `runs` are runs (one `clnrm run`), `executions` and `container_stats` hold what a run did,
 * spans carry `execution_id` beside `run_id` (see ./upgrade-v3.ts).
 * Version 4: `baselines` (./baselines.ts), a new table: opening a schema-3 database creates it.
 * Version 5: `container_stats` gains `disk_read_bytes`, `disk_write_bytes` (NULL when not read): opening an older
 * database adds them (./history.ts).
 * Version 6: `baselines` gains `throughput` (NULL on a baseline captured before): opening an older database adds
 * it (./baselines.ts).
 */
export const SCHEMA_VERSION = 6;

// `execution_id` is last: schema 3 added it to existing tables with ALTER TABLE, which appends, and the
// span appender writes columns in table order.
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
  start_us DOUBLE,
  end_us DOUBLE,
  duration_us DOUBLE,
  run_id VARCHAR,
  scenario VARCHAR,
  origin_id INTEGER,
  body BLOB,
  bytes INTEGER,
  execution_id VARCHAR
);
CREATE TABLE IF NOT EXISTS origins (id INTEGER PRIMARY KEY, resource VARCHAR, scope VARCHAR);
${HISTORY_TABLES}${BASELINE_TABLES}`;

/** The text forms an attribute filter's value can stand for: string, and int/double/bool when it parses as one. */
function typedReadings(value: string): AnyValue[] {
  const out: AnyValue[] = [{ stringValue: value }];
  if (/^-?\d+$/.test(value) && BigInt(value) >= -(2n ** 63n) && BigInt(value) < 2n ** 63n) out.push({ intValue: value });
  const n = Number(value);
  if (value.trim() !== '' && Number.isFinite(n)) out.push({ doubleValue: n });
  if (value === 'true' || value === 'false') out.push({ boolValue: value === 'true' });
  return out;
}

/**
 * What to look for in stored span bodies for the span attribute `key` = `value`: the encoded
 * `attributes` field of each typed reading, as DuckDB shows a BLOB cast to VARCHAR (the only form
 * its substring search takes), bound as BLOB parameters and cast in the SQL.
 */
export function attributeNeedles(key: string, value: string): DuckDBValue[] {
  return typedReadings(value).map((v) => blobValue(encodeSpanAttributeField({ key, value: v })));
}

/**
 * The JSON fragments a stored attribute `key` with text value `value` can appear as (string, int,
 * double or bool AnyValue), for `contains()` filters over the stored resource JSON. KeyValues are always
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

interface ResourceInfo {
  json: string;
  /** `clnrm.run_id`: the run (one `clnrm run`) the span was produced in. */
  runId: string | undefined;
  /** `clnrm.execution_id`: the scenario execution it belongs to. */
  executionId: string | undefined;
  scenario: string | undefined;
}

// Spans of one ResourceSpans share their Resource object: serialise it once per object.
const resourceInfos = new WeakMap<Resource, ResourceInfo>();

export function resourceInfo(resource: Resource): ResourceInfo {
  let info = resourceInfos.get(resource);
  if (!info) {
    info = {
      json: JSON.stringify(resource),
      runId: tagOf(resource, 'clnrm.run_id'),
      executionId: tagOf(resource, 'clnrm.execution_id'),
      scenario: tagOf(resource, 'clnrm.scenario'),
    };
    resourceInfos.set(resource, info);
  }
  return info;
}

export function runIdOf(span: Span): string | undefined {
  return resourceInfo(span.resource).runId;
}

export function executionIdOf(span: Span): string | undefined {
  return resourceInfo(span.resource).executionId;
}

export function scenarioOf(span: Span): string | undefined {
  return resourceInfo(span.resource).scenario;
}

// Spans of one ScopeSpans share their scope object: serialise it once per object.
const scopeJsons = new WeakMap<InstrumentationScope, string>();

export function scopeJson(scope: InstrumentationScope): string {
  let json = scopeJsons.get(scope);
  if (json === undefined) {
    json = JSON.stringify(scope);
    scopeJsons.set(scope, json);
  }
  return json;
}

/** The key of a resource + scope pair (JSON never holds a raw newline). */
export function originKey(resourceJson: string, scopeJson: string): string {
  return resourceJson + '\n' + scopeJson;
}

/** The columns an origin gives each of its spans. */
export interface OriginTags {
  service: string;
  runId: string | null;
  executionId: string | null;
  scenario: string | null;
}

export function originTags(resourceJson: string): OriginTags {
  const resource = JSON.parse(resourceJson) as Resource;
  return {
    service: serviceNameOf(resource),
    runId: tagOf(resource, 'clnrm.run_id') ?? null,
    executionId: tagOf(resource, 'clnrm.execution_id') ?? null,
    scenario: tagOf(resource, 'clnrm.scenario') ?? null,
  };
}

export interface SpanRow {
  body: Uint8Array;
  resource: string;
  scope: string;
}

export const SPAN_ROW_SELECT = 's.body, o.resource, o.scope';
export const SPAN_ROW_FROM = 'spans s JOIN origins o ON o.id = s.origin_id';

/** Rebuilds spans from rows; rows of the same origin share one Resource and one scope object again. */
export function spansFromRows(rows: readonly SpanRow[]): Span[] {
  const resources = new Map<string, Resource>();
  const scopes = new Map<string, InstrumentationScope>();
  const out: Span[] = [];
  for (const row of rows) {
    let resource = resources.get(row.resource);
    if (!resource) {
      resource = JSON.parse(row.resource) as Resource;
      resources.set(row.resource, resource);
    }
    let scope = scopes.get(row.scope);
    if (!scope) {
      scope = JSON.parse(row.scope) as InstrumentationScope;
      scopes.set(row.scope, scope);
    }
    out.push(decodeSpanMessage(row.body, resource, scope));
  }
  return out;
}
