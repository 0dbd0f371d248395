// Two runs' duration distributions per operation on common bins, so the Performance view can draw
// them side by side: the comparison of shared/perf/compare.ts plus one histogram pair per operation.
import type { Span } from '../model';
import { compareRuns, durationsByOperation, type OperationComparison, type RunComparison } from './compare';
import { histogram, type Summary } from './stats';

/** Bins per operation: enough to see a shift of a tenth of the range. */
export const DISTRIBUTION_BINS = 24;

export interface OperationDistribution extends OperationComparison {
  readonly edges: readonly number[];
  readonly beforeCounts: readonly number[];
  readonly afterCounts: readonly number[];
}

export interface RunDistributions extends Omit<RunComparison, 'operations'> {
  readonly operations: readonly OperationDistribution[];
}

function countInto(edges: readonly number[], values: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  const lo = edges[0]!;
  const width = (edges[edges.length - 1]! - lo) / counts.length;
  for (const v of values) counts[Math.min(counts.length - 1, Math.max(0, Math.floor((v - lo) / width)))]!++;
  return counts;
}

/** A summary of one value has no spread: 0, not NaN (NaN does not cross JSON). */
const finite = (s: Summary): Summary => ({ ...s, stdDev: Number.isFinite(s.stdDev) ? s.stdDev : 0 });

export function runDistributions(before: readonly Span[], after: readonly Span[], bins = DISTRIBUTION_BINS): RunDistributions {
  const comparison = compareRuns(before, after);
  const a = durationsByOperation(before);
  const b = durationsByOperation(after);
  const operations = comparison.operations.map((op) => {
    const xs = a.get(`${op.service}\u0000${op.name}`)!;
    const ys = b.get(`${op.service}\u0000${op.name}`)!;
    const { edges } = histogram([...xs, ...ys], bins);
    return { ...op, before: finite(op.before), after: finite(op.after), edges, beforeCounts: countInto(edges, xs), afterCounts: countInto(edges, ys) };
  });
  return { ...comparison, operations };
}
