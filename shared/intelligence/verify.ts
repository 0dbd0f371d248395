// Judges suggestions with the real expectation engine: builds the configuration they would add to a
// file (each result path mapped back to its suggestion) and evaluates it on runs. Mining keeps only
// what held in every run, so a failure on a training run is a bug; the quality benchmark uses the same
// configuration to judge fresh and mutated runs.
import { formatPath } from '../spec/path';
import type { ExpectConfig, DistributedTracingConfig, SpanExpectation, WindowExpectation, DistributedAssertion } from '../spec/schema/expect';
import type { TemporalConfig, TemporalConstraint } from '../spec/schema/orchestration-constraints';
import { buildTraceIndex, evaluateWithIndex } from '../expect';
import type { MiningRun, Suggestion } from './types';

export interface SuggestedConfig {
  readonly expect: ExpectConfig;
  readonly distributed: DistributedTracingConfig | undefined;
  readonly temporal: TemporalConfig | undefined;
  /** Result path (or path prefix for windows and assertions) → suggestion id. */
  readonly owner: Map<string, string>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function configOf(suggestions: readonly Suggestion[]): SuggestedConfig {
  const span: SpanExpectation[] = [];
  const window: WindowExpectation[] = [];
  const assertion: DistributedAssertion[] = [];
  const constraint: TemporalConstraint[] = [];
  const counts: Mutable<NonNullable<ExpectConfig['counts']>> = {};
  const status: Mutable<NonNullable<ExpectConfig['status']>> = {};
  const order: Record<string, [string, string][]> = {};
  const owner = new Map<string, string>();
  for (const s of suggestions) {
    const e = s.edit;
    if (e.type === 'entry') {
      if (e.table === 'expect.span') owner.set(`expect.span[${span.push(e.entries as SpanExpectation) - 1}]`, s.id);
      else if (e.table === 'expect.window') owner.set(`expect.window[${window.push(e.entries as WindowExpectation) - 1}]`, s.id);
      else if (e.table === 'orchestration.temporal.constraint') owner.set(`orchestration.temporal.constraint[${constraint.push(e.entries as TemporalConstraint) - 1}]`, s.id);
      else owner.set(`orchestration.distributed_tracing.assertion[${assertion.push(e.entries as DistributedAssertion) - 1}]`, s.id);
    } else if (e.type === 'pair') {
      const list = (order[e.key] ??= []);
      owner.set(`expect.order.${e.key}[${list.push([e.pair[0], e.pair[1]]) - 1}]`, s.id);
    } else {
      const target = (e.table.startsWith('expect.counts') ? counts : status) as Record<string, unknown>;
      if (e.table.endsWith('.by_name')) ((target.by_name ??= {}) as Record<string, unknown>)[e.key] = e.value;
      else target[e.key] = e.value;
      owner.set(e.table.endsWith('.by_name') ? `${e.table}.${JSON.stringify(e.key)}` : formatPath([...e.table.split('.'), e.key]), s.id);
    }
  }
  const expect: ExpectConfig = {
    ...(span.length ? { span } : {}),
    ...(window.length ? { window } : {}),
    ...(Object.keys(counts).length ? { counts } : {}),
    ...(Object.keys(status).length ? { status } : {}),
    ...(Object.keys(order).length ? { order } : {}),
  };
  return { expect, distributed: assertion.length ? { assertion } : undefined, temporal: constraint.length ? { constraint } : undefined, owner };
}

/** The suggestion a result belongs to (window and assertion results carry a suffix). */
export function ownerOf(config: SuggestedConfig, path: string): string | undefined {
  const exact = config.owner.get(path);
  if (exact !== undefined) return exact;
  const m = /^(expect\.window\[\d+\]|orchestration\.distributed_tracing\.assertion\[\d+\]|orchestration\.temporal\.constraint\[\d+\])/.exec(path);
  return m ? config.owner.get(m[1]!) : undefined;
}

/** Per suggestion id, the runs it fails on. */
export function failuresOn(config: SuggestedConfig, runs: readonly MiningRun[]): Map<string, string[]> {
  const failed = new Map<string, string[]>();
  for (const run of runs) {
    const results = evaluateWithIndex(buildTraceIndex(run.spans), { expect: config.expect, distributed: config.distributed, temporal: config.temporal });
    for (const r of results) {
      if (r.passed) continue;
      const id = ownerOf(config, r.expectation) ?? r.expectation;
      const list = failed.get(id) ?? [];
      if (list[list.length - 1] !== run.id) list.push(run.id);
      failed.set(id, list);
    }
  }
  return failed;
}
