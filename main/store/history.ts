// Run history in DuckDB: one `runs` row per `clnrm run` (or studio Run), one `executions` row per scenario
// execution (grouped by `run_id`), and container resource samples as `container_stats` rows. Records are
// the zod shapes of shared/run/records.ts: checked on the way in, and read back through the same schemas
// (a row that no longer fits is an error naming it, not a half-typed object).
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { StudioError } from '../../shared/errors';
import {
  ContainerStatsRowSchema,
  ExecutionEvidenceSchema,
  ExecutionRecordSchema,
  RunEnvironmentSchema,
  RunQuerySchema,
  RunRecordSchema,
  type ContainerStatsRow,
  type ExecutionRecord,
  type RunQuery,
  type RunRecord,
} from '../../shared/run/records';

export interface RunHistoryEntry {
  run: RunRecord;
  executions: ExecutionRecord[];
}

export const HISTORY_TABLES = `
CREATE TABLE IF NOT EXISTS runs (
  id VARCHAR PRIMARY KEY,
  origin VARCHAR NOT NULL,
  started_ms BIGINT NOT NULL,
  ended_ms BIGINT,
  commit_sha VARCHAR,
  environment VARCHAR NOT NULL,
  files VARCHAR NOT NULL,
  verdict VARCHAR,
  passed INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  skipped INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS executions (
  id VARCHAR PRIMARY KEY,
  run_id VARCHAR NOT NULL,
  test_file VARCHAR NOT NULL,
  test_file_hash VARCHAR NOT NULL,
  test_name VARCHAR NOT NULL,
  scenario VARCHAR NOT NULL,
  iteration INTEGER NOT NULL,
  started_ms BIGINT NOT NULL,
  ended_ms BIGINT,
  verdict VARCHAR,
  failed_expectations INTEGER NOT NULL,
  failed_steps INTEGER NOT NULL,
  evidence VARCHAR
);
CREATE TABLE IF NOT EXISTS container_stats (
  execution_id VARCHAR NOT NULL,
  service VARCHAR NOT NULL,
  at_ms DOUBLE NOT NULL,
  cpu_percent DOUBLE NOT NULL,
  memory_bytes DOUBLE NOT NULL,
  memory_limit_bytes DOUBLE NOT NULL,
  network_rx_bytes DOUBLE NOT NULL,
  network_tx_bytes DOUBLE NOT NULL
);
-- Schema 5: disk bytes, NULL when they could not be read. Added, not created above, so that a schema-4
-- database gains them the same way (ALTER appends: the columns' order is the same either way).
ALTER TABLE container_stats ADD COLUMN IF NOT EXISTS disk_read_bytes DOUBLE;
ALTER TABLE container_stats ADD COLUMN IF NOT EXISTS disk_write_bytes DOUBLE;
`;

const RUN_COLUMNS = 'id, origin, started_ms, ended_ms, commit_sha, environment, files, verdict, passed, failed, errors, skipped';
const EXECUTION_COLUMNS =
  'id, run_id, test_file, test_file_hash, test_name, scenario, iteration, started_ms, ended_ms, verdict, failed_expectations, failed_steps, evidence';
const placeholders = (columns: string): string => columns.split(',').map(() => '?').join(', ');

/** Checks a record against its schema: a bad one is refused with what was wrong, never stored. */
function checked<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new StudioError({
    code: 'store.invalid',
    message: `The ${what} is not valid: ${issue.path.join('.') || '(record)'}: ${issue.message}. It was not stored.`,
    details: { issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) },
  });
}

/** Epoch ms as the BIGINT columns hold them. */
const ms = (value: number | undefined): DuckDBValue => (value === undefined ? null : BigInt(Math.round(value)));

function runValues(run: RunRecord): DuckDBValue[] {
  return [
    run.id,
    run.origin,
    ms(run.startedAt),
    ms(run.endedAt),
    run.commit ?? null,
    JSON.stringify(run.environment),
    JSON.stringify(run.files),
    run.verdict ?? null,
    run.passed,
    run.failed,
    run.errors,
    run.skipped,
  ];
}

function executionValues(e: ExecutionRecord): DuckDBValue[] {
  return [
    e.id,
    e.runId,
    e.testFile,
    e.testFileHash,
    e.testName,
    e.scenario,
    e.iteration,
    ms(e.startedAt),
    ms(e.endedAt),
    e.verdict ?? null,
    e.failedExpectations,
    e.failedSteps,
    e.evidence === undefined ? null : JSON.stringify(e.evidence),
  ];
}

type Row = Record<string, unknown>;
const present = (v: unknown): boolean => v !== null && v !== undefined;

function runFromRow(r: Row): RunRecord {
  return checked(
    RunRecordSchema,
    {
      id: r.id,
      origin: r.origin,
      startedAt: Number(r.started_ms),
      ...(present(r.ended_ms) ? { endedAt: Number(r.ended_ms) } : {}),
      ...(present(r.commit_sha) ? { commit: r.commit_sha } : {}),
      environment: checked(RunEnvironmentSchema, JSON.parse(String(r.environment)), `stored environment of run ${String(r.id)}`),
      files: JSON.parse(String(r.files)),
      ...(present(r.verdict) ? { verdict: r.verdict } : {}),
      passed: r.passed,
      failed: r.failed,
      errors: r.errors,
      skipped: r.skipped,
    },
    `stored run ${String(r.id)}`,
  );
}

function executionFromRow(r: Row): ExecutionRecord {
  const what = `stored execution ${String(r.id)}`;
  return checked(
    ExecutionRecordSchema,
    {
      id: r.id,
      runId: r.run_id,
      testFile: r.test_file,
      testFileHash: r.test_file_hash,
      testName: r.test_name,
      scenario: r.scenario,
      iteration: r.iteration,
      startedAt: Number(r.started_ms),
      ...(present(r.ended_ms) ? { endedAt: Number(r.ended_ms) } : {}),
      ...(present(r.verdict) ? { verdict: r.verdict } : {}),
      failedExpectations: r.failed_expectations,
      failedSteps: r.failed_steps,
      ...(present(r.evidence) ? { evidence: checked(ExecutionEvidenceSchema, JSON.parse(String(r.evidence)), `evidence of ${what}`) } : {}),
    },
    what,
  );
}

export async function recordRun(conn: DuckDBConnection, run: RunRecord): Promise<void> {
  const record = checked(RunRecordSchema, run, `run record ${String(run.id)}`);
  await conn.run(`INSERT OR REPLACE INTO runs (${RUN_COLUMNS}) VALUES (${placeholders(RUN_COLUMNS)})`, runValues(record));
}

export async function recordExecution(conn: DuckDBConnection, execution: ExecutionRecord): Promise<void> {
  const record = checked(ExecutionRecordSchema, execution, `execution record ${String(execution.id)}`);
  await conn.run(`INSERT OR REPLACE INTO executions (${EXECUTION_COLUMNS}) VALUES (${placeholders(EXECUTION_COLUMNS)})`, executionValues(record));
}

function notFound(what: 'run' | 'execution', id: string): StudioError {
  return new StudioError({ code: 'store.not-found', message: `No ${what} with id ${id} in the history: record it before finishing it.`, details: { id } });
}

async function readRuns(conn: DuckDBConnection, where: string, values: DuckDBValue[], tail = ''): Promise<RunRecord[]> {
  const rows = (await conn.runAndReadAll(`SELECT ${RUN_COLUMNS} FROM runs r ${where} ${tail}`, values)).getRowObjectsJS();
  return rows.map((r) => runFromRow(r as Row));
}

async function readExecutions(conn: DuckDBConnection, where: string, values: DuckDBValue[]): Promise<ExecutionRecord[]> {
  const sql = `SELECT ${EXECUTION_COLUMNS} FROM executions ${where} ORDER BY started_ms, test_name, scenario, iteration, id`;
  return (await conn.runAndReadAll(sql, values)).getRowObjectsJS().map((r) => executionFromRow(r as Row));
}

export async function finishRun(conn: DuckDBConnection, id: string, patch: Partial<RunRecord>): Promise<RunRecord> {
  const [current] = await readRuns(conn, 'WHERE id = ?', [id]);
  if (!current) throw notFound('run', id);
  const next = { ...current, ...patch, id };
  await recordRun(conn, next);
  return next;
}

export async function finishExecution(conn: DuckDBConnection, id: string, patch: Partial<ExecutionRecord>): Promise<ExecutionRecord> {
  const [current] = await readExecutions(conn, 'WHERE id = ?', [id]);
  if (!current) throw notFound('execution', id);
  const next = { ...current, ...patch, id };
  await recordExecution(conn, next);
  return next;
}

export async function addContainerStats(conn: DuckDBConnection, rows: readonly ContainerStatsRow[]): Promise<void> {
  if (rows.length === 0) return;
  const valid = rows.map((row, i) => checked(ContainerStatsRowSchema, row, `container stats row ${i}`));
  // One statement per batch: a sampler gives a few rows per second per container.
  const values = valid.flatMap((s) => [s.executionId, s.service, s.at, s.cpuPercent, s.memoryBytes, s.memoryLimitBytes, s.networkRxBytes, s.networkTxBytes, s.diskReadBytes ?? null, s.diskWriteBytes ?? null]);
  await conn.run(`INSERT INTO container_stats VALUES ${valid.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`, values);
}

export async function containerStats(conn: DuckDBConnection, executionId: string): Promise<ContainerStatsRow[]> {
  const rows = (await conn.runAndReadAll('SELECT * FROM container_stats WHERE execution_id = ? ORDER BY at_ms, service', [executionId])).getRowObjectsJS();
  return rows.map((r) => ({
    executionId: String(r.execution_id),
    service: String(r.service),
    at: Number(r.at_ms),
    cpuPercent: Number(r.cpu_percent),
    memoryBytes: Number(r.memory_bytes),
    memoryLimitBytes: Number(r.memory_limit_bytes),
    networkRxBytes: Number(r.network_rx_bytes),
    networkTxBytes: Number(r.network_tx_bytes),
    ...(r.disk_read_bytes !== null ? { diskReadBytes: Number(r.disk_read_bytes) } : {}),
    ...(r.disk_write_bytes !== null ? { diskWriteBytes: Number(r.disk_write_bytes) } : {}),
  }));
}

/** Runs with their executions, newest first; every query field narrows. */
export async function listRuns(conn: DuckDBConnection, query: RunQuery = {}): Promise<RunHistoryEntry[]> {
  const q = checked(RunQuerySchema, query, 'run history query');
  const where: string[] = [];
  const values: DuckDBValue[] = [];
  if (q.verdict !== undefined) {
    where.push('r.verdict = ?');
    values.push(q.verdict);
  }
  if (q.commit !== undefined) {
    // A short SHA (as `git log --oneline` prints) finds its full commit.
    where.push('starts_with(r.commit_sha, ?)');
    values.push(q.commit.toLowerCase());
  }
  if (q.since !== undefined) {
    where.push('r.started_ms >= ?');
    values.push(ms(q.since));
  }
  if (q.until !== undefined) {
    where.push('r.started_ms <= ?');
    values.push(ms(q.until));
  }
  if (q.testFile !== undefined) {
    where.push('EXISTS (SELECT 1 FROM executions e WHERE e.run_id = r.id AND e.test_file = ?)');
    values.push(q.testFile);
  }
  if (q.testName !== undefined) {
    where.push('EXISTS (SELECT 1 FROM executions e WHERE e.run_id = r.id AND e.test_name = ?)');
    values.push(q.testName);
  }
  const runs = await readRuns(conn, where.length ? 'WHERE ' + where.join(' AND ') : '', values, `ORDER BY r.started_ms DESC, r.id LIMIT ${q.limit}`);
  if (runs.length === 0) return [];
  const executions = await readExecutions(conn, 'WHERE list_contains(string_split(?, chr(10)), run_id)', [runs.map((r) => r.id).join('\n')]);
  const byRun = new Map<string, ExecutionRecord[]>(runs.map((r) => [r.id, []]));
  for (const e of executions) byRun.get(e.runId)?.push(e);
  return runs.map((run) => ({ run, executions: byRun.get(run.id) ?? [] }));
}

export async function getRun(conn: DuckDBConnection, id: string): Promise<RunHistoryEntry | undefined> {
  const [run] = await readRuns(conn, 'WHERE id = ?', [id]);
  if (!run) return undefined;
  return { run, executions: await readExecutions(conn, 'WHERE run_id = ?', [id]) };
}
