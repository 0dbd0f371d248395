// Invariants of the tracing itself and of a name's latency distribution, mined by running the real
// engine's checks on each run (so a suggestion means exactly what the engine will judge):
// - context propagation: no span's parent lies in another trace, every parent resolves in its trace
//   and each trace has one root; baggage keys a trace's root carries (`baggage.KEY`) reach every entry span;
// - latency percentiles, when every run has enough spans of a name for its p50 / p95 (/ p99) to mean
//   something: each run gives one value per percentile, and the bound over them is buffered like a
//   duration's (confidence.ts).
import { buildTraceIndex, evaluateWithIndex } from '../expect';
import { nearestRank } from '../expect/temporal';
import type { TraceIndex } from '../expect/trace-index';
import type { Span } from '../model';
import type { DistributedAssertion } from '../spec/schema/orchestration-constraints';
import { bufferedBounds, roundOut, structural } from './confidence';
import type { Invariant, MiningRun } from './types';

/** Fewest spans of a name in every run before its p50 and p95 are suggested; p99 needs PER_P99. */
export const MIN_PERCENTILE_SAMPLES = 20;
const PER_P99 = 100;
const MAX_EVIDENCE = 10;
const q = (s: string) => JSON.stringify(s);

function holdsEverywhere(indexes: readonly TraceIndex[], assertion: DistributedAssertion): boolean {
  return indexes.every((index) => evaluateWithIndex(index, { distributed: { assertion: [assertion] } }).every((r) => r.passed));
}

/** Root spans of the runs' traces (evidence: where the propagated context starts). */
function roots(runs: readonly MiningRun[]): string[] {
  return runs.flatMap((r) => r.spans.filter((s) => s.parentSpanId === undefined).map((s) => s.spanId)).slice(0, MAX_EVIDENCE);
}

/** Baggage keys (`baggage.KEY` attributes) on some trace root of every run. */
function baggageCandidates(runs: readonly MiningRun[]): string[] {
  const perRun = runs.map((r) => new Set(r.spans.filter((s) => s.parentSpanId === undefined).flatMap((s) => s.attributes.filter((a) => a.key.startsWith('baggage.')).map((a) => a.key.slice('baggage.'.length)))));
  const first = perRun[0] ?? new Set<string>();
  return [...first].filter((k) => perRun.every((set) => set.has(k))).sort();
}

export function minePropagation(runs: readonly MiningRun[], indexes: readonly TraceIndex[]): Invariant[] {
  const n = runs.length;
  if (n === 0) return [];
  const base = { kind: 'propagation' as const, support: n, confidence: structural(n), evidence: roots(runs), conditional: false, merge: 'context propagation' };
  const entry = (entries: Omit<Extract<DistributedAssertion, { type: 'context_propagation' }>, 'type'>) => ({
    type: 'entry' as const,
    table: 'orchestration.distributed_tracing.assertion' as const,
    entries: { type: 'context_propagation', ...entries },
  });
  const out: Invariant[] = [];
  if (holdsEverywhere(indexes, { type: 'context_propagation', trace_id_consistent: true })) {
    out.push({ ...base, subject: 'trace ids', summary: 'no span has its parent recorded under another trace id', edit: entry({ trace_id_consistent: true }) });
  }
  if (holdsEverywhere(indexes, { type: 'context_propagation', parent_child_relationship: 'valid' })) {
    out.push({ ...base, subject: 'parents', summary: "every span's parent is in its trace, and each trace has one root", edit: entry({ parent_child_relationship: 'valid' }) });
  }
  for (const key of baggageCandidates(runs)) {
    if (!holdsEverywhere(indexes, { type: 'context_propagation', baggage_preserved: [key] })) continue;
    out.push({ ...base, subject: `baggage ${key}`, summary: `baggage ${q(key)} on a trace's root reaches every entry span of that trace unchanged`, edit: entry({ baggage_preserved: [key] }) });
  }
  return out;
}

/** Per run, the spans of each name, shortest first. */
function spansByName(spans: readonly Span[]): Map<string, Span[]> {
  const by = new Map<string, Span[]>();
  for (const s of spans) (by.get(s.name) ?? by.set(s.name, []).get(s.name)!).push(s);
  for (const list of by.values()) list.sort((a, b) => a.durationUs - b.durationUs);
  return by;
}

export function minePercentiles(runs: readonly MiningRun[], bufferFactor: number): Invariant[] {
  if (runs.length === 0) return [];
  const perRun = runs.map((r) => spansByName(r.spans));
  const out: Invariant[] = [];
  for (const name of perRun[0]!.keys()) {
    const fewest = Math.min(...perRun.map((m) => m.get(name)?.length ?? 0));
    if (fewest < MIN_PERCENTILE_SAMPLES) continue;
    const entries: Record<string, unknown> = { type: 'latency_percentiles', span: name };
    const said: string[] = [];
    let confidence = 1;
    const evidence: string[] = [];
    for (const p of fewest >= PER_P99 ? [50, 95, 99] : [50, 95]) {
      // The span at the percentile's rank in each run: its duration is the run's value.
      const atRank = perRun.map((m) => {
        const sorted = m.get(name)!;
        return sorted[nearestRank(sorted.length, p)]!;
      });
      if (p === 95) evidence.push(...atRank.slice(0, MAX_EVIDENCE).map((s) => s.spanId));
      const b = bufferedBounds(atRank.map((s) => s.durationUs / 1000), bufferFactor);
      const hi = roundOut(b.hi, 'up');
      entries[`p${p}`] = { max_ms: hi };
      said.push(`p${p} ≤ ${hi} ms`);
      confidence = Math.min(confidence, b.upperConfidence);
    }
    out.push({
      kind: 'duration',
      subject: `${name} percentiles`,
      summary: `in every run, the ${q(name)} spans' ${said.join(', ')} (nearest rank; at least ${fewest} spans a run)`,
      support: runs.length,
      confidence,
      evidence,
      conditional: false,
      edit: { type: 'entry', table: 'orchestration.temporal.constraint', entries },
    });
  }
  return out;
}

/** Both miners over one index per run. */
export function mineTracing(runs: readonly MiningRun[], bufferFactor: number): Invariant[] {
  const indexes = runs.map((r) => buildTraceIndex(r.spans));
  return [...minePropagation(runs, indexes), ...minePercentiles(runs, bufferFactor)];
}
