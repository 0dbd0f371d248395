// Groups runs by structure — root operations plus a signature of the span-name tree (children sorted,
// so sibling order and timing do not matter, repeats do) — with frequencies, and by error pattern
// (which span names ended in ERROR, with their status messages).
import type { Span } from '../model';
import { fnv1a64 } from '../expect/determinism';
import type { MiningRun } from './types';

export interface StructureGroup {
  /** Hash of the signature (16 hex). */
  readonly id: string;
  readonly roots: readonly string[];
  readonly runs: readonly string[];
  /** Share of all runs, 0..1. */
  readonly frequency: number;
  readonly spanCount: number;
}

export interface ErrorPattern {
  /** `name: message` of every ERROR span, sorted; the pattern of a run. */
  readonly errors: readonly string[];
  readonly runs: readonly string[];
  readonly frequency: number;
  /** ERROR span ids of the first run with this pattern. */
  readonly evidence: readonly string[];
}

/** Canonical text of the span-name forest: children signatures sorted, computed bottom-up. */
export function structureSignature(spans: readonly Span[]): { signature: string; roots: string[] } {
  const at = new Map<string, number>();
  spans.forEach((s, i) => at.set(s.traceId + s.spanId, i));
  const children: number[][] = spans.map(() => []);
  const roots: number[] = [];
  spans.forEach((s, i) => {
    const p = s.parentSpanId === undefined ? undefined : at.get(s.traceId + s.parentSpanId);
    if (p === undefined) roots.push(i);
    else children[p]!.push(i);
  });
  // Post-order without recursion: visit order, then fill signatures from the leaves up.
  const order: number[] = [...roots];
  for (let k = 0; k < order.length; k++) order.push(...children[order[k]!]!);
  const sig: string[] = new Array<string>(spans.length);
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    const kids = children[i]!.map((c) => sig[c]!).sort();
    sig[i] = kids.length ? `${spans[i]!.name}(${kids.join(',')})` : spans[i]!.name;
  }
  const rootSigs = roots.map((r) => sig[r]!).sort();
  return { signature: rootSigs.join('|'), roots: [...new Set(roots.map((r) => spans[r]!.name))].sort() };
}

export function groupByStructure(runs: readonly MiningRun[]): StructureGroup[] {
  const groups = new Map<string, { roots: string[]; runs: string[]; spanCount: number }>();
  for (const run of runs) {
    const { signature, roots } = structureSignature(run.spans);
    const id = fnv1a64(signature);
    const g = groups.get(id);
    if (g) g.runs.push(run.id);
    else groups.set(id, { roots, runs: [run.id], spanCount: run.spans.length });
  }
  return [...groups.entries()]
    .map(([id, g]) => ({ id, roots: g.roots, runs: g.runs, frequency: g.runs.length / runs.length, spanCount: g.spanCount }))
    .sort((a, b) => b.runs.length - a.runs.length || a.id.localeCompare(b.id));
}

export function errorPatterns(runs: readonly MiningRun[]): ErrorPattern[] {
  const patterns = new Map<string, { errors: string[]; runs: string[]; evidence: string[] }>();
  for (const run of runs) {
    const failed = run.spans.filter((s) => s.status.code === 'error');
    if (failed.length === 0) continue;
    const errors = failed.map((s) => (s.status.message ? `${s.name}: ${s.status.message}` : s.name)).sort();
    const key = errors.join('\n');
    const p = patterns.get(key);
    if (p) p.runs.push(run.id);
    else patterns.set(key, { errors, runs: [run.id], evidence: failed.slice(0, 10).map((s) => s.spanId) });
  }
  return [...patterns.values()]
    .map((p) => ({ ...p, frequency: p.runs.length / runs.length }))
    .sort((a, b) => b.runs.length - a.runs.length || a.errors.join().localeCompare(b.errors.join()));
}
