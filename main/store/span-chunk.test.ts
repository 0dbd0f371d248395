// The column-wise span appender against a real DuckDB: every column of every row reads back as
// the span says (across several chunks, with repeated and null texts, long and inline strings,
// and sequence numbers past 32 bits), and a row that cannot be read is refused alone.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { Span } from '../../shared/model';
import { decodeOtlpProtobuf, encodeOtlpProtobuf } from '../../shared/otlp';
import { toRowBatch } from './row-batch';
import { CREATE_TABLES, originTags, resourceInfo } from './schema';
import { SpanChunkWriter } from './span-chunk';
import { makeSpan, resourceFor } from './test-spans';

const opened: DuckDBInstance[] = [];
afterEach(() => {
  for (const i of opened.splice(0)) i.closeSync();
});

async function table(): Promise<{ conn: DuckDBConnection; writer: SpanChunkWriter; flush: () => void }> {
  const instance = await DuckDBInstance.create(':memory:');
  opened.push(instance);
  const conn = await instance.connect();
  await conn.run(CREATE_TABLES);
  const appender = await conn.createAppender('spans');
  const tags = new Map([1, 2].map((id) => [id, originTags(resourceInfo(RESOURCES[id - 1]!).json)]));
  return { conn, writer: new SpanChunkWriter(appender, (origin) => tags.get(origin)), flush: () => appender.flushSync() };
}

const RESOURCES = [
  resourceFor('checkout-service-with-a-long-name', { 'clnrm.run_id': 'run-7', 'clnrm.execution_id': 'exec-7-a', 'clnrm.scenario': 'pays' }),
  resourceFor('db'),
];

/** 5,000 spans: 16 per trace, roots without a parent, names that repeat, two origins (one with run tags). */
function spans(): Span[] {
  return Array.from({ length: 5000 }, (_, i) =>
    makeSpan({
      trace: 1 + Math.floor(i / 16),
      span: 1 + i,
      parent: i % 16 === 0 ? undefined : 1 + i - (i % 16),
      name: i % 7 === 0 ? `unique operation name number ${i}` : `op-${i % 3}`,
      kind: i % 2 ? 'client' : 'server',
      status: i % 50 === 0 ? 'error' : 'unset',
      resource: RESOURCES[i % 2]!,
      startMs: 1_700_000_000_000 + i,
      durationMs: 1 + (i % 10),
    }),
  );
}

interface Row {
  seq: bigint;
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  status_code: string;
  service: string;
  start_us: number;
  duration_us: number;
  run_id: string | null;
  scenario: string | null;
  origin_id: number;
  body: Uint8Array;
  execution_id: string | null;
}

async function rows(conn: DuckDBConnection): Promise<Row[]> {
  const read = await conn.runAndReadAll('SELECT * FROM spans ORDER BY seq');
  return read.getRowObjectsJS() as unknown as Row[];
}

const FIRST_SEQ = 2 ** 32 + 5;

describe('SpanChunkWriter', () => {
  it('stores every column of every row as the span says, across chunks', async () => {
    const { conn, writer, flush } = await table();
    const input = spans();
    const decoded = decodeOtlpProtobuf(encodeOtlpProtobuf(input));
    const batch = toRowBatch(decoded.spans, decoded.wire, FIRST_SEQ, (span) => (span.resource.attributes.length > 1 ? 1 : 2));
    expect(writer.append(batch)).toEqual({ appended: 5000, failed: [] });
    flush();
    const stored = await rows(conn);
    expect(stored).toHaveLength(5000);
    stored.forEach((row, i) => {
      const span = decoded.spans[i]!;
      // The encoder groups spans by resource, so row order is the decoded order.
      const tagged = span.resource.attributes.length > 1;
      expect(row).toMatchObject({
        seq: BigInt(FIRST_SEQ + i),
        trace_id: span.traceId,
        span_id: span.spanId,
        parent_span_id: span.parentSpanId ?? null,
        name: span.name,
        kind: span.kind,
        status_code: span.status.code,
        service: span.serviceName,
        start_us: Number(BigInt(span.startTimeUnixNano) / 1000n),
        duration_us: Number((BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1000n),
        run_id: tagged ? 'run-7' : null,
        scenario: tagged ? 'pays' : null,
        execution_id: tagged ? 'exec-7-a' : null,
        origin_id: tagged ? 1 : 2,
      });
      expect(Buffer.from(row.body).equals(Buffer.from(batch.data.subarray(batch.ranges[2 * i], batch.ranges[2 * i + 1])))).toBe(true);
    });
  });

  it('refuses a row it cannot read, or of an unknown origin, alone; the rows around it are stored intact', async () => {
    const { conn, writer, flush } = await table();
    const input = spans().slice(0, 3000);
    const batch = toRowBatch(input, undefined, 1, (span) => (span.resource.attributes.length > 1 ? 1 : 2));
    batch.origins[100] = 99;
    // Row 2100 (in the second chunk) becomes its first byte only: not a whole Span message.
    batch.ranges[2 * 2100 + 1] = batch.ranges[2 * 2100]! + 1;
    const outcome = writer.append(batch);
    expect(outcome.appended).toBe(2998);
    expect(outcome.failed.map((f) => f.rows)).toEqual([1, 1]);
    expect(String(outcome.failed[0]!.error)).toMatch(/unknown origin 99/);
    flush();
    const stored = await rows(conn);
    expect(stored.map((r) => Number(r.seq))).toEqual(input.map((_, i) => i + 1).filter((seq) => seq !== 101 && seq !== 2101));
    for (const row of stored) {
      const span = input[Number(row.seq) - 1]!;
      expect([row.span_id, row.trace_id, row.parent_span_id, row.name, row.run_id]).toEqual([
        span.spanId,
        span.traceId,
        span.parentSpanId ?? null,
        span.name,
        span.resource.attributes.length > 1 ? 'run-7' : null,
      ]);
    }
  });
});
