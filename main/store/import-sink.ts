// Where a streamed import's spans go (./import-run.ts): batched into the store, skipping those it
// (or this file, earlier) already holds, with the figures the import's result and progress report.
import { StudioError } from '../../shared/errors';
import type { Span } from '../../shared/model';
import type { ImportResult } from './import-export';
import type { TraceStore } from './trace-store';

const BATCH = 5000;

export class ImportSink {
  read = 0;
  private imported = 0;
  private duplicates = 0;
  private pending: Span[] = [];
  private readonly inFile = new Set<string>();
  /** Spans stored by a reading that was given up, met again by the reading that replaces it. */
  private replayed = new Set<string>();
  private readonly storedBefore = new Set<string>();
  readonly traceIds = new Set<string>();
  private readonly newTraces = new Set<string>();

  constructor(
    private readonly store: TraceStore,
    private readonly file: string,
  ) {}

  async add(spans: readonly Span[]): Promise<void> {
    for (const span of spans) this.pending.push(span);
    this.read += spans.length;
    if (this.pending.length >= BATCH) await this.store_();
  }

  /** Stores what was read so far if nothing is stored yet: a large file's trace is listed (and its first rows shown) early. */
  async storeFirstSpans(): Promise<void> {
    if (this.imported === 0) await this.store_();
  }

  /**
   * The file is read again from its start in another way (one document turned out to be JSON
   * Lines): the spans stored so far are passed over once, without counting them twice.
   */
  async rewind(): Promise<void> {
    await this.store_();
    for (const key of this.inFile) this.replayed.add(key);
    this.read = 0;
  }

  /** Stores the last batch and resolves once every span is durable and visible to queries. */
  async finish(format: ImportResult['format'], warnings: ImportResult['warnings']): Promise<ImportResult> {
    await this.store_();
    await this.store.commit();
    return { file: this.file, format, imported: this.imported, duplicates: this.duplicates, traces: this.newTraces.size, traceIds: [...this.traceIds], warnings };
  }

  /** Stores the spans read before an error and says what became of them: they stay, and a second import skips them. */
  async explain(error: unknown): Promise<unknown> {
    if (!(error instanceof StudioError)) return error;
    await this.store_().catch(() => undefined); // a store that fails now keeps what it had
    if (this.imported === 0) return error;
    const kept = ` The ${this.imported} spans read before it were imported and stay in the store; importing the fixed file again adds only the rest.`;
    return new StudioError({ ...error.problem, message: error.problem.message + kept });
  }

  private async store_(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    // What the store held before this import, asked once per trace (a later batch of the same
    // trace would otherwise fetch back every span this import stored).
    const unseen = [...new Set(batch.map((s) => s.traceId))].filter((id) => !this.traceIds.has(id));
    for (const id of unseen) this.traceIds.add(id);
    if (unseen.length > 0) for (const key of await this.store.storedSpanKeys(unseen)) this.storedBefore.add(key);
    const fresh: Span[] = [];
    for (const span of batch) {
      const key = `${span.traceId}:${span.spanId}`;
      if (this.replayed.delete(key)) continue;
      if (this.storedBefore.has(key) || this.inFile.has(key)) this.duplicates++;
      else {
        this.inFile.add(key);
        this.newTraces.add(span.traceId);
        fresh.push(span);
      }
    }
    this.store.ingest(fresh);
    this.store.flush();
    this.imported += fresh.length;
    // A writer thread that falls behind holds the reader back (backpressure).
    await this.store.writable();
  }
}
