// Waiting on spans: "is the trace of this execution complete?" (no new span for a quiet period, with an
// upper bound) and the `wait_for_span` feed the Docker layer's span wait strategy calls.
import type { Receiver } from '../receiver';
import type { TraceStore } from '../store';
import type { SpanWaiter } from '../docker';
import { findAttribute, toText, type Span } from '../../shared/model';

export function spanRunId(span: Span): string | undefined {
  const value = findAttribute(span.resource.attributes, 'clnrm.run_id');
  return value === undefined ? undefined : toText(value);
}

export interface QuietOptions {
  /**
   * No new span for this long means complete. Default 150: the runner waits only after every
   * container of the execution has stopped (SDKs flush on SIGTERM before exiting), so what can still
   * arrive is a request already on the wire, not a span still to be produced.
   */
  readonly quietMs?: number;
  /** Give up waiting (and evaluate what arrived) after this long. Default 5000. */
  readonly maxWaitMs?: number;
  readonly signal?: AbortSignal;
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves once spans for `runId` stopped arriving for `quietMs` (or `maxWaitMs` passed). Returns
 * whether it settled (false: the bound hit while spans still arrived).
 */
export async function waitForQuiet(store: TraceStore, receiver: Receiver, runId: string, options: QuietOptions = {}): Promise<boolean> {
  const quietMs = options.quietMs ?? 150;
  const deadline = Date.now() + (options.maxWaitMs ?? 5000);
  let count = -1;
  let since = Date.now();
  while (!options.signal?.aborted) {
    // Spans already accepted by the receiver but not yet in the store count as "still arriving".
    const now = store.live.spans({ runId }).length + receiver.queued;
    if (now !== count) {
      count = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return true;
    }
    if (Date.now() >= deadline) return false;
    await tick(50);
  }
  return false;
}

/** `wait_for_span`: resolves when a span with that name arrives for the run (already there counts). */
export function storeSpanWaiter(store: TraceStore): SpanWaiter {
  return ({ runId, spanName, signal }) =>
    new Promise<void>((resolve) => {
      if (store.live.spans({ runId, spanName }).length > 0) return resolve();
      const unsubscribe = store.subscribe(
        () => {
          done();
        },
        { filter: (span) => span.name === spanName && spanRunId(span) === runId },
      );
      const done = () => {
        unsubscribe();
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
    });
}
