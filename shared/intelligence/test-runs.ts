// Small hand-made runs for the miners' tests: `runsOf(n, k => specs)` gives run k's spans, with
// span labels prefixed by the run number so ids never collide across runs.
import { spans, type SpanSpec } from '../expect/testing';
import type { MiningRun } from './types';

export function runsOf(n: number, make: (k: number) => SpanSpec[]): MiningRun[] {
  return Array.from({ length: n }, (_, k) => ({
    id: `run${k}`,
    spans: spans(make(k).map((s) => ({ ...s, id: `${k}${s.id}`, ...(s.parent ? { parent: `${k}${s.parent}` } : {}), trace: `t${k}` }))),
  }));
}
