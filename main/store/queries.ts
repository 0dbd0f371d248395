// SQL for the store's questions: trace lists with filters and sorting, the service graph from
// cross-service parent/child spans, and per-span-name statistics. Values are always bound
// parameters, never spliced into the SQL text.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { StatusCode } from '../../shared/model';
import { StudioError } from '../../shared/errors';
import { attributeFragments, attributeNeedles } from './schema';

export interface TraceFilter {
  service?: string;
  spanName?: string;
  /** Some span's name contains this text, in any case ("memdb" finds memdb.select). */
  spanNameContains?: string;
  attribute?: { key: string; value: string };
  /** Trace duration bounds in milliseconds. */
  minDurationMs?: number;
  maxDurationMs?: number;
  /** Some span of the trace has this status. */
  status?: StatusCode;
  /** No span of the trace has status ERROR. */
  withoutErrors?: boolean;
  /** Trace start bounds, ms since the epoch (or a Date / ISO text). */
  since?: number | Date | string;
  until?: number | Date | string;
  /** Spans of this run (one `clnrm run`): tagged with it, or with one of its executions. */
  runId?: string;
  /** Spans of this scenario execution (`clnrm.execution_id`). */
  executionId?: string;
  /** Spans of any of these executions. */
  executionIds?: readonly string[];
  /** Leave out spans of this instrumentation scope (the runner's own, for a map of the system alone). */
  exceptScope?: string;
}

export interface ListTracesQuery extends TraceFilter {
  sort?: 'start' | 'duration' | 'spans';
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export interface TraceSummary {
  traceId: string;
  rootName: string;
  rootService: string;
  /** Start of the earliest span, µs since the epoch. */
  startUs: number;
  durationUs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export interface ServiceEdge {
  parent: string;
  child: string;
  calls: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export interface SpanStat {
  name: string;
  count: number;
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

function toMillis(value: number | Date | string): number {
  const ms = typeof value === 'number' ? value : value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new StudioError({ code: 'store.query', message: `"${String(value)}" is not a time: give ms since the epoch, a Date, or ISO 8601 text (2026-01-31T12:00:00Z).` });
  }
  return ms;
}

/** WHERE clauses on a span's run and execution (alias `alias`). */
function taggedConditions(filter: Pick<TraceFilter, 'runId' | 'executionId' | 'executionIds' | 'exceptScope'>, alias: string, values: DuckDBValue[]): string[] {
  const where: string[] = [];
  if (filter.exceptScope !== undefined) {
    where.push(`${alias}.origin_id NOT IN (SELECT id FROM origins WHERE json_extract_string(scope, '$.name') = ?)`);
    values.push(filter.exceptScope);
  }
  if (filter.runId !== undefined) {
    // A span belongs to a run by its own tag or by its execution's record (spans an inner process
    // tagged only with the execution, and history written before spans carried the run).
    where.push(`(${alias}.run_id = ? OR ${alias}.execution_id IN (SELECT id FROM executions WHERE run_id = ?))`);
    values.push(filter.runId, filter.runId);
  }
  if (filter.executionId !== undefined) {
    where.push(`${alias}.execution_id = ?`);
    values.push(filter.executionId);
  }
  if (filter.executionIds !== undefined) {
    // One text parameter carries the list (ids never hold a newline).
    values.push(filter.executionIds.join('\n'));
    where.push(`list_contains(string_split(?, chr(10)), ${alias}.execution_id)`);
  }
  return where;
}

/** Conditions on whole traces: a trace matches when some span matches each given field. */
function traceMatchConditions(filter: TraceFilter, values: DuckDBValue[]): string[] {
  const parts: string[] = [];
  const any = (condition: string, ...vals: DuckDBValue[]): void => {
    parts.push(`bool_or(${condition})`);
    values.push(...vals);
  };
  if (filter.service !== undefined) any('service = ?', filter.service);
  if (filter.spanName !== undefined) any('name = ?', filter.spanName);
  // strpos, not LIKE: % and _ in what the user typed are plain characters.
  if (filter.spanNameContains !== undefined) any('strpos(lower(name), lower(?)) > 0', filter.spanNameContains);
  if (filter.status !== undefined) any('status_code = ?', filter.status);
  if (filter.withoutErrors) parts.push(`NOT bool_or(status_code = 'error')`);
  if (filter.attribute !== undefined) {
    // In the span's own attributes (the encoded `attributes` field inside its Span message: events
    // and links carry theirs under other field numbers), or in its resource's (JSON).
    const needles = attributeNeedles(filter.attribute.key, filter.attribute.value);
    const fragments = attributeFragments(filter.attribute.key, filter.attribute.value);
    const inBody = needles.map(() => `contains(body::VARCHAR, CAST(? AS BLOB)::VARCHAR)`).join(' OR ');
    const inResource = `origin_id IN (SELECT id FROM origins WHERE ${fragments.map(() => 'contains(resource, ?)').join(' OR ')})`;
    any(`${inBody} OR ${inResource}`, ...needles, ...fragments);
  }
  return parts;
}

export async function listTraces(conn: DuckDBConnection, query: ListTracesQuery): Promise<{ traces: TraceSummary[]; total: number }> {
  const values: DuckDBValue[] = [];
  const spanWhere = taggedConditions(query, 's', values);
  const having = traceMatchConditions(query, values);
  if (query.minDurationMs !== undefined) {
    having.push('(max(end_us) - min(start_us)) >= ?');
    values.push(query.minDurationMs * 1000);
  }
  if (query.maxDurationMs !== undefined) {
    having.push('(max(end_us) - min(start_us)) <= ?');
    values.push(query.maxDurationMs * 1000);
  }
  if (query.since !== undefined) {
    having.push('min(start_us) >= ?');
    values.push(toMillis(query.since) * 1000);
  }
  if (query.until !== undefined) {
    having.push('min(start_us) <= ?');
    values.push(toMillis(query.until) * 1000);
  }
  const sortColumn = { start: 'start_us', duration: 'duration_us', spans: 'span_count' }[query.sort ?? 'start'];
  const order = query.order === 'asc' ? 'ASC' : 'DESC';
  const limit = Math.max(0, Math.min(query.limit ?? 100, 100_000));
  const offset = Math.max(0, query.offset ?? 0);
  const sql = `
    SELECT trace_id,
      coalesce(min_by(name, start_us) FILTER (WHERE parent_span_id IS NULL), min_by(name, start_us)) AS root_name,
      coalesce(min_by(service, start_us) FILTER (WHERE parent_span_id IS NULL), min_by(service, start_us)) AS root_service,
      min(start_us) AS start_us,
      max(end_us) - min(start_us) AS duration_us,
      count(*)::INTEGER AS span_count,
      count_if(status_code = 'error')::INTEGER AS error_count,
      list(DISTINCT service ORDER BY service) AS services,
      (count(*) OVER ())::INTEGER AS total
    FROM spans s
    ${spanWhere.length ? 'WHERE ' + spanWhere.join(' AND ') : ''}
    GROUP BY trace_id
    ${having.length ? 'HAVING ' + having.join(' AND ') : ''}
    ORDER BY ${sortColumn} ${order}, trace_id
    LIMIT ${limit} OFFSET ${offset}`;
  const reader = await conn.runAndReadAll(sql, values);
  const rows = reader.getRowObjectsJS() as Array<Record<string, unknown>>;
  let total = 0;
  const traces = rows.map((r) => {
    total = Number(r.total);
    return {
      traceId: String(r.trace_id),
      rootName: String(r.root_name),
      rootService: String(r.root_service),
      startUs: Number(r.start_us),
      durationUs: Number(r.duration_us),
      spanCount: Number(r.span_count),
      errorCount: Number(r.error_count),
      services: (r.services as string[]) ?? [],
    };
  });
  if (rows.length === 0 && offset > 0) {
    // The page is past the end: count separately so callers still learn the total.
    const countSql = `SELECT count(*)::INTEGER AS n FROM (SELECT trace_id FROM spans s ${spanWhere.length ? 'WHERE ' + spanWhere.join(' AND ') : ''} GROUP BY trace_id ${having.length ? 'HAVING ' + having.join(' AND ') : ''})`;
    const r = await conn.runAndReadAll(countSql, values);
    total = Number((r.getRowObjectsJS()[0] as Record<string, unknown>).n);
  }
  return { traces, total };
}

/** A filter limited to what selects spans directly (for the graph and statistics). */
export interface SpanFilter extends Pick<TraceFilter, 'runId' | 'executionId' | 'executionIds' | 'exceptScope'> {
  service?: string;
  since?: number | Date | string;
  until?: number | Date | string;
}

function spanFilterWhere(filter: SpanFilter, alias: string, values: DuckDBValue[]): string[] {
  const where = taggedConditions(filter, alias, values);
  if (filter.since !== undefined) {
    where.push(`${alias}.start_us >= ?`);
    values.push(toMillis(filter.since) * 1000);
  }
  if (filter.until !== undefined) {
    where.push(`${alias}.start_us <= ?`);
    values.push(toMillis(filter.until) * 1000);
  }
  return where;
}

export async function serviceGraph(conn: DuckDBConnection, filter: SpanFilter = {}): Promise<ServiceEdge[]> {
  const values: DuckDBValue[] = [];
  const where = ['c.service <> p.service', ...spanFilterWhere(filter, 'c', values)];
  if (filter.exceptScope !== undefined) {
    // A call from a left-out span is left out too.
    where.push(`p.origin_id NOT IN (SELECT id FROM origins WHERE json_extract_string(scope, '$.name') = ?)`);
    values.push(filter.exceptScope);
  }
  if (filter.service !== undefined) {
    where.push('(c.service = ? OR p.service = ?)');
    values.push(filter.service, filter.service);
  }
  const sql = `
    SELECT p.service AS parent, c.service AS child, count(*)::INTEGER AS calls,
      count_if(c.status_code = 'error')::INTEGER AS errors,
      quantile_cont(c.duration_us, 0.5) / 1000 AS p50, quantile_cont(c.duration_us, 0.99) / 1000 AS p99
    FROM spans c JOIN spans p ON c.trace_id = p.trace_id AND c.parent_span_id = p.span_id
    WHERE ${where.join(' AND ')}
    GROUP BY p.service, c.service ORDER BY calls DESC, parent, child`;
  const rows = (await conn.runAndReadAll(sql, values)).getRowObjectsJS() as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    parent: String(r.parent),
    child: String(r.child),
    calls: Number(r.calls),
    errors: Number(r.errors),
    p50Ms: Number(r.p50),
    p99Ms: Number(r.p99),
  }));
}

export async function spanStats(conn: DuckDBConnection, filter: SpanFilter = {}): Promise<SpanStat[]> {
  const values: DuckDBValue[] = [];
  const where = spanFilterWhere(filter, 's', values);
  if (filter.service !== undefined) {
    where.push('s.service = ?');
    values.push(filter.service);
  }
  const sql = `
    SELECT name, count(*)::INTEGER AS n, count_if(status_code = 'error') / count(*) AS error_rate,
      quantile_cont(duration_us, 0.5) / 1000 AS p50, quantile_cont(duration_us, 0.95) / 1000 AS p95,
      quantile_cont(duration_us, 0.99) / 1000 AS p99
    FROM spans s ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
    GROUP BY name ORDER BY n DESC, name`;
  const rows = (await conn.runAndReadAll(sql, values)).getRowObjectsJS() as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    name: String(r.name),
    count: Number(r.n),
    errorRate: Number(r.error_rate),
    p50Ms: Number(r.p50),
    p95Ms: Number(r.p95),
    p99Ms: Number(r.p99),
  }));
}
