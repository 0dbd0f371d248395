// The requests of one scenario execution that started in a time range, as the few columns the Chaos
// view's per-second figures need (shared/chaos/live-stats.ts): no span body is read or decoded. Asked
// about a few seconds at a time while an experiment runs; spans are appended roughly in start order, so
// DuckDB's per-row-group min/max on `start_us` skips all but the newest row groups.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { StatusCode } from '../../shared/model';

export interface TrafficQuery {
  readonly executionId: string;
  /** Epoch µs, from inclusive, to exclusive. */
  readonly fromUs: number;
  readonly toUs: number;
  /** Leave out spans of this instrumentation scope (the runner's own: they are not the system's traffic). */
  readonly exceptScope: string;
  /** Most rows answered (the earliest); a range with more says `truncated`. */
  readonly limit: number;
}

export interface TrafficRow {
  readonly startUs: number;
  readonly durationUs: number;
  readonly statusCode: StatusCode;
  readonly root: boolean;
}

/** Root spans only: the requests the judge counts when an assertion names no span (the store keeps a root's parent as NULL). */
export async function experimentTraffic(conn: DuckDBConnection, q: TrafficQuery): Promise<{ rows: TrafficRow[]; truncated: boolean }> {
  const result = await conn.runAndReadAll(
    `SELECT s.start_us AS "startUs", s.duration_us AS "durationUs", s.status_code AS "statusCode"
     FROM spans s
     WHERE s.start_us >= ? AND s.start_us < ? AND s.execution_id = ? AND s.parent_span_id IS NULL
       AND s.origin_id NOT IN (SELECT id FROM origins WHERE json_extract_string(scope, '$.name') = ?)
     ORDER BY s.start_us
     LIMIT ?`,
    [q.fromUs, q.toUs, q.executionId, q.exceptScope, q.limit + 1],
  );
  const rows = result.getRowObjectsJS() as unknown as Omit<TrafficRow, 'root'>[];
  const truncated = rows.length > q.limit;
  return { rows: rows.slice(0, q.limit).map((r) => ({ ...r, root: true })), truncated };
}
