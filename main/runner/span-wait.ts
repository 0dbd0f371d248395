// Waiting on spans: "is the trace of this execution complete?" (no new span for a quiet period, with an
// upper bound) and the `wait_for_span` feed the Docker layer's span wait strategy calls.
import type { Receiver } from '../receiver';
import type { TraceStore } from '../store';
import type { SpanWaiter } from '../docker';
import { findAttribute, toText, type Span } from '../../shared/model';
import { isRunnerSpan } from './self-trace';

/** The scenario execution a span belongs to (`clnrm.execution_id`). */
export function spanExecutionId(span: Span): string | undefined {
  const value = findAttribute(span.resource.attributes, 'clnrm.execution_id');
  return value === undefined ? undefined : toText(value);
}

/** The system's spans of one execution as the store holds them now (the runner's own are kept by ExecutionTrace). */
export function executionSpans(store: TraceStore, executionId: string): Span[] {
  // The runner's own spans of the execution carry its id too.
  return store.live.spans({ executionId }).filter((span) => !isRunnerSpan(span));
}

/** Whether a span arriving now belongs to the execution (the system's or the runner's own). */
export function belongsToExecution(executionId: string): (span: Span) => boolean {
  return (span) => spanExecutionId(span) === executionId;
}

export interface QuietOptions {
  /**
   * No new span for this long means complete. Default 60. The runner waits only after every container
   * of the execution has stopped, and OTel SDKs export on shutdown and wait for the answer before the
   * process exits, so by then the spans are in the receiver; the quiet period only catches a request
   * still on the wire from a sender that did not wait.
   */
  readonly quietMs?: number;
  /** Give up waiting (and evaluate what arrived) after this long. Default 5000. */
  readonly maxWaitMs?: number;
  readonly signal?: AbortSignal;
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves once the receiver has handed every accepted span to the store and spans of execution `executionId` then
 * stopped arriving for `quietMs` (or `maxWaitMs` passed). Returns whether it settled (false: the bound
 * hit while spans still arrived).
 */
export async function waitForQuiet(store: TraceStore, receiver: Receiver, executionId: string, options: QuietOptions = {}): Promise<boolean> {
  const quietMs = options.quietMs ?? 60;
  const maxWaitMs = options.maxWaitMs ?? 5000;
  const deadline = Date.now() + maxWaitMs;
  let bound: NodeJS.Timeout | undefined;
  await Promise.race([receiver.drained(), new Promise((r) => (bound = setTimeout(r, maxWaitMs)))]);
  clearTimeout(bound);
  let count = -1;
  let since = Date.now();
  while (!options.signal?.aborted) {
    // Spans already accepted by the receiver but not yet in the store count as "still arriving".
    const now = store.live.spans({ executionId }).length + receiver.queued;
    if (now !== count) {
      count = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return true;
    }
    if (Date.now() >= deadline) return false;
    await tick(Math.min(25, quietMs));
  }
  return false;
}

/** `wait_for_span`: resolves when a span with that name arrives for the run (already there counts). */
export function storeSpanWaiter(store: TraceStore): SpanWaiter {
  return ({ executionId, spanName, signal }) =>
    new Promise<void>((resolve) => {
      // The Docker layer's run identity is the execution's.
      if (store.live.spans({ executionId, spanName }).length > 0) return resolve();
      const unsubscribe = store.subscribe(
        () => {
          done();
        },
        { filter: (span) => span.name === spanName && spanExecutionId(span) === executionId },
      );
      const done = () => {
        unsubscribe();
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
    });
}
