// The trace store: every span the receiver or an import hands over goes (1) into the session's
// in-memory index, (2) to subscribers, and (3) into DuckDB through an Appender that is flushed at
// least every `flushIntervalMs` (so a SIGKILL loses at most that much). Queries read DuckDB.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { Span } from '../../shared/model';
import { StudioError } from '../../shared/errors';
import { defaultDataDir } from './data-dir';
import { LiveIndex, type LiveQuery } from './live-index';
import { listTraces, serviceGraph, spanStats, type ListTracesQuery, type ServiceEdge, type SpanFilter, type SpanStat, type TraceSummary } from './queries';
import { getRun, listRuns, recordRun, updateRun, type ListRunsQuery, type RunRecord } from './runs';
import { appendSpan, CREATE_TABLES, resourceInfo, SPAN_ROW_FROM, SPAN_ROW_SELECT, spansFromRows, type SpanRow } from './schema';
import type { Resource } from '../../shared/model';
import { exportTraces, importFile, type ImportResult } from './import-export';
import { Subscriptions, type SpanListener, type SubscribeOptions } from './subscriptions';

export interface StoreOptions {
  /** Folder for `traces.duckdb`; default: the user's app-data folder. */
  dataDir?: string;
  /** Keep nothing on disk (tests, throwaway sessions). */
  inMemory?: boolean;
  /** Retention cap on stored span data in bytes; oldest traces are pruned first. Default 1 GiB. */
  maxBytes?: number;
  /** Flush appended spans to the database at least this often. Default 500 ms. */
  flushIntervalMs?: number;
  /** Most spans kept in the session's in-memory index. Default 200,000. */
  maxLiveSpans?: number;
  /** Told about background failures (a flush or prune that failed); default: ignore. */
  onError?: (error: unknown) => void;
}

export interface StoreCounts {
  /** Spans ingested since the store opened. */
  sessionSpans: number;
  /** Distinct traces seen since the store opened. */
  sessionTraces: number;
  /** Bytes of span data stored (the retention measure). */
  storedBytes: number;
  /** Spans that could not be written to the database. */
  persistErrors: number;
}

export const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;

export class TraceStore {
  readonly live: LiveIndex;
  readonly path: string;
  private readonly subscriptions: Subscriptions;
  private seq: bigint;
  private pendingRows = 0;
  private storedBytes: number;
  private sessionSpans = 0;
  private sessionTraces = 0;
  private readonly seenTraces = new Set<string>();
  private persistErrors = 0;
  private readonly timer: NodeJS.Timeout;
  private pruning: Promise<void> | undefined;
  private disposed = false;
  /** Resource JSON → row id in `resources`; resources are few and shared by many spans. */
  private readonly resourceIds: Map<string, number>;
  private readonly resourceIdOf = new WeakMap<Resource, number>();
  private nextResourceId: number;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
    private appender: DuckDBAppender,
    private readonly resourceAppender: DuckDBAppender,
    init: { seq: bigint; bytes: number; path: string; resources: Map<string, number> },
    private readonly options: StoreOptions,
  ) {
    this.path = init.path;
    this.seq = init.seq;
    this.storedBytes = init.bytes;
    this.resourceIds = init.resources;
    this.nextResourceId = Math.max(0, ...init.resources.values()) + 1;
    this.live = new LiveIndex(options.maxLiveSpans ?? 200_000);
    this.subscriptions = new Subscriptions((e) => this.report(e));
    this.timer = setInterval(() => this.flush(), Math.max(10, options.flushIntervalMs ?? 500));
    this.timer.unref();
  }

  static async open(options: StoreOptions = {}): Promise<TraceStore> {
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
    const resources = new Map<string, number>();
    for (const r of (await reader.runAndReadAll('SELECT id, json FROM resources')).getRowObjectsJS()) resources.set(String(r.json), Number(r.id));
    const appender = await writer.createAppender('spans');
    const resourceAppender = await writer.createAppender('resources');
    return new TraceStore(instance, writer, reader, appender, resourceAppender, { seq: BigInt(row.seq), bytes: Number(row.bytes), path, resources }, options);
  }

  /** Takes spans in (synchronously): index, subscribers, and the database's append buffer. */
  ingest(spans: readonly Span[]): void {
    if (this.disposed) throw new StudioError({ code: 'store.failed', message: 'The trace store is closed.' });
    if (spans.length === 0) return;
    for (const span of spans) {
      try {
        this.storedBytes += appendSpan(this.appender, span, ++this.seq, this.resourceId(span.resource));
        this.pendingRows++;
      } catch (error) {
        this.persistErrors++;
        this.report(error);
        this.resetAppender();
      }
      if (!this.seenTraces.has(span.traceId)) {
        this.seenTraces.add(span.traceId);
        this.sessionTraces++;
        // The set only dedupes recent traces; bound it like the live index.
        if (this.seenTraces.size > 200_000) this.seenTraces.clear();
      }
    }
    this.sessionSpans += spans.length;
    this.live.add(spans);
    this.subscriptions.publish(spans);
  }

  private resourceId(resource: Resource): number {
    let id = this.resourceIdOf.get(resource);
    if (id !== undefined) return id;
    const json = resourceInfo(resource).json;
    id = this.resourceIds.get(json);
    if (id === undefined) {
      id = this.nextResourceId++;
      this.resourceIds.set(json, id);
      this.resourceAppender.appendInteger(id);
      this.resourceAppender.appendVarchar(json);
      this.resourceAppender.endRow();
    }
    this.resourceIdOf.set(resource, id);
    return id;
  }

  /** Makes everything ingested so far durable and visible to queries. */
  flush(): void {
    if (this.disposed || this.pendingRows === 0) return;
    try {
      // Resources first: a span row must never be visible without its resource.
      this.resourceAppender.flushSync();
      this.appender.flushSync();
    } catch (error) {
      this.persistErrors += this.pendingRows;
      this.report(error);
      this.resetAppender();
    }
    this.pendingRows = 0;
    if (this.storedBytes > (this.options.maxBytes ?? DEFAULT_MAX_BYTES) && !this.pruning) {
      this.pruning = this.prune()
        .catch((e) => this.report(e))
        .finally(() => (this.pruning = undefined));
    }
  }

  counts(): StoreCounts {
    return { sessionSpans: this.sessionSpans, sessionTraces: this.sessionTraces, storedBytes: this.storedBytes, persistErrors: this.persistErrors };
  }

  async listTraces(query: ListTracesQuery = {}): Promise<{ traces: TraceSummary[]; total: number }> {
    return listTraces(await this.ready(), query);
  }

  /** Every stored span of the trace, ordered by start time. */
  async getTrace(traceId: string): Promise<Span[]> {
    const conn = await this.ready();
    const rows = (await conn.runAndReadAll(`SELECT ${SPAN_ROW_SELECT} FROM ${SPAN_ROW_FROM} WHERE s.trace_id = ? ORDER BY s.start_us, s.seq`, [traceId])).getRowObjectsJS();
    return spansFromRows(rows as unknown as SpanRow[]);
  }

  /** Spans of many traces (or all), ordered by trace then start; for export. */
  async getSpans(traceIds: readonly string[] | 'all'): Promise<Span[]> {
    const conn = await this.ready();
    const sql =
      traceIds === 'all'
        ? `SELECT ${SPAN_ROW_SELECT} FROM ${SPAN_ROW_FROM} ORDER BY s.seq`
        : `SELECT ${SPAN_ROW_SELECT} FROM ${SPAN_ROW_FROM} WHERE s.trace_id IN (SELECT unnest(string_split(?, ','))) ORDER BY s.seq`;
    const rows = (await conn.runAndReadAll(sql, traceIds === 'all' ? [] : [traceIds.join(',')])).getRowObjectsJS();
    return spansFromRows(rows as unknown as SpanRow[]);
  }

  /** `traceId:spanId` of every stored span of these traces (for de-duplicating imports). */
  async storedSpanKeys(traceIds: readonly string[]): Promise<Set<string>> {
    const keys = new Set<string>();
    if (traceIds.length === 0) return keys;
    const conn = await this.ready();
    const rows = (
      await conn.runAndReadAll(`SELECT trace_id || ':' || span_id AS k FROM spans WHERE trace_id IN (SELECT unnest(string_split(?, ',')))`, [traceIds.join(',')])
    ).getRowObjectsJS();
    for (const r of rows) keys.add(String(r.k));
    return keys;
  }

  /** Reads a trace file (any supported format) into the store, skipping spans it already has. */
  importFile(path: string): Promise<ImportResult> {
    return importFile(this, path);
  }

  /** OTLP JSON (or JSON Lines) of the given traces, or of everything; re-imports identically. */
  exportTraces(ids: readonly string[] | 'all', format: 'otlp-json' | 'otlp-jsonl' = 'otlp-json'): Promise<{ text: string; spans: number; missing: string[] }> {
    return exportTraces(this, ids, format);
  }

  async serviceGraph(filter?: SpanFilter): Promise<ServiceEdge[]> {
    return serviceGraph(await this.ready(), filter);
  }

  async spanStats(filter?: SpanFilter): Promise<SpanStat[]> {
    return spanStats(await this.ready(), filter);
  }

  /** Spans in the session's memory index (no disk). */
  liveSpans(query?: LiveQuery): Span[] {
    return this.live.spans(query);
  }

  subscribe(listener: SpanListener, options?: SubscribeOptions): () => void {
    return this.subscriptions.subscribe(listener, options);
  }

  async recordRun(run: RunRecord): Promise<void> {
    await recordRun(await this.ready(), run);
  }
  async updateRun(id: string, patch: Partial<Omit<RunRecord, 'id'>>): Promise<RunRecord> {
    return updateRun(await this.ready(), id, patch);
  }
  async getRun(id: string): Promise<RunRecord | undefined> {
    return getRun(await this.ready(), id);
  }
  async listRuns(query?: ListRunsQuery): Promise<RunRecord[]> {
    return listRuns(await this.ready(), query);
  }

  /** Removes every stored span (runs are kept: they are history). */
  async clear(): Promise<void> {
    const conn = await this.ready();
    await conn.run('DELETE FROM spans');
    this.live.clear();
    this.storedBytes = 0;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    clearInterval(this.timer);
    this.flush();
    await this.pruning;
    this.disposed = true;
    this.subscriptions.clear();
    try {
      this.appender.closeSync();
      this.resourceAppender.closeSync();
    } catch (error) {
      this.report(error);
    }
    this.writer.closeSync();
    this.reader.closeSync();
    this.instance.closeSync();
  }

  private async ready(): Promise<DuckDBConnection> {
    if (this.disposed) throw new StudioError({ code: 'store.failed', message: 'The trace store is closed.' });
    this.flush();
    await this.pruning;
    return this.reader;
  }

  /** Deletes the oldest traces until stored data is under 90 % of the cap. */
  private async prune(): Promise<void> {
    const cap = this.options.maxBytes ?? DEFAULT_MAX_BYTES;
    const excess = this.storedBytes - Math.floor(cap * 0.9);
    if (excess <= 0) return;
    const rows = (
      await this.reader.runAndReadAll(
        `SELECT trace_id FROM (SELECT trace_id, sum(bytes) AS b, min(start_us) AS st FROM spans GROUP BY trace_id)
         QUALIFY sum(b) OVER (ORDER BY st, trace_id ROWS UNBOUNDED PRECEDING) - b < ?`,
        [excess],
      )
    ).getRowObjectsJS();
    const ids = rows.map((r) => String((r as { trace_id: string }).trace_id));
    if (ids.length === 0) return;
    await this.reader.run('DELETE FROM spans WHERE trace_id IN (SELECT unnest(string_split(?, \',\')))', [ids.join(',')]);
    const left = (await this.reader.runAndReadAll('SELECT coalesce(sum(bytes), 0)::BIGINT AS b FROM spans')).getRowObjectsJS()[0] as { b: bigint };
    this.storedBytes = Number(left.b);
    this.live.remove(ids);
  }

  private resetAppender(): void {
    // A failed append leaves the appender in an unknown state: drop its buffer and carry on.
    try {
      this.appender.clear();
    } catch {
      // clear() itself failing means the appender is unusable; the next flush reports it.
    }
  }

  private report(error: unknown): void {
    this.options.onError?.(error);
  }
}

export function openStore(options: StoreOptions = {}): Promise<TraceStore> {
  return TraceStore.open(options);
}
