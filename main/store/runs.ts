// Runs as first-class records (test file, test, scenario, iteration, commit, start/end, verdict and
// evidence) so later layers (intelligence, performance, self-healing) can mine history. Spans link
// to a run through the `clnrm.run_id` resource attribute.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

export interface RunRecord {
  id: string;
  testFile: string;
  testName: string;
  scenario?: string;
  iteration?: number;
  commit?: string;
  /** ISO 8601. */
  startedAt: string;
  endedAt?: string;
  verdict?: unknown;
  evidence?: unknown;
}

export interface ListRunsQuery {
  testFile?: string;
  testName?: string;
  scenario?: string;
  limit?: number;
}

const COLUMNS = 'id, test_file, test_name, scenario, iteration, commit_sha, started_at, ended_at, verdict, evidence';

function toValues(run: RunRecord): DuckDBValue[] {
  return [
    run.id,
    run.testFile,
    run.testName,
    run.scenario ?? null,
    run.iteration ?? null,
    run.commit ?? null,
    run.startedAt,
    run.endedAt ?? null,
    run.verdict === undefined ? null : JSON.stringify(run.verdict),
    run.evidence === undefined ? null : JSON.stringify(run.evidence),
  ];
}

function fromRow(r: Record<string, unknown>): RunRecord {
  const run: RunRecord = { id: String(r.id), testFile: String(r.test_file), testName: String(r.test_name), startedAt: String(r.started_at) };
  if (r.scenario !== null) run.scenario = String(r.scenario);
  if (r.iteration !== null) run.iteration = Number(r.iteration);
  if (r.commit_sha !== null) run.commit = String(r.commit_sha);
  if (r.ended_at !== null) run.endedAt = String(r.ended_at);
  if (r.verdict !== null) run.verdict = JSON.parse(String(r.verdict));
  if (r.evidence !== null) run.evidence = JSON.parse(String(r.evidence));
  return run;
}

export async function recordRun(conn: DuckDBConnection, run: RunRecord): Promise<void> {
  await conn.run(`INSERT OR REPLACE INTO runs (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, toValues(run));
}

export async function getRun(conn: DuckDBConnection, id: string): Promise<RunRecord | undefined> {
  const rows = (await conn.runAndReadAll(`SELECT ${COLUMNS} FROM runs WHERE id = ?`, [id])).getRowObjectsJS();
  return rows[0] ? fromRow(rows[0] as Record<string, unknown>) : undefined;
}

export async function updateRun(conn: DuckDBConnection, id: string, patch: Partial<Omit<RunRecord, 'id'>>): Promise<RunRecord> {
  const current = await getRun(conn, id);
  if (!current) throw new Error(`no run with id ${id}`);
  const next: RunRecord = { ...current, ...patch, id };
  await recordRun(conn, next);
  return next;
}

export async function listRuns(conn: DuckDBConnection, query: ListRunsQuery = {}): Promise<RunRecord[]> {
  const where: string[] = [];
  const values: DuckDBValue[] = [];
  if (query.testFile !== undefined) {
    where.push('test_file = ?');
    values.push(query.testFile);
  }
  if (query.testName !== undefined) {
    where.push('test_name = ?');
    values.push(query.testName);
  }
  if (query.scenario !== undefined) {
    where.push('scenario = ?');
    values.push(query.scenario);
  }
  const limit = Math.max(1, Math.min(query.limit ?? 1000, 100_000));
  const sql = `SELECT ${COLUMNS} FROM runs ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY started_at DESC, id LIMIT ${limit}`;
  return (await conn.runAndReadAll(sql, values)).getRowObjectsJS().map((r) => fromRow(r as Record<string, unknown>));
}
