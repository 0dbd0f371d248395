// Copies a database of the first schema (span bodies as JSON, `resources` table) into a new one:
// every span, read back exactly as that version stored it, goes through today's write path
// (Span message bytes, origins), and its run records (executions, in today's words) are copied as
// ./upgrade-v3.ts upgrades them. The old file is kept
// where it was moved to; nothing is lost if copying stops half way.
import type { DuckDBConnection } from '@duckdb/node-api';
import { copyLegacyRuns } from './upgrade-v3';
import { buildSpan, type InstrumentationScope, type KeyValue, type Resource, type Span, type SpanKind, type SpanStatus } from '../../shared/model';

/** What the first schema kept in a span's JSON body (everything without a column of its own). */
interface V1Body {
  attributes: KeyValue[];
  events: Span['events'];
  links: Span['links'];
  status: SpanStatus;
  scope: InstrumentationScope;
  traceState?: string;
  flags?: number;
  droppedAttributesCount?: number;
  droppedEventsCount?: number;
  droppedLinksCount?: number;
}

interface V1Row {
  seq: bigint;
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

const PAGE = 5000;

/** The spans of rows of the first schema. */
export function spansFromV1Rows(rows: readonly V1Row[], resources: Map<string, Resource>): Span[] {
  return rows.map((row) => {
    let resource = resources.get(row.resource);
    if (!resource) {
      resource = JSON.parse(row.resource) as Resource;
      resources.set(row.resource, resource);
    }
    const body = JSON.parse(row.body) as V1Body;
    return buildSpan({
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
    });
  });
}

/**
 * Copies the old database at `oldPath` into the one `conn` writes: runs first, then spans in
 * pages of `PAGE`, oldest first, each page handed to `write` (which must keep `seq` order).
 * Returns how much was copied.
 */
export async function copyV1Database(conn: DuckDBConnection, oldPath: string, write: (spans: Span[]) => void): Promise<{ spans: number; runs: number }> {
  await conn.run(`ATTACH '${oldPath.replaceAll("'", "''")}' AS v1 (READ_ONLY)`);
  try {
    const tables = (await conn.runAndReadAll(`SELECT table_name FROM information_schema.tables WHERE table_catalog = 'v1'`)).getRowObjectsJS().map((r) => String(r.table_name));
    let runs = 0;
    if (tables.includes('runs')) runs = (await copyLegacyRuns(conn, 'v1.runs')).copied;
    let spans = 0;
    if (tables.includes('spans') && tables.includes('resources')) {
      const resources = new Map<string, Resource>();
      let after = -1n;
      for (;;) {
        const rows = (
          await conn.runAndReadAll(
            `SELECT s.seq, s.trace_id, s.span_id, s.parent_span_id, s.name, s.kind, s.start_ns, s.end_ns, s.body, r.json AS resource
             FROM v1.spans s JOIN v1.resources r ON r.id = s.resource_id WHERE s.seq > ? ORDER BY s.seq LIMIT ${PAGE}`,
            [after],
          )
        ).getRowObjectsJS() as unknown as V1Row[];
        if (rows.length === 0) break;
        write(spansFromV1Rows(rows, resources));
        spans += rows.length;
        after = BigInt(rows[rows.length - 1]!.seq);
      }
    }
    return { spans, runs };
  } finally {
    await conn.run('DETACH v1');
  }
}
