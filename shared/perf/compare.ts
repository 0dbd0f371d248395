// Two sets of spans (two runs) compared per operation (service + span name): the duration
// distribution on each side, the change of the median and the mean, and the two-sided Mann-Whitney
// p-value (rank-based, so a few outliers do not decide it). Operations on one side only are listed.
import type { Span } from '../model';
import { mannWhitneyU } from './mann-whitney';
import { summarize, type Summary } from './stats';

export interface OperationComparison {
  readonly name: string;
  readonly service: string;
  /** Durations in µs. */
  readonly before: Summary;
  readonly after: Summary;
  /** Change of the median, %; null when the median before is 0. */
  readonly medianChangePercent: number | null;
  readonly meanChangePercent: number | null;
  readonly pValue: number;
}

export interface RunComparison {
  /** Operations seen in both, largest median change (either way) first. */
  readonly operations: readonly OperationComparison[];
  readonly onlyBefore: readonly string[];
  readonly onlyAfter: readonly string[];
}

const key = (s: Span): string => `${s.serviceName}\u0000${s.name}`;
const label = (k: string): string => k.replace('\u0000', ' › ');

/** Durations (µs) per operation, keyed `service\u0000name`. */
export function durationsByOperation(spans: readonly Span[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of spans) {
    let list = out.get(key(s));
    if (!list) out.set(key(s), (list = []));
    list.push(s.durationUs);
  }
  return out;
}

const percent = (before: number, after: number): number | null => (before === 0 ? null : (after / before - 1) * 100);

export function compareRuns(before: readonly Span[], after: readonly Span[]): RunComparison {
  const a = durationsByOperation(before);
  const b = durationsByOperation(after);
  const operations: OperationComparison[] = [];
  for (const [k, xs] of a) {
    const ys = b.get(k);
    if (!ys) continue;
    const sa = summarize(xs);
    const sb = summarize(ys);
    const [service, name] = k.split('\u0000') as [string, string];
    operations.push({
      name, service, before: sa, after: sb,
      medianChangePercent: percent(sa.p50, sb.p50), meanChangePercent: percent(sa.mean, sb.mean),
      pValue: mannWhitneyU(xs, ys).pValue,
    });
  }
  operations.sort((x, y) => Math.abs(y.medianChangePercent ?? 0) - Math.abs(x.medianChangePercent ?? 0));
  return {
    operations,
    onlyBefore: [...a.keys()].filter((k) => !b.has(k)).map(label).sort(),
    onlyAfter: [...b.keys()].filter((k) => !a.has(k)).map(label).sort(),
  };
}
