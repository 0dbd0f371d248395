// Pushing new spans to listeners in batches with backpressure: each subscriber has a bounded
// pending buffer; while its listener is busy, spans coalesce into the next batch, and past the
// bound they are dropped and counted so the subscriber is told "you missed N, refetch".
import type { Span } from '../../shared/model';

export interface SpanBatch {
  spans: Span[];
  /** Spans dropped for this subscriber since its last batch (it was too slow): refetch with queries. */
  missed: number;
}

export type SpanListener = (batch: SpanBatch) => void | Promise<void>;

export interface SubscribeOptions {
  /** Most spans per delivered batch (default 1000). */
  maxBatch?: number;
  /** Most spans held for a busy subscriber before dropping (default 20,000). */
  maxPending?: number;
  /** Only spans for which this returns true. */
  filter?: (span: Span) => boolean;
}

class Subscriber {
  private pending: Span[] = [];
  private missed = 0;
  private busy = false;
  private scheduled = false;
  closed = false;
  private readonly maxBatch: number;
  private readonly maxPending: number;

  constructor(
    private readonly listener: SpanListener,
    private readonly options: SubscribeOptions,
    private readonly onError: (error: unknown) => void,
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 1000);
    this.maxPending = Math.max(this.maxBatch, options.maxPending ?? 20_000);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  offer(spans: readonly Span[]): void {
    if (this.closed) return;
    const filter = this.options.filter;
    for (const span of spans) {
      if (filter && !filter(span)) continue;
      if (this.pending.length >= this.maxPending) this.missed++;
      else this.pending.push(span);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.busy || this.scheduled || (this.pending.length === 0 && this.missed === 0)) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.deliver();
    });
  }

  private async deliver(): Promise<void> {
    if (this.closed || this.busy) return;
    const spans = this.pending.length <= this.maxBatch ? this.pending : this.pending.slice(0, this.maxBatch);
    this.pending = spans === this.pending ? [] : this.pending.slice(this.maxBatch);
    const missed = this.missed;
    this.missed = 0;
    if (spans.length === 0 && missed === 0) return;
    this.busy = true;
    try {
      await this.listener({ spans, missed });
    } catch (error) {
      this.onError(error);
    } finally {
      this.busy = false;
      this.schedule();
    }
  }
}

export class Subscriptions {
  private readonly subscribers = new Set<Subscriber>();

  constructor(private readonly onError: (error: unknown) => void) {}

  subscribe(listener: SpanListener, options: SubscribeOptions = {}): () => void {
    const subscriber = new Subscriber(listener, options, this.onError);
    this.subscribers.add(subscriber);
    return () => {
      subscriber.closed = true;
      this.subscribers.delete(subscriber);
    };
  }

  publish(spans: readonly Span[]): void {
    for (const s of this.subscribers) s.offer(spans);
  }

  /** Spans waiting across all subscribers (for tests and diagnostics). */
  get pendingCount(): number {
    let n = 0;
    for (const s of this.subscribers) n += s.pendingCount;
    return n;
  }

  clear(): void {
    for (const s of this.subscribers) s.closed = true;
    this.subscribers.clear();
  }
}
