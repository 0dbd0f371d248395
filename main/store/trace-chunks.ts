// A stored trace read in runs of spans, in start order, as the bytes the store keeps (each span's
// OTLP Span message plus its origin id): what the studio streams to the UI without building a span
// object. Keyset paging on (start_us, seq) so every run costs the same, however deep in the trace.
import type { DuckDBConnection } from '@duckdb/node-api';

/** Where the previous run ended: the last span's start_us and seq. */
export type TraceChunkCursor = readonly [startUs: number, seq: number];

export interface TraceChunk {
  /** Spans the trace holds (counted on the first run only, when `after` is null). */
  total: number | null;
  originIds: Int32Array;
  lengths: Int32Array;
  /** The Span messages back to back. */
  bodies: Uint8Array;
  /** The resource + scope pairs (stored JSON) the run's spans use. */
  origins: Array<{ id: number; resource: string; scope: string }>;
  /** Where this run ended; null when it was empty. */
  last: TraceChunkCursor | null;
}

const FROM = 'spans s JOIN origins o ON o.id = s.origin_id';

/** A trace's resource + scope pairs (stored JSON), in the order their first spans appear (start order). */
export async function traceOrigins(conn: DuckDBConnection, traceId: string): Promise<Array<{ id: number; resource: string; scope: string }>> {
  const sql = `SELECT o.id, o.resource, o.scope FROM (SELECT origin_id, min(struct_pack(a := start_us, b := seq)) AS first FROM spans WHERE trace_id = ? GROUP BY origin_id) f
    JOIN origins o ON o.id = f.origin_id ORDER BY f.first`;
  const rows = (await conn.runAndReadAll(sql, [traceId])).getRowObjectsJS() as Array<{ id: number; resource: string; scope: string }>;
  return rows.map((r) => ({ id: Number(r.id), resource: String(r.resource), scope: String(r.scope) }));
}

/** Up to `limit` of the trace's spans after `after` (only those of origin `originId`, when given). */
export async function traceChunk(conn: DuckDBConnection, traceId: string, after: TraceChunkCursor | null, limit: number, originId?: number): Promise<TraceChunk> {
  const ofOrigin = originId === undefined ? '' : 'AND s.origin_id = ?';
  const origin = originId === undefined ? [] : [originId];
  const total = after === null ? Number((await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${FROM} WHERE s.trace_id = ? ${ofOrigin}`, [traceId, ...origin])).getRowObjectsJS()[0]!.n) : null;
  const sql = `SELECT s.start_us, s.seq::DOUBLE, s.origin_id, s.body FROM ${FROM} WHERE s.trace_id = ? ${ofOrigin}
    ${after ? 'AND (s.start_us > ? OR (s.start_us = ? AND s.seq > ?))' : ''} ORDER BY s.start_us, s.seq LIMIT ?`;
  const values = after ? [traceId, ...origin, after[0], after[0], after[1], limit] : [traceId, ...origin, limit];
  const [starts, seqs, origins, bodies] = (await conn.runAndReadAll(sql, values)).getColumnsJS() as [number[], number[], number[], Uint8Array[]];
  const n = starts?.length ?? 0;
  const originIds = new Int32Array(n);
  const lengths = new Int32Array(n);
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    originIds[i] = origins[i]!;
    lengths[i] = bodies[i]!.length;
    bytes += lengths[i]!;
  }
  const packed = new Uint8Array(bytes);
  for (let i = 0, at = 0; i < n; at += lengths[i]!, i++) packed.set(bodies[i]!, at);
  const used = [...new Set(originIds)];
  const originRows = used.length
    ? ((await conn.runAndReadAll(`SELECT id, resource, scope FROM origins WHERE list_contains(string_split(?, ','), id::VARCHAR)`, [used.join(',')])).getRowObjectsJS() as Array<{ id: number; resource: string; scope: string }>)
    : [];
  return {
    total,
    originIds,
    lengths,
    bodies: packed,
    origins: originRows.map((r) => ({ id: Number(r.id), resource: String(r.resource), scope: String(r.scope) })),
    last: n > 0 ? [starts[n - 1]!, seqs[n - 1]!] : null,
  };
}
