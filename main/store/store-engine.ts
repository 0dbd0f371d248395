// The DuckDB side of the trace store: owns the database, the appenders and the reading
// connection. It runs either in the store's own thread or inside the writer thread
// (store-worker.ts), where it answers the same calls over messages.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { StudioError } from '../../shared/errors';
import type { Span } from '../../shared/model';
import { defaultDataDir } from './data-dir';
import { listTraces, serviceGraph, spanStats } from './queries';
import { experimentTraffic } from './experiment-traffic';
import { traceChunk, traceOrigins, type TraceChunkCursor } from './trace-chunks';
import { toRowBatch, type RowBatch } from './row-batch';
import { SpanChunkWriter } from './span-chunk';
import { OriginRegistry } from './origins';
import * as history from './history';
import * as baselines from './baselines';
import { upgradeToV3 } from './upgrade-v3';
import { faultWindowsBetween, type FaultWindowQuery } from './fault-windows';
import { copyV1Database } from './migrate-v1';
import { CREATE_TABLES, SCHEMA_VERSION, SPAN_ROW_FROM, SPAN_ROW_SELECT, originKey, originTags, spansFromRows, type OriginTags, type SpanRow } from './schema';

export interface EngineOpenOptions {
  dataDir?: string;
  inMemory?: boolean;
}

export interface EngineInit {
  path: string;
  seq: number;
  bytes: number;
  /** Known resource + scope pairs: originKey(resource, scope) → id. */
  origins: Array<[key: string, id: number]>;
  /** Something the user should know about opening (an older database moved aside). */
  notice?: string;
}

/** Told when rows could not be written: how many, and why. */
export type PersistErrorHandler = (rows: number, error: unknown) => void;

export class StoreEngine {
  private pendingRows = 0;
  /** Rows that could not be stored, ever, and as of the last sync(): a durable acknowledgement must not cover them. */
  private lostRows = 0;
  private lostAtSync = 0;
  /** Origin id → the columns it gives its spans. */
  private readonly tags = new Map<number, OriginTags>();
  private readonly chunks: SpanChunkWriter;

  private constructor(
    public init: EngineInit,
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
    private readonly appender: DuckDBAppender,
    private readonly originAppender: DuckDBAppender,
    private readonly onPersistError: PersistErrorHandler,
  ) {
    this.chunks = new SpanChunkWriter(appender, (origin) => this.tags.get(origin));
  }

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
    let aside: string | undefined;
    let instance = await createInstance(path);
    let writer = await instance.connect();
    if (path !== ':memory:' && (await olderSchema(writer))) {
      // A database of the first schema: move it aside, start a new one, copy it over (below).
      writer.closeSync();
      instance.closeSync();
      aside = path.replace(/\.duckdb$/, `.before-v${SCHEMA_VERSION}-${Date.now()}.duckdb`);
      renameSync(path, aside);
      if (existsSync(path + '.wal')) renameSync(path + '.wal', aside + '.wal');
      instance = await createInstance(path);
      writer = await instance.connect();
    }
    const reader = await instance.connect();
    const upgraded = await upgradeToV3(writer);
    await writer.run(CREATE_TABLES);
    await writer.run(`INSERT OR REPLACE INTO meta VALUES ('schema', '${SCHEMA_VERSION}')`);
    const appender = await writer.createAppender('spans');
    const originAppender = await writer.createAppender('origins');
    const engine = new StoreEngine({ path, seq: 0, bytes: 0, origins: [] }, instance, writer, reader, appender, originAppender, onPersistError);
    const notice = aside === undefined ? upgraded : await engine.copyFromV1(aside);
    const row = (await reader.runAndReadAll('SELECT coalesce(max(seq), 0) AS seq, coalesce(sum(bytes), 0)::BIGINT AS bytes FROM spans')).getRowObjectsJS()[0] as {
      seq: bigint;
      bytes: bigint;
    };
    const origins: Array<[string, number]> = [];
    for (const r of (await reader.runAndReadAll('SELECT id, resource, scope FROM origins')).getRowObjectsJS()) {
      const id = Number(r.id);
      origins.push([originKey(String(r.resource), String(r.scope)), id]);
      engine.tags.set(id, originTags(String(r.resource)));
    }
    engine.init = { path, seq: Number(row.seq), bytes: Number(row.bytes), origins, ...(notice !== undefined ? { notice } : {}) };
    return engine;
  }

  /** Copies a first-schema database (moved aside to `oldPath`) into this one; answers what to tell the user. */
  private async copyFromV1(oldPath: string): Promise<string> {
    const origins = new OriginRegistry([], (id, resource, scope) => this.addOrigin(id, resource, scope));
    let seq = 0;
    const moved = `The trace database was written by an older version of Cleanroom Studio and was moved to ${oldPath}`;
    try {
      const copied = await copyV1Database(this.reader, oldPath, (spans) => {
        this.appendRows(toRowBatch(spans, undefined, seq + 1, (span) => origins.idOf(span.resource, span.scope)));
        seq += spans.length;
        this.flush();
      });
      // The first schema's run ids were execution ids, as in ./upgrade-v3.ts.
      await this.reader.run('UPDATE spans SET execution_id = run_id WHERE run_id IS NOT NULL');
      const count = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
      return `${moved}; its ${count(copied.spans, 'span')} and ${count(copied.runs, 'run')} were copied into the new one (the old file can be deleted).`;
    } catch (error) {
      this.flush();
      return `${moved}; copying it into the new one stopped after ${seq.toLocaleString('en-US')} spans (${(error as Error).message}). The old file is kept.`;
    }
  }

  addOrigin(id: number, resource: string, scope: string): void {
    this.originAppender.appendInteger(id);
    this.originAppender.appendVarchar(resource);
    this.originAppender.appendVarchar(scope);
    this.originAppender.endRow();
    this.tags.set(id, originTags(resource));
  }

  appendRows(b: RowBatch): void {
    const { appended, failed } = this.chunks.append(b);
    this.pendingRows += appended;
    for (const f of failed) this.persistFailed(f.rows, f.error);
  }

  /** Makes every appended row durable and visible to queries. */
  flush(): void {
    if (this.pendingRows === 0) return;
    try {
      // Origins first: a span row must never be visible without its resource and scope.
      this.originAppender.flushSync();
      this.appender.flushSync();
    } catch (error) {
      this.persistFailed(this.pendingRows, error);
      this.resetAppender();
    }
    this.pendingRows = 0;
  }

  /**
   * Flushes, and fails when a row appended since the last sync could not be stored: what a
   * durable acknowledgement waits for (the receiver answers only after this resolved).
   */
  async sync(): Promise<void> {
    this.flush();
    const lost = this.lostRows - this.lostAtSync;
    this.lostAtSync = this.lostRows;
    if (lost > 0) throw new StudioError({ code: 'store.failed', message: `${lost} spans could not be written to the trace database; the sender should retry.` });
  }

  private persistFailed(rows: number, error: unknown): void {
    this.lostRows += rows;
    this.onPersistError(rows, error);
  }

  listTraces = (q: Parameters<typeof listTraces>[1]) => listTraces(this.reader, q);
  serviceGraph = (f?: Parameters<typeof serviceGraph>[1]) => serviceGraph(this.reader, f);
  spanStats = (f?: Parameters<typeof spanStats>[1]) => spanStats(this.reader, f);
  experimentTraffic = (q: Parameters<typeof experimentTraffic>[1]) => experimentTraffic(this.reader, q);
  recordRun = (run: Parameters<typeof history.recordRun>[1]) => history.recordRun(this.reader, run);
  finishRun = (id: string, patch: Parameters<typeof history.finishRun>[2]) => history.finishRun(this.reader, id, patch);
  recordExecution = (e: Parameters<typeof history.recordExecution>[1]) => history.recordExecution(this.reader, e);
  finishExecution = (id: string, patch: Parameters<typeof history.finishExecution>[2]) => history.finishExecution(this.reader, id, patch);
  addContainerStats = (rows: Parameters<typeof history.addContainerStats>[1]) => history.addContainerStats(this.reader, rows);
  containerStats = (executionId: string) => history.containerStats(this.reader, executionId);
  getRun = (id: string) => history.getRun(this.reader, id);
  listRuns = (q?: Parameters<typeof history.listRuns>[1]) => history.listRuns(this.reader, q);
  saveBaseline = (b: Parameters<typeof baselines.saveBaseline>[1]) => baselines.saveBaseline(this.reader, b);
  listBaselines = (q?: Parameters<typeof baselines.listBaselines>[1]) => baselines.listBaselines(this.reader, q);
  deleteBaseline = (id: string) => baselines.deleteBaseline(this.reader, id);
  faultWindows = (q: FaultWindowQuery) => faultWindowsBetween(this.reader, q);

  async getTrace(traceId: string): Promise<Span[]> {
    const rows = (await this.reader.runAndReadAll(`SELECT ${SPAN_ROW_SELECT} FROM ${SPAN_ROW_FROM} WHERE s.trace_id = ? ORDER BY s.start_us, s.seq`, [traceId])).getRowObjectsJS();
    return spansFromRows(rows as unknown as SpanRow[]);
  }

  /** One run of a trace's stored spans as bytes, in start order after `after` (see ./trace-chunks.ts). */
  traceChunk = (traceId: string, after: TraceChunkCursor | null, limit: number, originId?: number) => traceChunk(this.reader, traceId, after, limit, originId);
  traceOrigins = (traceId: string) => traceOrigins(this.reader, traceId);

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

  /** Up to `limit` stored trace ids that start with `prefix` (lowercase hex), in id order. */
  async traceIdsStartingWith(prefix: string, limit: number): Promise<string[]> {
    const rows = (await this.reader.runAndReadAll(`SELECT DISTINCT trace_id FROM spans WHERE starts_with(trace_id, ?) ORDER BY trace_id LIMIT ?`, [prefix, limit])).getRowObjectsJS();
    return rows.map((r) => String(r.trace_id));
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
      this.originAppender.closeSync();
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

async function createInstance(path: string): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(path, { checkpoint_threshold: '256MB' });
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
}

/** True when the database holds a spans table of an earlier schema (no `origin_id` column). */
async function olderSchema(conn: DuckDBConnection): Promise<boolean> {
  const rows = (
    await conn.runAndReadAll(`SELECT count(*) FILTER (WHERE column_name = 'origin_id')::INTEGER AS v2, count(*)::INTEGER AS n FROM information_schema.columns WHERE table_name = 'spans'`)
  ).getRowObjectsJS()[0] as { v2: number; n: number };
  return rows.n > 0 && rows.v2 === 0;
}

/** The engine's asynchronous calls, by name (what the writer thread answers over messages). */
export const ENGINE_CALLS = [
  'sync',
  'listTraces',
  'serviceGraph',
  'spanStats',
  'experimentTraffic',
  'recordRun',
  'finishRun',
  'recordExecution',
  'finishExecution',
  'addContainerStats',
  'containerStats',
  'getRun',
  'listRuns',
  'saveBaseline',
  'listBaselines',
  'deleteBaseline',
  'faultWindows',
  'getTrace',
  'getSpans',
  'traceChunk',
  'traceOrigins',
  'storedSpanKeys',
  'traceIdsStartingWith',
  'clear',
  'prune',
] as const;
export type EngineCall = (typeof ENGINE_CALLS)[number];
export type EngineCallArgs<K extends EngineCall> = Parameters<StoreEngine[K]>;
export type EngineCallResult<K extends EngineCall> = Awaited<ReturnType<StoreEngine[K]>>;
