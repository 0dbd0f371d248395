// The bounded queue between the receiver and the store: decoded spans wait here for the sink.
// When it holds `maxSpans` the receiver refuses new requests (HTTP 429 / gRPC UNAVAILABLE) instead
// of growing memory, and the exporter retries later.
import type { Span } from '../../shared/model';
import type { SpanWire } from '../../shared/otlp';

/** Takes one request's spans; `wire` holds their original protobuf Span messages when they came as protobuf. */
export type SpanSink = (spans: Span[], wire?: SpanWire) => void | Promise<void>;

interface Batch {
  spans: Span[];
  wire: SpanWire | undefined;
}

export class IngestQueue {
  private batches: Batch[] = [];
  private queued = 0;
  private draining = false;
  private scheduled = false;
  private idleWaiters: Array<() => void> = [];
  delivered = 0;
  sinkErrors = 0;
  private failingUntil = 0;

  constructor(
    private readonly sink: SpanSink,
    readonly maxSpans: number,
    private readonly onError: (error: unknown) => void,
    /** After a failed hand-over, refuse new spans this long, then let one request try again. */
    private readonly failureBackoffMs = 1000,
  ) {}

  /** The last hand-over to the sink failed recently (store closed or broken): refuse for now. */
  get failing(): boolean {
    return this.failingUntil > Date.now();
  }

  get size(): number {
    return this.queued;
  }

  /** False (and nothing queued) when the spans would overflow the bound. */
  offer(spans: Span[], wire?: SpanWire): boolean {
    if (spans.length === 0) return true;
    // A single request larger than the bound is still accepted when the queue is empty, so a big
    // but legal payload can never be refused forever.
    if (this.queued > 0 && this.queued + spans.length > this.maxSpans) return false;
    this.batches.push({ spans, wire });
    this.queued += spans.length;
    this.schedule();
    return true;
  }

  /** Resolves once every queued span has reached the sink. */
  idle(): Promise<void> {
    if (this.queued === 0 && !this.draining) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
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
        const { spans, wire } = this.batches.shift()!;
        try {
          await this.sink(spans, wire);
          this.delivered += spans.length;
          this.failingUntil = 0;
        } catch (error) {
          this.sinkErrors += spans.length;
          this.failingUntil = Date.now() + this.failureBackoffMs;
          this.onError(error);
        }
        this.queued -= spans.length;
      }
    } finally {
      this.draining = false;
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
