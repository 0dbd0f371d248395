// Hands every span of one execution to the plugins' `onSpan` as it arrives (the store's live
// subscription), and on `close()` the ones the subscription had not delivered yet, so each span reaches
// the plugins exactly once before the execution's expectations are evaluated.
import type { Span } from '../../shared/model';
import type { ExecutionInfo } from '../../shared/plugins';
import type { TraceStore } from '../store';
import type { RunHooks } from './hooks';

export interface SpanFeed {
  /** Delivers what is left of `spans` (the execution's complete list) and stops listening. */
  close(spans: readonly Span[]): void;
}

export function feedSpans(store: TraceStore, hooks: RunHooks, execution: ExecutionInfo, belongs: (span: Span) => boolean): SpanFeed {
  if (hooks.empty) return { close: () => undefined };
  const delivered = new Set<string>();
  let open = true;
  const deliver = (span: Span): void => {
    const key = `${span.traceId}:${span.spanId}`;
    if (delivered.has(key)) return;
    delivered.add(key);
    hooks.span(span, execution);
  };
  const unsubscribe = store.subscribe(
    ({ spans }) => {
      if (open) for (const span of spans) deliver(span);
    },
    { filter: belongs },
  );
  return {
    close: (spans) => {
      open = false;
      unsubscribe();
      for (const span of spans) deliver(span);
    },
  };
}
