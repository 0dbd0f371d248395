// Schema 3 gave "run" one meaning. Before it, a `runs` row was one scenario execution (test file, test,
// scenario, iteration, ISO times, verdict and evidence as free JSON) and a span's `run_id` was that
// execution's id. Upgrading moves each old row into `executions` with a run of its own (a group of one:
// that is what the old run was), its stats samples into `container_stats`, and gives every span an
// `execution_id` equal to its old `run_id` (which keeps its value: the old run was that execution).
import type { DuckDBConnection } from '@duckdb/node-api';
import { ExecutionEvidenceSchema, type ContainerStatsRow, type ExecutionRecord, type RunRecord, type VerdictValue } from '../../shared/run/records';
import { HISTORY_TABLES, addContainerStats, recordExecution, recordRun } from './history';

/** What the old rows could not say about where they ran. */
const UNKNOWN_ENVIRONMENT = { host: 'unknown', platform: 'unknown', engine: 'unknown', clnrmVersion: 'unknown', ci: false } as const;
const VERDICTS = new Set<string>(['passed', 'failed', 'error', 'skipped']);

export interface LegacyRunRow {
  id: string;
  test_file: string;
  test_name: string;
  scenario: string | null;
  iteration: number | null;
  commit_sha: string | null;
  started_at: string;
  ended_at: string | null;
  verdict: string | null;
  evidence: string | null;
}

export interface UpgradedExecution {
  run: RunRecord;
  execution: ExecutionRecord;
  stats: ContainerStatsRow[];
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function epochMs(iso: string | null): number | undefined {
  if (iso === null) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

/** One old `runs` row as the records of schema 3; undefined when it has no readable start time. */
export function upgradeLegacyRow(row: LegacyRunRow): UpgradedExecution | undefined {
  const startedAt = epochMs(row.started_at);
  if (startedAt === undefined) return undefined;
  const endedAt = epochMs(row.ended_at);
  // The first schema stored the verdict as a bare JSON string, the second as an object.
  const stored = parseJson(row.verdict);
  const old = (typeof stored === 'string' ? { verdict: stored } : (stored ?? {})) as { verdict?: unknown; failedExpectations?: unknown; failedSteps?: unknown };
  const verdict = typeof old.verdict === 'string' && VERDICTS.has(old.verdict) ? (old.verdict as VerdictValue) : undefined;
  const count = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
  const oldEvidence = parseJson(row.evidence) as { stats?: unknown } | undefined;
  // Evidence that does not fit today's shape is left out rather than stored half-typed.
  const evidence = ExecutionEvidenceSchema.safeParse(oldEvidence);
  const stats = Array.isArray(oldEvidence?.stats) ? (oldEvidence.stats as Omit<ContainerStatsRow, 'executionId'>[]) : [];
  const execution: ExecutionRecord = {
    id: row.id,
    runId: row.id,
    testFile: row.test_file,
    // The old schema kept no hash of the file's text.
    testFileHash: '',
    testName: row.test_name,
    scenario: row.scenario ?? '',
    iteration: row.iteration ?? 1,
    startedAt,
    ...(endedAt !== undefined ? { endedAt } : {}),
    ...(verdict ? { verdict } : {}),
    failedExpectations: count(old.failedExpectations),
    failedSteps: count(old.failedSteps),
    ...(evidence.success ? { evidence: evidence.data } : {}),
  };
  const run: RunRecord = {
    id: row.id,
    origin: 'cli',
    startedAt,
    ...(endedAt !== undefined ? { endedAt } : {}),
    ...(row.commit_sha !== null ? { commit: row.commit_sha } : {}),
    environment: { ...UNKNOWN_ENVIRONMENT },
    files: [row.test_file],
    ...(verdict ? { verdict } : {}),
    passed: verdict === 'passed' ? 1 : 0,
    failed: verdict === 'failed' ? 1 : 0,
    errors: verdict === 'error' ? 1 : 0,
    skipped: verdict === 'skipped' ? 1 : 0,
  };
  return { run, execution, stats: stats.map((s) => ({ ...s, executionId: row.id })) };
}

/**
 * Copies old-shape `runs` rows from `table` (this database's own, or an attached older one's) into the
 * schema-3 tables, which must exist. Rows that cannot be read are counted, not copied.
 */
export async function copyLegacyRuns(conn: DuckDBConnection, table: string): Promise<{ copied: number; skipped: number }> {
  const rows = (await conn.runAndReadAll(`SELECT id, test_file, test_name, scenario, iteration, commit_sha, started_at, ended_at, verdict, evidence FROM ${table}`)).getRowObjectsJS();
  let copied = 0;
  let skipped = 0;
  for (const raw of rows) {
    const row = { ...(raw as unknown as LegacyRunRow), iteration: raw.iteration === null ? null : Number(raw.iteration) };
    const upgraded = upgradeLegacyRow(row);
    if (!upgraded) {
      skipped++;
      continue;
    }
    try {
      await recordRun(conn, upgraded.run);
      await recordExecution(conn, upgraded.execution);
      await addContainerStats(conn, upgraded.stats);
      copied++;
    } catch {
      // An id or value today's records refuse (the store.invalid error says which): left behind.
      skipped++;
    }
  }
  return { copied, skipped };
}

async function columnsOf(conn: DuckDBConnection, table: string): Promise<string[]> {
  const rows = (await conn.runAndReadAll(`SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main'`, [table])).getRowObjectsJS();
  return rows.map((r) => String(r.column_name));
}

/**
 * Upgrades a schema-2 database in place, in one transaction (a failure leaves it as it was). Returns
 * what to tell the user, or undefined when there was nothing to upgrade.
 */
export async function upgradeToV3(conn: DuckDBConnection): Promise<string | undefined> {
  const spanColumns = await columnsOf(conn, 'spans');
  const runColumns = await columnsOf(conn, 'runs');
  const oldSpans = spanColumns.length > 0 && !spanColumns.includes('execution_id');
  const oldRuns = runColumns.includes('test_file');
  if (!oldSpans && !oldRuns) return undefined;
  await conn.run('BEGIN TRANSACTION');
  try {
    if (oldSpans) {
      await conn.run('ALTER TABLE spans ADD COLUMN execution_id VARCHAR');
      await conn.run('UPDATE spans SET execution_id = run_id WHERE run_id IS NOT NULL');
    }
    let result = { copied: 0, skipped: 0 };
    if (oldRuns) {
      await conn.run('CREATE TABLE legacy_runs AS SELECT * FROM runs');
      await conn.run('DROP TABLE runs');
      await conn.run(HISTORY_TABLES);
      result = await copyLegacyRuns(conn, 'legacy_runs');
      await conn.run('DROP TABLE legacy_runs');
    }
    await conn.run('COMMIT');
    const left = result.skipped > 0 ? `; ${result.skipped} unreadable record(s) were left out` : '';
    return `The trace database was upgraded to schema 3: ${result.copied} earlier run record(s) are now executions, each in a run of its own${left}.`;
  } catch (error) {
    await conn.run('ROLLBACK');
    throw error;
  }
}
