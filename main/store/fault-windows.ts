// Fault windows read back from the run history: each execution keeps the windows of its faults in its
// evidence (shared/chaos/fault-windows.ts), so they are stored, mirrored and kept exactly as long as the
// execution. A view asks for the windows overlapping its time range; executions that cannot hold one
// (no chaos, or outside the range) are left out by SQL before any evidence is parsed.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { FaultWindowRecordSchema, overlapsRange, type FaultWindowRecord } from '../../shared/chaos/fault-windows';
import { millisToUnixNano } from '../../shared/model/time';
import { StudioError } from '../../shared/errors';

export interface FaultWindowQuery {
  /** Unix nanoseconds, decimal strings, from ≤ to. */
  readonly fromUnixNano: string;
  readonly toUnixNano: string;
  /** Only these executions (a run's service map). */
  readonly executionIds?: readonly string[];
  /** Most windows answered; more set `truncated`. */
  readonly limit: number;
}

export interface StoredFaultWindow extends FaultWindowRecord {
  readonly executionId: string;
  /** When the execution ended: where a window never undone stops being drawn. */
  readonly executionEndUnixNano?: string;
}

const WindowsOnly = z.object({ faultWindows: z.array(FaultWindowRecordSchema).optional() });

export async function faultWindowsBetween(conn: DuckDBConnection, q: FaultWindowQuery): Promise<{ windows: StoredFaultWindow[]; truncated: boolean }> {
  const fromNs = BigInt(q.fromUnixNano);
  const toNs = BigInt(q.toUnixNano);
  const where = ["evidence IS NOT NULL", "contains(evidence, '\"faultWindows\"')", 'started_ms <= ?', '(ended_ms IS NULL OR ended_ms >= ?)'];
  const values: DuckDBValue[] = [toNs / 1_000_000n + 1n, fromNs / 1_000_000n];
  if (q.executionIds !== undefined) {
    where.push('list_contains(string_split(?, chr(10)), id)');
    values.push(q.executionIds.join('\n'));
  }
  const sql = `SELECT id, ended_ms, evidence FROM executions WHERE ${where.join(' AND ')} ORDER BY started_ms, id`;
  const rows = (await conn.runAndReadAll(sql, values)).getRowObjectsJS();
  const windows: StoredFaultWindow[] = [];
  for (const row of rows) {
    const executionId = String(row.id);
    const parsed = WindowsOnly.safeParse(JSON.parse(String(row.evidence)));
    if (!parsed.success) {
      throw new StudioError({ code: 'store.invalid', message: `The fault windows stored with execution ${executionId} are not valid: ${parsed.error.issues[0]?.message ?? 'unreadable'}.`, details: { executionId } });
    }
    const end = row.ended_ms === null || row.ended_ms === undefined ? undefined : millisToUnixNano(Number(row.ended_ms));
    for (const w of parsed.data.faultWindows ?? []) {
      if (!overlapsRange(w, fromNs, toNs) || !beforeEnd(w, fromNs, end)) continue;
      if (windows.length === q.limit) return { windows, truncated: true };
      windows.push({ ...w, executionId, ...(end !== undefined ? { executionEndUnixNano: end } : {}) });
    }
  }
  return { windows, truncated: false };
}

/** A window never undone lasts until its execution ended: it overlaps nothing after that. */
function beforeEnd(w: FaultWindowRecord, fromNs: bigint, executionEnd: string | undefined): boolean {
  return w.endUnixNano !== undefined || executionEnd === undefined || BigInt(executionEnd) >= fromNs;
}
