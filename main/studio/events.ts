// Pushing the contract's events to every connected UI (Electron windows, browser-mode sockets).
// Each payload is checked against the contract once, then handed to every client. Span arrivals
// come from the store subscription: while clients are still sending the previous batch, new spans
// coalesce in the store's subscriber (its bounded buffer is the backpressure), so a flood of spans
// becomes a few large `spansAdded` events rather than thousands of small ones.
import type { EventName, EventPayload } from '../../shared/ipc/contract';
import { checkEvent } from '../../shared/ipc/validate';
import { summarizeTraces } from '../../shared/trace/summary';
import type { Span } from '../../shared/model';
import type { SpanBatch, TraceStore } from '../store';

export interface EventClient {
  /** Delivers one validated event. May resolve when the client has taken it (its send buffer drained). */
  send(event: EventName, payload: unknown): void | Promise<void>;
}

export class EventHub {
  private readonly clients = new Set<EventClient>();

  constructor(private readonly onError: (error: unknown) => void = () => undefined) {}

  get size(): number {
    return this.clients.size;
  }

  /** Adds a client; returns the function that removes it. */
  connect(client: EventClient): () => void {
    this.clients.add(client);
    return () => this.clients.delete(client);
  }

  /** Validates and sends to every client; resolves when every client has taken it. */
  async emit<E extends EventName>(event: E, payload: EventPayload<E>): Promise<void> {
    const checked = checkEvent(event, payload);
    if (!checked.ok) {
      this.onError(new Error(checked.error.message));
      return;
    }
    await Promise.all(
      [...this.clients].map(async (client) => {
        try {
          await client.send(event, checked.value);
        } catch (error) {
          this.onError(error);
        }
      }),
    );
  }

  clear(): void {
    this.clients.clear();
  }
}

/** Shortest time between two `spansAdded` events (the UI re-renders at most this often). */
const FRAME_MS = 50;
/** Most spans per `spansAdded` event. */
const MAX_BATCH = 5000;
/** Spans held for slow clients before they are dropped (the UI is told how many and refetches). */
const MAX_PENDING = 100_000;

/**
 * Forwards stored spans as `spansAdded` events with the summaries of the traces they touched
 * (computed from the store's live index, so a trace that grows is re-summarised as a whole).
 */
export function forwardSpans(store: TraceStore, hub: EventHub): () => void {
  return store.subscribe(
    async (batch: SpanBatch) => {
      if (hub.size === 0) return;
      const byTrace = new Map<string, Span[]>();
      for (const span of batch.spans) {
        const list = byTrace.get(span.traceId);
        if (list) list.push(span);
        else byTrace.set(span.traceId, [span]);
      }
      const spans: Span[] = [];
      for (const [traceId, fromBatch] of byTrace) {
        const live = store.liveSpans({ traceId });
        // A trace already evicted from the live index is summarised from this batch alone.
        for (const span of live.length > 0 ? live : fromBatch) spans.push(span);
      }
      await hub.emit('spansAdded', { spanCount: batch.spans.length + batch.missed, traces: summarizeTraces(spans) });
      // At most one event per frame: spans arriving meanwhile coalesce in the store's subscriber.
      await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
    },
    { maxBatch: MAX_BATCH, maxPending: MAX_PENDING },
  );
}
