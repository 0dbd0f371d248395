// User-defined classifiers (`[[self_healing.patterns.classifier]]`, the seed's form): a class and
// indicators that must all hold. Span indicators (span_status, span_name, span_attr) must hold on one
// and the same span — "a span named container.start, with status ERROR". Checked before the built-in
// rules; the first pattern whose indicators all hold decides.
import { findAttribute, toText, type Span } from '../model';
import type { ContainerStatsRow, ExecutionEvidence, VerdictValue } from '../run/records';
import type { Classification, EvidenceItem, FailureClass } from './classes';
import { describeFlakiness, flakiness } from './history';

export type ScalarValue = string | number | boolean;

export type Indicator =
  | { readonly type: 'span_status'; readonly value: 'ok' | 'error' | 'unset' }
  | { readonly type: 'span_name'; readonly value: string }
  | { readonly type: 'span_attr'; readonly key: string; readonly value?: ScalarValue; readonly valueRegex?: RegExp; readonly exists?: boolean }
  | { readonly type: 'container_stats'; readonly metric: StatsMetric; readonly threshold: number }
  | { readonly type: 'container_exit_code'; readonly value?: number; readonly valueNot?: number }
  | { readonly type: 'historical_failure_rate'; readonly min: number; readonly max: number }
  | { readonly type: 'hash_mismatch'; readonly iterationsThreshold: number }
  | { readonly type: 'failure_not_reproducible'; readonly value: boolean };

export const INDICATOR_TYPES = ['span_status', 'span_name', 'span_attr', 'container_stats', 'container_exit_code', 'historical_failure_rate', 'hash_mismatch', 'failure_not_reproducible'] as const;
export const STATS_METRICS = ['memory_percent', 'memory_mb', 'cpu_percent'] as const;
export type StatsMetric = (typeof STATS_METRICS)[number];

export interface ClassifierPattern {
  /** 1-based position among the file's classifiers, for messages. */
  readonly index: number;
  readonly class: FailureClass;
  readonly confidence: number;
  readonly indicators: readonly Indicator[];
  /** The pattern's own retry bound (`max_retries`), tighter than the file's. */
  readonly maxRetries?: number;
}

/** What a pattern can look at (a subset of the classifier's input). */
export interface PatternInput {
  readonly verdict: VerdictValue;
  readonly evidence: Pick<ExecutionEvidence, 'containers'>;
  readonly spans?: readonly Span[];
  readonly determinism?: { readonly passed: boolean; readonly differingIteration?: number };
  readonly history?: readonly VerdictValue[];
  readonly notReproduced?: boolean;
  readonly stats?: readonly ContainerStatsRow[];
}

type SpanIndicator = Extract<Indicator, { type: 'span_status' | 'span_name' | 'span_attr' }>;
const isSpanIndicator = (i: Indicator): i is SpanIndicator => i.type === 'span_status' || i.type === 'span_name' || i.type === 'span_attr';

function spanHolds(span: Span, i: SpanIndicator): boolean {
  if (i.type === 'span_status') return span.status.code === i.value;
  if (i.type === 'span_name') return span.name === i.value;
  const found = findAttribute(span.attributes, i.key);
  if (i.exists !== undefined && (found !== undefined) !== i.exists) return false;
  if (found === undefined) return i.exists === false;
  const text = toText(found);
  if (i.value !== undefined && text !== String(i.value)) return false;
  return i.valueRegex === undefined || i.valueRegex.test(text);
}

function metricOf(row: ContainerStatsRow, metric: StatsMetric): number {
  if (metric === 'cpu_percent') return row.cpuPercent;
  if (metric === 'memory_mb') return row.memoryBytes / (1024 * 1024);
  return row.memoryLimitBytes > 0 ? (100 * row.memoryBytes) / row.memoryLimitBytes : 0;
}

/** Evidence for one non-span indicator, or undefined when it does not hold. */
function otherHolds(i: Exclude<Indicator, SpanIndicator>, input: PatternInput): EvidenceItem | undefined {
  switch (i.type) {
    case 'container_stats': {
      const peak = (input.stats ?? []).reduce<ContainerStatsRow | undefined>((best, r) => (best && metricOf(best, i.metric) >= metricOf(r, i.metric) ? best : r), undefined);
      const value = peak ? metricOf(peak, i.metric) : undefined;
      return peak && value !== undefined && value >= i.threshold ? { kind: 'stats', detail: `${i.metric} reached ${value.toFixed(1)} (threshold ${i.threshold})`, ref: peak.service } : undefined;
    }
    case 'container_exit_code': {
      const c = input.evidence.containers.find((x) => x.exitCode !== null && (i.value === undefined || x.exitCode === i.value) && (i.valueNot === undefined || x.exitCode !== i.valueNot));
      return c ? { kind: 'container', detail: `exited with code ${c.exitCode}`, ref: c.service } : undefined;
    }
    case 'historical_failure_rate': {
      const seen = flakiness(input.history ?? [], input.verdict);
      return seen.runs >= 2 && seen.failureRate >= i.min && seen.failureRate <= i.max ? { kind: 'history', detail: describeFlakiness(seen) } : undefined;
    }
    case 'hash_mismatch': {
      const d = input.determinism;
      return d && !d.passed && (d.differingIteration ?? 0) >= i.iterationsThreshold ? { kind: 'determinism', detail: `normalized trace hash of iteration ${d.differingIteration} differs from iteration 1` } : undefined;
    }
    case 'failure_not_reproducible':
      return (input.notReproduced ?? false) === i.value ? { kind: 'retry', detail: i.value ? 'a retry passed: the failure did not reproduce' : 'no retry has passed' } : undefined;
  }
}

function describeSpanIndicators(indicators: readonly SpanIndicator[]): string {
  return indicators.map((i) => (i.type === 'span_attr' ? `${i.key}${i.value !== undefined ? ` = ${String(i.value)}` : i.valueRegex ? ` ~ /${i.valueRegex.source}/` : i.exists === false ? ' absent' : ' present'}` : `${i.type === 'span_name' ? 'name' : 'status'} ${i.value}`)).join(', ');
}

/** Evidence for every indicator of a pattern, or undefined when one of them does not hold. */
function patternHolds(p: ClassifierPattern, input: PatternInput): EvidenceItem[] | undefined {
  const evidence: EvidenceItem[] = [];
  const onSpan = p.indicators.filter(isSpanIndicator);
  if (onSpan.length > 0) {
    const span = (input.spans ?? []).find((s) => onSpan.every((i) => spanHolds(s, i)));
    if (!span) return undefined;
    evidence.push({ kind: 'span', detail: `span "${span.name}": ${describeSpanIndicators(onSpan)}`, ref: span.spanId });
  }
  for (const i of p.indicators) {
    if (isSpanIndicator(i)) continue;
    const item = otherHolds(i, input);
    if (!item) return undefined;
    evidence.push(item);
  }
  return evidence;
}

/** The first pattern whose indicators all hold, as a classification. */
export function matchPatterns(patterns: readonly ClassifierPattern[], input: PatternInput): Classification | undefined {
  for (const p of patterns) {
    const evidence = patternHolds(p, input);
    if (evidence) return { class: p.class, confidence: p.confidence, evidence: [{ kind: 'pattern', detail: `[[self_healing.patterns.classifier]] #${p.index} (${p.class})`, ref: `#${p.index}` }, ...evidence], pattern: p.index };
  }
  return undefined;
}
