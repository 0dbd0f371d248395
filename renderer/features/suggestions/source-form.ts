// The "Learn from" form's traces source as the user typed it (./SourcePicker.tsx): pure, so it is
// tested without a page.
import type { SuggestionLearnSource } from '../../../shared/ipc/contract';

/** Trace ids as typed: separated by spaces, commas or new lines; lower-cased (ids are hex). */
export function typedTraceIds(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .filter((t) => t.length > 0)
    .map((t) => t.toLowerCase());
}

/** The traces source from the form: the open trace first (when ticked), then the typed ids, each once. */
export function tracesSource(openTraceId: string | undefined, useOpen: boolean, typed: string): Extract<SuggestionLearnSource, { kind: 'traces' }> {
  const ids = [...(useOpen && openTraceId ? [openTraceId] : []), ...typedTraceIds(typed)];
  return { kind: 'traces', traceIds: [...new Set(ids)] };
}
