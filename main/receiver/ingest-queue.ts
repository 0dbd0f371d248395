// The bounded queue between the receiver and the store. A request is first *admitted* by its size
// in bytes (before it is decoded, so a burst of large requests cannot all be decoded into memory
// at once), then its decoded spans wait here for the sink. Over either bound the receiver refuses
// (HTTP 429 / gRPC UNAVAILABLE) and the exporter retries later.
//
// Acknowledgement: with a `commit` function (durable, the default of `collect` and `studio`) an
// offer settles only once a commit issued after its spans' hand-over resolved. One commit is in
// flight at a time; hand-overs go on meanwhile, and the next commit covers everything handed over
// since (group commit): concurrent requests share a commit instead of each paying for one, and
// the store appends while it commits. Without it (`--ack=queued`) an offer settles when queued.
import type { Span } from '../../shared/model';
import type { SpanWire } from '../../shared/otlp';

/** Takes one request's spans; `wire` holds their original protobuf Span messages when they came as protobuf. */
export type SpanSink = (spans: Span[], wire?: SpanWire) => void | Promise<void>;

export interface IngestQueueOptions {
  /** Spans that may wait for the sink. */
  maxSpans: number;
  /** Request bytes that may be admitted (being decoded, queued or awaiting their commit). */
  maxBytes: number;
  /** Makes what the sink took durable; offers settle after it. Absent: they settle when queued. */
  commit?: () => Promise<void>;
  onError: (error: unknown) => void;
  /** After a failed hand-over, refuse new spans this long, then let one request try again. */
  failureBackoffMs?: number;
}

/** A request's place in the byte budget; released when the request is answered. */
export interface Admission {
  release(): void;
}

interface Batch {
  spans: Span[];
  wire: SpanWire | undefined;
  stored: { resolve: () => void; reject: (error: unknown) => void };
}

/** A batch handed over, awaiting its commit: only its count, so its spans and bytes can be collected meanwhile. */
interface HandedOver {
  count: number;
  stored: Batch['stored'];
}

export class IngestQueue {
  private batches: Batch[] = [];
  private queued = 0;
  private admittedBytes = 0;
  private draining = false;
  private scheduled = false;
  /** Handed over, waiting for the next commit. */
  private uncommitted: HandedOver[] = [];
  private committing = false;
  private idleWaiters: Array<() => void> = [];
  delivered = 0;
  sinkErrors = 0;
  private failingUntil = 0;

  constructor(
    private readonly sink: SpanSink,
    private readonly options: IngestQueueOptions,
  ) {}

  get maxSpans(): number {
    return this.options.maxSpans;
  }

  /** True when offers settle only after a commit. */
  get durable(): boolean {
    return this.options.commit !== undefined;
  }

  /** The last hand-over to the sink failed recently (store closed or broken): refuse for now. */
  get failing(): boolean {
    return this.failingUntil > Date.now();
  }

  get size(): number {
    return this.queued;
  }

  /** Bytes of the requests admitted and not yet answered. */
  get bytes(): number {
    return this.admittedBytes;
  }

  /**
   * A place for a request of `bytes` (undefined: over the budget, refuse it undecoded). One
   * request larger than the whole budget is still admitted when nothing else is, so a big but
   * legal payload can never be refused forever.
   */
  admit(bytes: number): Admission | undefined {
    if (this.admittedBytes > 0 && this.admittedBytes + bytes > this.options.maxBytes) return undefined;
    this.admittedBytes += bytes;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.admittedBytes -= bytes;
      },
    };
  }

  /**
   * Undefined (and nothing queued) when the spans would overflow the bound; otherwise a promise
   * that settles when they are stored (durable) or at once (queued), and rejects when the store
   * could not take them.
   */
  offer(spans: Span[], wire?: SpanWire): Promise<void> | undefined {
    if (spans.length === 0) return Promise.resolve();
    if (this.queued > 0 && this.queued + spans.length > this.options.maxSpans) return undefined;
    let stored!: Batch['stored'];
    const settled = new Promise<void>((resolve, reject) => (stored = { resolve, reject }));
    this.batches.push({ spans, wire, stored });
    this.queued += spans.length;
    this.schedule();
    if (!this.durable) {
      stored.resolve();
      // Queued mode answers now; a later store failure is reported through onError only.
      settled.catch(() => undefined);
    }
    return settled;
  }

  /** Resolves once every queued span has reached the sink (and, durable, its commit). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.queued === 0 && !this.draining && !this.committing;
  }

  private wakeIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private schedule(): void {
    if (this.draining || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.batches.length > 0) {
        // One request's spans per sink call, in arrival order: each keeps its own span bytes.
        const batch = this.batches.shift()!;
        if (!(await this.handOver(batch))) this.queued -= batch.spans.length;
        else if (this.options.commit) {
          this.uncommitted.push({ count: batch.spans.length, stored: batch.stored });
          this.commitNext();
        } else this.queued -= batch.spans.length;
      }
    } finally {
      this.draining = false;
    }
    this.wakeIdle();
  }

  /** Starts a commit for everything handed over so far, unless one is under way (it starts the next). */
  private commitNext(): void {
    if (this.committing || this.uncommitted.length === 0) return;
    this.committing = true;
    const group = this.uncommitted.splice(0);
    void this.commitGroup(group).finally(() => {
      for (const b of group) this.queued -= b.count;
      this.committing = false;
      this.commitNext();
      this.wakeIdle();
    });
  }

  /** One request's spans to the sink (each keeps its own span bytes); false when the sink failed. */
  private async handOver(batch: Batch): Promise<boolean> {
    try {
      await this.sink(batch.spans, batch.wire);
      this.delivered += batch.spans.length;
      this.failingUntil = 0;
      return true;
    } catch (error) {
      this.fail(batch.spans.length, error);
      batch.stored.reject(error);
      return false;
    }
  }

  private async commitGroup(batches: HandedOver[]): Promise<void> {
    try {
      await this.options.commit!();
      for (const b of batches) b.stored.resolve();
    } catch (error) {
      this.fail(
        batches.reduce((n, b) => n + b.count, 0),
        error,
      );
      for (const b of batches) b.stored.reject(error);
    }
  }

  private fail(spans: number, error: unknown): void {
    this.sinkErrors += spans;
    this.failingUntil = Date.now() + (this.options.failureBackoffMs ?? 1000);
    this.options.onError(error);
  }
}
