// The session's in-memory index: what arrived since the store opened, by trace id, service, span
// name and run/execution/scenario tag, so the UI and the runner can look without touching disk. Bounded:
// past `maxSpans` the oldest traces (by arrival) leave the index; they stay in DuckDB.
import type { Span } from '../../shared/model';
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

type Key = 'service' | 'spanName' | 'runId' | 'executionId' | 'scenario';

export class LiveIndex {
  private readonly traces = new Map<string, Span[]>();
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

  add(spans: readonly Span[]): void {
    for (const span of spans) {
      let list = this.traces.get(span.traceId);
      if (!list) {
        list = [];
        this.traces.set(span.traceId, list);
      }
      list.push(span);
      this.spanCount++;
      this.tag('service', span.serviceName, span.traceId);
      this.tag('spanName', span.name, span.traceId);
      const runId = runIdOf(span);
      if (runId !== undefined) this.tag('runId', runId, span.traceId);
      const executionId = executionIdOf(span);
      if (executionId !== undefined) this.tag('executionId', executionId, span.traceId);
      const scenario = scenarioOf(span);
      if (scenario !== undefined) this.tag('scenario', scenario, span.traceId);
    }
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
      for (const span of this.traces.get(id) ?? []) {
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
    return this.traces.get(traceId) ?? [];
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

  private tag(key: Key, value: string, traceId: string): void {
    const map = this.byKey[key];
    let set = map.get(value);
    if (!set) {
      set = new Set();
      map.set(value, set);
    }
    set.add(traceId);
  }

  private drop(traceId: string): void {
    const list = this.traces.get(traceId);
    if (!list) return;
    this.traces.delete(traceId);
    this.spanCount -= list.length;
    for (const span of list) {
      this.untag('service', span.serviceName, traceId);
      this.untag('spanName', span.name, traceId);
      const runId = runIdOf(span);
      if (runId !== undefined) this.untag('runId', runId, traceId);
      const executionId = executionIdOf(span);
      if (executionId !== undefined) this.untag('executionId', executionId, traceId);
      const scenario = scenarioOf(span);
      if (scenario !== undefined) this.untag('scenario', scenario, traceId);
    }
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
