// The trace store: every span the receiver or an import hands over goes (1) into the session's
// in-memory index, (2) to subscribers, and (3) as column batches to the StoreEngine, which appends
// them to DuckDB and is flushed at least every `flushIntervalMs` (so a SIGKILL loses at most that
// much), or at once by `commit()` (the receiver's durable acknowledgement waits for it). Queries read DuckDB through the engine. The engine runs in this thread, or — with
// `writerThread` — in a worker thread, so DuckDB's work uses the second core.
import type { Span } from '../../shared/model';
import { StudioError } from '../../shared/errors';
import { openDirectBackend, openThreadBackend, type StoreBackend } from './engine-backend';
import { LiveIndex, type LiveQuery } from './live-index';
import type { ListTracesQuery, ServiceEdge, SpanFilter, SpanStat, TraceSummary } from './queries';
import type { TrafficQuery, TrafficRow } from './experiment-traffic';
import { ownedCopy, toRowBatch } from './row-batch';
import type { ContainerStatsRow, ExecutionRecord, RunQuery, RunRecord } from '../../shared/run/records';
import type { RunHistoryEntry } from './history';
import type { BaselineRecord } from '../../shared/perf/baseline';
import type { BaselineQuery } from './baselines';
import type { FaultWindowQuery, StoredFaultWindow } from './fault-windows';
import { OriginRegistry } from './origins';
import type { TraceChunk, TraceChunkCursor } from './trace-chunks';
import type { SpanWire } from '../../shared/otlp';
import { exportTraces, importText, type ImportResult } from './import-export';
import { importFile, type ImportOptions } from './import-stream';
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
  /**
   * Run the database in a worker thread started from this entry (`writerThreadEntry()`), so
   * appends, flushes and queries leave this thread to receive and decode. Default: this thread.
   */
  writerThread?: URL;
  /** With a writer thread: rows it may have waiting before `writable()` holds the caller back. Default 100,000. */
  maxWriteBacklog?: number;
  /** Copy every span and history write to this store too (a running studio's, main/host/store-mirror.ts). */
  mirror?: StoreMirror;
}

/**
 * Where a store copies what it takes in: the studio that holds the data folder while `clnrm run` keeps
 * its own store in memory to judge its executions (see the README's design section, "One store").
 */
export interface StoreMirror {
  /** Queues spans to copy, in order; never throws (the mirror keeps and reports its failure). */
  spans(spans: readonly Span[]): void;
  /** Resolves when everything queued so far has been answered (or given up on). */
  drain(): Promise<void>;
  recordRun(run: RunRecord): Promise<void>;
  finishRun(id: string, patch: Partial<RunRecord>): Promise<void>;
  recordExecution(execution: ExecutionRecord): Promise<void>;
  finishExecution(id: string, patch: Partial<ExecutionRecord>): Promise<void>;
  addContainerStats(rows: ContainerStatsRow[]): Promise<void>;
  /** Baselines live in the mirror's store: saved there (after the local save) and read from there. */
  saveBaseline(baseline: BaselineRecord): Promise<void>;
  listBaselines(query: BaselineQuery): Promise<BaselineRecord[]>;
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
  private seq: number;
  private pendingRows = 0;
  private storedBytes: number;
  private sessionSpans = 0;
  private sessionTraces = 0;
  private readonly seenTraces = new Set<string>();
  private persistErrors = 0;
  private readonly timer: NodeJS.Timeout;
  private pruning: Promise<void> | undefined;
  private disposed = false;
  private origins!: OriginRegistry;
  private backend!: StoreBackend;

  private constructor(private readonly options: StoreOptions) {
    this.path = '';
    this.seq = 0;
    this.storedBytes = 0;
    this.live = new LiveIndex(options.maxLiveSpans ?? 200_000);
    this.subscriptions = new Subscriptions((e) => this.report(e));
    this.timer = setInterval(() => this.flush(), Math.max(10, options.flushIntervalMs ?? 500));
    this.timer.unref();
  }

  static async open(options: StoreOptions = {}): Promise<TraceStore> {
    const store = new TraceStore(options);
    const engineOptions = { ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}), inMemory: options.inMemory ?? false };
    const onPersistError = (rows: number, error: unknown): void => {
      store.persistErrors += rows;
      store.report(error);
    };
    try {
      store.backend = options.writerThread
        ? await openThreadBackend(options.writerThread, engineOptions, onPersistError)
        : await openDirectBackend(engineOptions, onPersistError);
    } catch (error) {
      clearInterval(store.timer);
      throw error;
    }
    const init = store.backend.init;
    (store as { path: string }).path = init.path;
    store.seq = init.seq;
    store.storedBytes = init.bytes;
    store.origins = new OriginRegistry(init.origins, (id, resource, scope) => store.backend.addOrigin(id, resource, scope));
    return store;
  }

  /** What opening the database told (an older database moved aside), if anything. */
  get notice(): string | undefined {
    return this.backend.init.notice;
  }

  /**
   * Takes spans in (synchronously): index, subscribers, and the database's append buffer. `wire`
   * (from the protobuf decoder) holds the spans' original Span messages, stored as they are;
   * without it the spans are encoded.
   */
  ingest(spans: readonly Span[], wire?: SpanWire): void {
    if (this.disposed) throw new StudioError({ code: 'store.failed', message: 'The trace store is closed.' });
    if (spans.length === 0) return;
    let kept: SpanWire | undefined;
    try {
      const batch = toRowBatch(spans, wire, this.seq + 1, (span) => this.origins.idOf(span.resource, span.scope));
      // The live index keeps its own copy of the messages: the batch's buffers move to the writer thread.
      kept = { bytes: ownedCopy(batch.data), ranges: batch.ranges.slice() };
      this.backend.appendRows(batch);
      this.seq += spans.length;
      this.storedBytes += batch.bytes;
      this.pendingRows += spans.length;
    } catch (error) {
      this.persistErrors += spans.length;
      this.report(error);
    }
    for (const span of spans) {
      if (!this.seenTraces.has(span.traceId)) {
        this.seenTraces.add(span.traceId);
        this.sessionTraces++;
        // The set only dedupes recent traces; bound it like the live index.
        if (this.seenTraces.size > 200_000) this.seenTraces.clear();
      }
    }
    this.sessionSpans += spans.length;
    // Spans whose messages could not even be built are neither stored nor indexed.
    if (kept) this.live.add(spans, kept);
    this.subscriptions.publish(spans);
    this.options.mirror?.spans(spans);
  }

  /** Makes everything ingested so far durable and visible to queries (posted in order before them). */
  flush(): void {
    if (this.disposed || this.pendingRows === 0) return;
    try {
      this.backend.flush();
    } catch (error) {
      this.persistErrors += this.pendingRows;
      this.report(error);
    }
    this.pendingRows = 0;
    this.pruneIfFull();
  }

  /**
   * Makes everything ingested so far durable, and resolves once it is — or fails when some of it
   * could not be stored. The receiver's durable acknowledgement: one commit answers every request
   * ingested before it (group commit, see main/receiver/ingest-queue.ts).
   */
  readonly commit = async (): Promise<void> => {
    if (this.disposed) throw new StudioError({ code: 'store.failed', message: 'The trace store is closed.' });
    this.pendingRows = 0;
    await this.backend.call('sync');
    this.pruneIfFull();
  };

  private pruneIfFull(): void {
    if (this.storedBytes > (this.options.maxBytes ?? DEFAULT_MAX_BYTES) && !this.pruning) {
      this.pruning = this.prune()
        .catch((e) => this.report(e))
        .finally(() => (this.pruning = undefined));
    }
  }

  /**
   * A receiver's sink: ingests one request's spans, then waits while the writer thread is behind,
   * so a writer that falls behind fills the receiver's queue (429s), not memory.
   */
  readonly receive = async (spans: Span[], wire?: SpanWire): Promise<void> => {
    this.ingest(spans, wire);
    await this.writable();
  };

  /** Rows handed to the writer thread that it has not appended yet (0 without one). */
  get writeBacklog(): number {
    return this.backend.backlog;
  }

  /**
   * Resolves when the writer thread's backlog is within `maxWriteBacklog`. An ingesting sink
   * awaits it so a writer that falls behind pushes back (the receiver's queue fills and it
   * answers 429) instead of queueing without bound and stretching the SIGKILL loss window.
   */
  writable(): Promise<void> {
    return this.backend.backlogAtMost(this.options.maxWriteBacklog ?? 100_000);
  }

  counts(): StoreCounts {
    return { sessionSpans: this.sessionSpans, sessionTraces: this.sessionTraces, storedBytes: this.storedBytes, persistErrors: this.persistErrors };
  }

  async listTraces(query: ListTracesQuery = {}): Promise<{ traces: TraceSummary[]; total: number }> {
    return (await this.ready()).call('listTraces', query);
  }

  /** Every stored span of the trace, ordered by start time. */
  async getTrace(traceId: string): Promise<Span[]> {
    return (await this.ready()).call('getTrace', traceId);
  }

  /** Up to `limit` of the trace's spans after `after`, in start order, as stored bytes (streamed to the UI). */
  async traceChunk(traceId: string, after: TraceChunkCursor | null, limit: number, originId?: number): Promise<TraceChunk> {
    return (await this.ready()).call('traceChunk', traceId, after, limit, originId);
  }

  /** The trace's resource + scope pairs, in the order their first spans appear (see ./trace-pages.ts). */
  async traceOrigins(traceId: string): Promise<Array<{ id: number; resource: string; scope: string }>> {
    return (await this.ready()).call('traceOrigins', traceId);
  }

  /** Spans of many traces (or all), ordered by trace then start; for export. */
  async getSpans(traceIds: readonly string[] | 'all'): Promise<Span[]> {
    return (await this.ready()).call('getSpans', traceIds);
  }

  /** `traceId:spanId` of every stored span of these traces (for de-duplicating imports). */
  async storedSpanKeys(traceIds: readonly string[]): Promise<Set<string>> {
    if (traceIds.length === 0) return new Set();
    return new Set(await (await this.ready()).call('storedSpanKeys', traceIds));
  }

  /**
   * The trace a short id names (the 8 characters the UI shows, or any 4 to 32 hex characters):
   * every stored id starting with it, at most `limit` (one means it is unambiguous).
   */
  async tracesWithIdPrefix(prefix: string, limit = 10): Promise<string[]> {
    return (await this.ready()).call('traceIdsStartingWith', prefix.toLowerCase(), limit);
  }

  /** Reads a trace file (any supported format) into the store, skipping spans it already has; large files stream. */
  importFile(path: string, options?: ImportOptions): Promise<ImportResult> {
    return importFile(this, path, options);
  }

  /** The same for a file's text (browser mode sends contents, not paths); `file` names it. */
  importText(text: string, file: string): Promise<ImportResult> {
    return importText(this, text, file);
  }

  /** OTLP JSON (or JSON Lines) of the given traces, or of everything; re-imports identically. */
  exportTraces(ids: readonly string[] | 'all', format: 'otlp-json' | 'otlp-jsonl' = 'otlp-json'): Promise<{ text: string; spans: number; missing: string[] }> {
    return exportTraces(this, ids, format);
  }

  async serviceGraph(filter?: SpanFilter): Promise<ServiceEdge[]> {
    return (await this.ready()).call('serviceGraph', filter);
  }

  async spanStats(filter?: SpanFilter): Promise<SpanStat[]> {
    return (await this.ready()).call('spanStats', filter);
  }

  /** One execution's requests (root spans) that started in a range, as columns (./experiment-traffic.ts). */
  async experimentTraffic(q: TrafficQuery): Promise<{ rows: TrafficRow[]; truncated: boolean }> {
    return (await this.ready()).call('experimentTraffic', q);
  }

  /** Spans in the session's memory index (no disk). */
  liveSpans(query?: LiveQuery): Span[] {
    return this.live.spans(query);
  }

  subscribe(listener: SpanListener, options?: SubscribeOptions): () => void {
    return this.subscriptions.subscribe(listener, options);
  }

  // Run history (./history.ts): a run is one `clnrm run` or studio Run, an execution one scenario once.
  // With a mirror, each write is copied once the local one succeeded (a failed copy rejects).
  async recordRun(run: RunRecord): Promise<void> {
    await (await this.ready()).call('recordRun', run);
    await this.options.mirror?.recordRun(run);
  }
  /** Merges `patch` into the stored run (its end, verdict and counts); throws `store.not-found` for an unknown id. */
  async finishRun(id: string, patch: Partial<RunRecord>): Promise<RunRecord> {
    const run = await (await this.ready()).call('finishRun', id, patch);
    await this.options.mirror?.finishRun(id, patch);
    return run;
  }
  async recordExecution(execution: ExecutionRecord): Promise<void> {
    await (await this.ready()).call('recordExecution', execution);
    await this.options.mirror?.recordExecution(execution);
  }
  async finishExecution(id: string, patch: Partial<ExecutionRecord>): Promise<ExecutionRecord> {
    const execution = await (await this.ready()).call('finishExecution', id, patch);
    await this.options.mirror?.finishExecution(id, patch);
    return execution;
  }
  async addContainerStats(rows: ContainerStatsRow[]): Promise<void> {
    await (await this.ready()).call('addContainerStats', rows);
    await this.options.mirror?.addContainerStats(rows);
  }
  async containerStats(executionId: string): Promise<ContainerStatsRow[]> {
    return (await this.ready()).call('containerStats', executionId);
  }
  /** Runs with their executions, newest first. */
  async listRuns(query: RunQuery = {}): Promise<RunHistoryEntry[]> {
    return (await this.ready()).call('listRuns', query);
  }
  async getRun(id: string): Promise<RunHistoryEntry | undefined> {
    return (await this.ready()).call('getRun', id);
  }

  // Latency baselines (./baselines.ts). With a mirror (a run whose studio holds the folder), the studio's
  // store is the one that keeps them: saved to both, read from the studio's.
  async saveBaseline(baseline: BaselineRecord): Promise<void> {
    await (await this.ready()).call('saveBaseline', baseline);
    await this.options.mirror?.saveBaseline(baseline);
  }
  /** Newest first; every query field narrows. */
  async listBaselines(query: BaselineQuery = {}): Promise<BaselineRecord[]> {
    if (this.options.mirror) return this.options.mirror.listBaselines(query);
    return (await this.ready()).call('listBaselines', query);
  }
  async deleteBaseline(id: string): Promise<boolean> {
    return (await this.ready()).call('deleteBaseline', id);
  }

  /** Fault windows (kept in executions' evidence, ./fault-windows.ts) overlapping a time range. */
  async faultWindows(query: FaultWindowQuery): Promise<{ windows: StoredFaultWindow[]; truncated: boolean }> {
    return (await this.ready()).call('faultWindows', query);
  }

  /** Removes every stored span (runs and executions are kept: they are history). */
  async clear(): Promise<void> {
    await (await this.ready()).call('clear');
    this.live.clear();
    this.storedBytes = 0;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    clearInterval(this.timer);
    this.flush();
    await this.pruning;
    // Everything copied (or given up on) before the store says it is closed.
    await this.options.mirror?.drain();
    this.disposed = true;
    this.subscriptions.clear();
    try {
      await this.backend.close();
    } catch (error) {
      this.report(error);
    }
  }

  private async ready(): Promise<StoreBackend> {
    if (this.disposed) throw new StudioError({ code: 'store.failed', message: 'The trace store is closed.' });
    this.flush();
    await this.pruning;
    return this.backend;
  }

  /** Deletes the oldest traces until stored data is under 90 % of the cap. */
  private async prune(): Promise<void> {
    const cap = this.options.maxBytes ?? DEFAULT_MAX_BYTES;
    const excess = this.storedBytes - Math.floor(cap * 0.9);
    if (excess <= 0) return;
    const { ids, bytes } = await this.backend.call('prune', excess);
    if (ids.length === 0) return;
    this.storedBytes = bytes;
    this.live.remove(ids);
  }

  private report(error: unknown): void {
    this.options.onError?.(error);
  }
}

export function openStore(options: StoreOptions = {}): Promise<TraceStore> {
  return TraceStore.open(options);
}
