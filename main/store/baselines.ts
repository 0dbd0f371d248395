// Baselines in DuckDB (schema 4, throughput since 6): one `baselines` row per capture of one test's scenario,
// its span names' latency summaries and throughputs as JSON (shared/perf/baseline.ts). Checked on the way in
// and read back through the same zod schema, like the run history (./history.ts).
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { StudioError } from '../../shared/errors';
import { BaselineRecordSchema, type BaselineRecord } from '../../shared/perf/baseline';

export const BASELINE_TABLES = `
CREATE TABLE IF NOT EXISTS baselines (
  id VARCHAR PRIMARY KEY,
  name VARCHAR,
  test_name VARCHAR NOT NULL,
  test_file VARCHAR NOT NULL,
  scenario VARCHAR NOT NULL,
  commit_sha VARCHAR,
  environment VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL,
  executions VARCHAR NOT NULL,
  captured_ms BIGINT NOT NULL,
  mode VARCHAR NOT NULL,
  spans VARCHAR NOT NULL
);
-- Schema 6: throughput per span name, NULL on a baseline captured before it was kept. Added, not created
-- above, so that an older database gains it the same way.
ALTER TABLE baselines ADD COLUMN IF NOT EXISTS throughput VARCHAR;
`;

const COLUMNS = 'id, name, test_name, test_file, scenario, commit_sha, environment, run_id, executions, captured_ms, mode, spans, throughput';

/** Which baselines to list: every field narrows; newest first. */
export interface BaselineQuery {
  testName?: string;
  scenario?: string;
  /** A baseline's name, or the start of its id (as `clnrm perf baseline list` prints). */
  nameOrId?: string;
  limit?: number;
}

function invalid(what: string, issue: { path: PropertyKey[]; message: string }): StudioError {
  return new StudioError({ code: 'store.invalid', message: `The ${what} is not valid: ${issue.path.join('.') || '(record)'}: ${issue.message}.` });
}

function fromRow(r: Record<string, unknown>): BaselineRecord {
  const parsed = BaselineRecordSchema.safeParse({
    id: r.id,
    ...(r.name !== null ? { name: r.name } : {}),
    testName: r.test_name,
    testFile: r.test_file,
    scenario: r.scenario,
    ...(r.commit_sha !== null ? { commit: r.commit_sha } : {}),
    environment: JSON.parse(String(r.environment)),
    runId: r.run_id,
    executions: JSON.parse(String(r.executions)),
    capturedAt: Number(r.captured_ms),
    mode: r.mode,
    spans: JSON.parse(String(r.spans)),
    ...(r.throughput !== null ? { throughput: JSON.parse(String(r.throughput)) } : {}),
  });
  if (!parsed.success) throw invalid(`stored baseline ${String(r.id)}`, parsed.error.issues[0]!);
  return parsed.data;
}

export async function saveBaseline(conn: DuckDBConnection, baseline: BaselineRecord): Promise<void> {
  const parsed = BaselineRecordSchema.safeParse(baseline);
  if (!parsed.success) throw invalid(`baseline ${String(baseline.id)}`, parsed.error.issues[0]!);
  const b = parsed.data;
  const values: DuckDBValue[] = [
    b.id, b.name ?? null, b.testName, b.testFile, b.scenario, b.commit ?? null, JSON.stringify(b.environment), b.runId,
    JSON.stringify(b.executions), BigInt(Math.round(b.capturedAt)), b.mode, JSON.stringify(b.spans),
    b.throughput !== undefined ? JSON.stringify(b.throughput) : null,
  ];
  await conn.run(`INSERT OR REPLACE INTO baselines (${COLUMNS}) VALUES (${COLUMNS.split(',').map(() => '?').join(', ')})`, values);
}

export async function listBaselines(conn: DuckDBConnection, query: BaselineQuery = {}): Promise<BaselineRecord[]> {
  const where: string[] = [];
  const values: DuckDBValue[] = [];
  if (query.testName !== undefined) {
    where.push('test_name = ?');
    values.push(query.testName);
  }
  if (query.scenario !== undefined) {
    where.push('scenario = ?');
    values.push(query.scenario);
  }
  if (query.nameOrId !== undefined) {
    where.push('(name = ? OR starts_with(id, ?))');
    values.push(query.nameOrId, query.nameOrId.toLowerCase());
  }
  const limit = Math.max(1, Math.min(10_000, Math.floor(query.limit ?? 1000)));
  const sql = `SELECT ${COLUMNS} FROM baselines ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY captured_ms DESC, id LIMIT ${limit}`;
  return (await conn.runAndReadAll(sql, values)).getRowObjectsJS().map((r) => fromRow(r as Record<string, unknown>));
}

/** Deletes the baseline with this exact id; whether there was one. */
export async function deleteBaseline(conn: DuckDBConnection, id: string): Promise<boolean> {
  const rows = (await conn.runAndReadAll('DELETE FROM baselines WHERE id = ? RETURNING id', [id])).getRowObjectsJS();
  return rows.length > 0;
}
