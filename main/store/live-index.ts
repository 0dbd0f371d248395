// The session's in-memory index: what arrived since the store opened, by trace id, service, span
// name and run/execution/scenario tag, so the UI and the runner can look without touching disk. Bounded:
// past `maxSpans` the oldest traces (by arrival) leave the index; they stay in DuckDB.
//
// Spans are kept as the bytes of their Span messages (one buffer per request, outside the JS heap)
// and decoded the first time a query reaches them. Keeping the decoded objects of every span that
// arrives made each one survive the young generation: ~7 CPU µs per span of garbage collection
// on the receiving thread (bench:store, "live index add"), more than decoding it.
import type { InstrumentationScope, Resource, Span } from '../../shared/model';
import { decodeSpanMessage, type SpanWire } from '../../shared/otlp';
import { executionIdOf, runIdOf, scenarioOf } from './schema';

export interface LiveQuery {
  traceId?: string;
  service?: string;
  spanName?: string;
  /** Spans tagged with this run (`clnrm.run_id`). */
  runId?: string;
  /** Spans tagged with this scenario execution (`clnrm.execution_id`). */
  executionId?: string;
  scenario?: string;
}

/** One request's spans as kept: their messages, and each one's resource and scope. */
interface KeptBatch {
  wire: SpanWire;
  resources: readonly Resource[];
  scopes: readonly InstrumentationScope[];
}

/** A trace's spans in arrival order: the first `decoded.length` decoded, the rest still bytes. */
interface LiveTrace {
  batches: KeptBatch[];
  indexes: number[];
  decoded: Span[];
  /** The index keys this trace is filed under (to unfile it). */
  keys: Array<[Key, string]>;
}

type Key = 'service' | 'spanName' | 'runId' | 'executionId' | 'scenario';

export class LiveIndex {
  private readonly traces = new Map<string, LiveTrace>();
  private readonly byKey: Record<Key, Map<string, Set<string>>> = {
    service: new Map(),
    spanName: new Map(),
    runId: new Map(),
    executionId: new Map(),
    scenario: new Map(),
  };
  private spanCount = 0;

  constructor(private readonly maxSpans: number) {}

  get size(): { spans: number; traces: number } {
    return { spans: this.spanCount, traces: this.traces.size };
  }

  /** `wire` holds the spans' messages (the index keeps it: it must not change afterwards). */
  add(spans: readonly Span[], wire: SpanWire): void {
    const batch: KeptBatch = { wire, resources: spans.map((s) => s.resource), scopes: spans.map((s) => s.scope) };
    spans.forEach((span, i) => {
      let trace = this.traces.get(span.traceId);
      if (!trace) {
        trace = { batches: [], indexes: [], decoded: [], keys: [] };
        this.traces.set(span.traceId, trace);
      }
      trace.batches.push(batch);
      trace.indexes.push(i);
      this.spanCount++;
      this.tag(trace, 'service', span.serviceName, span.traceId);
      this.tag(trace, 'spanName', span.name, span.traceId);
      const runId = runIdOf(span);
      if (runId !== undefined) this.tag(trace, 'runId', runId, span.traceId);
      const executionId = executionIdOf(span);
      if (executionId !== undefined) this.tag(trace, 'executionId', executionId, span.traceId);
      const scenario = scenarioOf(span);
      if (scenario !== undefined) this.tag(trace, 'scenario', scenario, span.traceId);
    });
    this.evict();
  }

  /** Spans matching every given field (an empty query matches everything in the index). */
  spans(query: LiveQuery = {}): Span[] {
    let traceIds: Iterable<string>;
    if (query.traceId !== undefined) traceIds = this.traces.has(query.traceId) ? [query.traceId] : [];
    else {
      let narrowest: Set<string> | undefined;
      for (const key of ['executionId', 'runId', 'scenario', 'service', 'spanName'] as const) {
        const value = query[key];
        if (value === undefined) continue;
        const set = this.byKey[key].get(value) ?? new Set<string>();
        if (!narrowest || set.size < narrowest.size) narrowest = set;
      }
      traceIds = narrowest ?? this.traces.keys();
    }
    const out: Span[] = [];
    for (const id of traceIds) {
      for (const span of this.trace(id)) {
        if (query.service !== undefined && span.serviceName !== query.service) continue;
        if (query.spanName !== undefined && span.name !== query.spanName) continue;
        if (query.runId !== undefined && runIdOf(span) !== query.runId) continue;
        if (query.executionId !== undefined && executionIdOf(span) !== query.executionId) continue;
        if (query.scenario !== undefined && scenarioOf(span) !== query.scenario) continue;
        out.push(span);
      }
    }
    return out;
  }

  trace(traceId: string): readonly Span[] {
    const trace = this.traces.get(traceId);
    if (!trace) return [];
    // Decoded once, then kept: a trace someone looked at is likely to be looked at again.
    for (let i = trace.decoded.length; i < trace.indexes.length; i++) {
      const batch = trace.batches[i]!;
      const at = trace.indexes[i]!;
      const bytes = batch.wire.bytes.subarray(batch.wire.ranges[2 * at], batch.wire.ranges[2 * at + 1]);
      trace.decoded.push(decodeSpanMessage(bytes, batch.resources[at]!, batch.scopes[at]!));
    }
    return trace.decoded;
  }

  traceIds(): string[] {
    return [...this.traces.keys()];
  }

  remove(traceIds: Iterable<string>): void {
    for (const id of traceIds) this.drop(id);
  }

  clear(): void {
    this.traces.clear();
    for (const map of Object.values(this.byKey)) map.clear();
    this.spanCount = 0;
  }

  private tag(trace: LiveTrace, key: Key, value: string, traceId: string): void {
    const map = this.byKey[key];
    let set = map.get(value);
    if (!set) {
      set = new Set();
      map.set(value, set);
    }
    if (set.has(traceId)) return;
    set.add(traceId);
    trace.keys.push([key, value]);
  }

  private drop(traceId: string): void {
    const trace = this.traces.get(traceId);
    if (!trace) return;
    this.traces.delete(traceId);
    this.spanCount -= trace.indexes.length;
    for (const [key, value] of trace.keys) this.untag(key, value, traceId);
  }

  private untag(key: Key, value: string, traceId: string): void {
    const set = this.byKey[key].get(value);
    if (!set) return;
    set.delete(traceId);
    if (set.size === 0) this.byKey[key].delete(value);
  }

  private evict(): void {
    // Map iteration order is insertion order: the first keys are the oldest traces.
    while (this.spanCount > this.maxSpans && this.traces.size > 1) {
      const oldest = this.traces.keys().next().value as string;
      this.drop(oldest);
    }
  }
}
