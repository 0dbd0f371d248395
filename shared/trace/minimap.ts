// Minimap summaries: a whole trace squeezed into a few hundred buckets so the overview strip
// above the waterfall draws in constant time whatever the trace size.
import type { TraceTree } from './tree';

export interface RowBucket {
  /** Earliest start and latest end of the rows in the bucket (µs since the epoch). */
  startUs: number;
  endUs: number;
  /** Span index of the bucket's longest span, for its colour. */
  dominant: number;
  errors: number;
}

/** Group consecutive rows into at most `bucketCount` buckets. */
export function rowBuckets(tree: TraceTree, rows: Int32Array, bucketCount: number): RowBucket[] {
  const count = Math.max(1, Math.min(bucketCount, rows.length));
  const out: RowBucket[] = [];
  if (rows.length === 0) return out;
  const per = rows.length / count;
  for (let b = 0; b < count; b++) {
    const from = Math.floor(b * per);
    const to = Math.max(from + 1, Math.floor((b + 1) * per));
    let startUs = Infinity;
    let endUs = -Infinity;
    let dominant = rows[from]!;
    let longest = -1;
    let errors = 0;
    for (let r = from; r < to && r < rows.length; r++) {
      const i = rows[r]!;
      const s = tree.startUs[i]!;
      const e = tree.endUs[i]!;
      if (s < startUs) startUs = s;
      if (e > endUs) endUs = e;
      if (e - s > longest) {
        longest = e - s;
        dominant = i;
      }
      if (tree.spans[i]!.status.code === 'error') errors++;
    }
    out.push({ startUs, endUs, dominant, errors });
  }
  return out;
}

/** How many spans are running in each of `bucketCount` equal time slices of the trace. */
export function timeDensity(tree: TraceTree, bucketCount: number): Uint32Array {
  const out = new Uint32Array(bucketCount);
  const span = tree.traceEndUs - tree.traceStartUs;
  if (tree.size === 0 || bucketCount === 0) return out;
  const diff = new Int32Array(bucketCount + 1);
  const scale = span > 0 ? bucketCount / span : 0;
  for (let i = 0; i < tree.size; i++) {
    const a = Math.min(bucketCount - 1, Math.floor((tree.startUs[i]! - tree.traceStartUs) * scale));
    // Half-open [start, end): a span ending exactly on a slice boundary is not in the next slice.
    const b = Math.max(a, Math.min(bucketCount - 1, Math.ceil((tree.endUs[i]! - tree.traceStartUs) * scale) - 1));
    diff[a]!++;
    diff[b + 1]!--;
  }
  let run = 0;
  for (let k = 0; k < bucketCount; k++) {
    run += diff[k]!;
    out[k] = run;
  }
  return out;
}
