// The bounded queue between the receiver and the store: decoded spans wait here for the sink.
// When it holds `maxSpans` the receiver refuses new requests (HTTP 429 / gRPC UNAVAILABLE) instead
// of growing memory, and the exporter retries later.
import type { Span } from '../../shared/model';

export type SpanSink = (spans: Span[]) => void | Promise<void>;

export class IngestQueue {
  private batches: Span[][] = [];
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
  offer(spans: Span[]): boolean {
    if (spans.length === 0) return true;
    // A single request larger than the bound is still accepted when the queue is empty, so a big
    // but legal payload can never be refused forever.
    if (this.queued > 0 && this.queued + spans.length > this.maxSpans) return false;
    this.batches.push(spans);
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
        // Hand everything waiting over as one batch: fewer sink calls under load.
        const batches = this.batches;
        this.batches = [];
        const spans = batches.length === 1 ? batches[0]! : batches.flat();
        try {
          await this.sink(spans);
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
