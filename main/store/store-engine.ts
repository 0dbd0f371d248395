// The DuckDB side of the trace store: owns the database, the appenders and the reading
// connection. It runs either in the store's own thread or inside the writer thread
// (store-worker.ts), where it answers the same calls over messages.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { StudioError } from '../../shared/errors';
import type { Span } from '../../shared/model';
import { defaultDataDir } from './data-dir';
import { listTraces, serviceGraph, spanStats } from './queries';
import type { RowBatch } from './row-batch';
import { getRun, listRuns, recordRun, updateRun } from './runs';
import { CREATE_TABLES, SPAN_ROW_FROM, SPAN_ROW_SELECT, spansFromRows, type SpanRow } from './schema';

export interface EngineOpenOptions {
  dataDir?: string;
  inMemory?: boolean;
}

export interface EngineInit {
  path: string;
  seq: number;
  bytes: number;
  resources: Array<[json: string, id: number]>;
}

/** Told when rows could not be written: how many, and why. */
export type PersistErrorHandler = (rows: number, error: unknown) => void;

export class StoreEngine {
  private pendingRows = 0;

  private constructor(
    readonly init: EngineInit,
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
    private readonly appender: DuckDBAppender,
    private readonly resourceAppender: DuckDBAppender,
    private readonly onPersistError: PersistErrorHandler,
  ) {}

  static async open(options: EngineOpenOptions, onPersistError: PersistErrorHandler): Promise<StoreEngine> {
    let path = ':memory:';
    if (!options.inMemory) {
      const dir = options.dataDir ?? defaultDataDir();
      try {
        mkdirSync(dir, { recursive: true });
      } catch (error) {
        throw new StudioError({ code: 'store.failed', message: `Cannot create the data folder ${dir}: ${(error as Error).message}. Choose another with --data-dir.`, file: dir });
      }
      path = join(dir, 'traces.duckdb');
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, { checkpoint_threshold: '256MB' });
    } catch (error) {
      const msg = (error as Error).message;
      const locked = /lock/i.test(msg);
      throw new StudioError({
        code: 'store.failed',
        message: locked
          ? `The trace database ${path} is in use by another process (is \`clnrm collect\` or the studio running?). Stop it or pass another --data-dir.`
          : `Cannot open the trace database ${path}: ${msg}`,
        file: path,
      });
    }
    const writer = await instance.connect();
    const reader = await instance.connect();
    await writer.run(CREATE_TABLES);
    const row = (await reader.runAndReadAll('SELECT coalesce(max(seq), 0) AS seq, coalesce(sum(bytes), 0)::BIGINT AS bytes FROM spans')).getRowObjectsJS()[0] as {
      seq: bigint;
      bytes: bigint;
    };
    const resources: Array<[string, number]> = [];
    for (const r of (await reader.runAndReadAll('SELECT id, json FROM resources')).getRowObjectsJS()) resources.push([String(r.json), Number(r.id)]);
    const appender = await writer.createAppender('spans');
    const resourceAppender = await writer.createAppender('resources');
    const init = { path, seq: Number(row.seq), bytes: Number(row.bytes), resources };
    return new StoreEngine(init, instance, writer, reader, appender, resourceAppender, onPersistError);
  }

  addResource(id: number, json: string): void {
    this.resourceAppender.appendInteger(id);
    this.resourceAppender.appendVarchar(json);
    this.resourceAppender.endRow();
  }

  appendRows(b: RowBatch): void {
    const a = this.appender;
    for (let i = 0; i < b.count; i++) {
      try {
        a.appendBigInt(BigInt(b.firstSeq + i));
        a.appendVarchar(b.traceId[i]!);
        a.appendVarchar(b.spanId[i]!);
        const parent = b.parentSpanId[i];
        if (parent) a.appendVarchar(parent);
        else a.appendNull();
        a.appendVarchar(b.name[i]!);
        a.appendVarchar(b.kind[i]!);
        a.appendVarchar(b.statusCode[i]!);
        a.appendVarchar(b.service[i]!);
        a.appendVarchar(b.startNs[i]!);
        a.appendVarchar(b.endNs[i]!);
        a.appendDouble(b.micros[i * 3]!);
        a.appendDouble(b.micros[i * 3 + 1]!);
        a.appendDouble(b.micros[i * 3 + 2]!);
        const runId = b.runId[i];
        if (runId !== null && runId !== undefined) a.appendVarchar(runId);
        else a.appendNull();
        const scenario = b.scenario[i];
        if (scenario !== null && scenario !== undefined) a.appendVarchar(scenario);
        else a.appendNull();
        a.appendInteger(b.ints[i * 2]!);
        a.appendVarchar(b.body[i]!);
        a.appendInteger(b.ints[i * 2 + 1]!);
        a.endRow();
        this.pendingRows++;
      } catch (error) {
        this.onPersistError(1, error);
        this.resetAppender();
      }
    }
  }

  /** Makes every appended row durable and visible to queries. */
  flush(): void {
    if (this.pendingRows === 0) return;
    try {
      // Resources first: a span row must never be visible without its resource.
      this.resourceAppender.flushSync();
      this.appender.flushSync();
    } catch (error) {
      this.onPersistError(this.pendingRows, error);
      this.resetAppender();
    }
    this.pendingRows = 0;
  }

  listTraces = (q: Parameters<typeof listTraces>[1]) => listTraces(this.reader, q);
  serviceGraph = (f?: Parameters<typeof serviceGraph>[1]) => serviceGraph(this.reader, f);
  spanStats = (f?: Parameters<typeof spanStats>[1]) => spanStats(this.reader, f);
  recordRun = (run: Parameters<typeof recordRun>[1]) => recordRun(this.reader, run);
  updateRun = (id: string, patch: Parameters<typeof updateRun>[2]) => updateRun(this.reader, id, patch);
  getRun = (id: string) => getRun(this.reader, id);
  listRuns = (q?: Parameters<typeof listRuns>[1]) => listRuns(this.reader, q);

  async getTrace(traceId: string): Promise<Span[]> {
    const rows = (await this.reader.runAndReadAll(`SELECT ${SPAN_ROW_SELECT} FROM ${SPAN_ROW_FROM} WHERE s.trace_id = ? ORDER BY s.start_us, s.seq`, [traceId])).getRowObjectsJS();
    return spansFromRows(rows as unknown as SpanRow[]);
  }

  async getSpans(traceIds: readonly string[] | 'all'): Promise<Span[]> {
    const sql =
      traceIds === 'all'
        ? `SELECT ${SPAN_ROW_SELECT} FROM ${SPAN_ROW_FROM} ORDER BY s.seq`
        : `SELECT ${SPAN_ROW_SELECT} FROM ${SPAN_ROW_FROM} WHERE s.trace_id IN (SELECT unnest(string_split(?, ','))) ORDER BY s.seq`;
    const rows = (await this.reader.runAndReadAll(sql, traceIds === 'all' ? [] : [traceIds.join(',')])).getRowObjectsJS();
    return spansFromRows(rows as unknown as SpanRow[]);
  }

  async storedSpanKeys(traceIds: readonly string[]): Promise<string[]> {
    if (traceIds.length === 0) return [];
    const rows = (
      await this.reader.runAndReadAll(`SELECT trace_id || ':' || span_id AS k FROM spans WHERE trace_id IN (SELECT unnest(string_split(?, ',')))`, [traceIds.join(',')])
    ).getRowObjectsJS();
    return rows.map((r) => String(r.k));
  }

  async clear(): Promise<void> {
    await this.reader.run('DELETE FROM spans');
  }

  /** Deletes the oldest traces until `excess` bytes are gone; returns their ids and the bytes left. */
  async prune(excess: number): Promise<{ ids: string[]; bytes: number }> {
    const rows = (
      await this.reader.runAndReadAll(
        `SELECT trace_id FROM (SELECT trace_id, sum(bytes) AS b, min(start_us) AS st FROM spans GROUP BY trace_id)
         QUALIFY sum(b) OVER (ORDER BY st, trace_id ROWS UNBOUNDED PRECEDING) - b < ?`,
        [excess],
      )
    ).getRowObjectsJS();
    const ids = rows.map((r) => String((r as { trace_id: string }).trace_id));
    if (ids.length > 0) await this.reader.run('DELETE FROM spans WHERE trace_id IN (SELECT unnest(string_split(?, \',\')))', [ids.join(',')]);
    const left = (await this.reader.runAndReadAll('SELECT coalesce(sum(bytes), 0)::BIGINT AS b FROM spans')).getRowObjectsJS()[0] as { b: bigint };
    return { ids, bytes: Number(left.b) };
  }

  close(): void {
    this.flush();
    try {
      this.appender.closeSync();
      this.resourceAppender.closeSync();
    } catch (error) {
      this.onPersistError(0, error);
    }
    this.writer.closeSync();
    this.reader.closeSync();
    this.instance.closeSync();
  }

  private resetAppender(): void {
    // A failed append leaves the appender in an unknown state: drop its buffer and carry on.
    try {
      this.appender.clear();
    } catch {
      // clear() itself failing means the appender is unusable; the next flush reports it.
    }
  }
}

/** The engine's asynchronous calls, by name (what the writer thread answers over messages). */
export const ENGINE_CALLS = ['listTraces', 'serviceGraph', 'spanStats', 'recordRun', 'updateRun', 'getRun', 'listRuns', 'getTrace', 'getSpans', 'storedSpanKeys', 'clear', 'prune'] as const;
export type EngineCall = (typeof ENGINE_CALLS)[number];
export type EngineCallArgs<K extends EngineCall> = Parameters<StoreEngine[K]>;
export type EngineCallResult<K extends EngineCall> = Awaited<ReturnType<StoreEngine[K]>>;
