// `[[expect.performance]]` judged over one execution: latency bounds (p50/p95/p99 of a span name's
// durations, type-7 percentiles), throughput (spans of a name per second, over the spans' own window — the
// first one's start to the last one's end — or over the execution's steps) and resource limits (the
// container stats samples taken while the steps ran).
import type { ExpectationResult } from '../expect/types';
import type { Span } from '../model';
import type { ContainerStatsRow } from '../run/records';
import type { PerformanceExpectation } from '../spec/schema/performance-expect';
import { quantileSorted, sortedCopy } from './stats';
import { spansRate, type TimeWindow } from './throughput';

/** Most evidence span ids a result lists. */
const MAX_EVIDENCE = 10;
const MIB = 1024 * 1024;

export type StatsSample = Pick<ContainerStatsRow, 'service' | 'cpuPercent' | 'memoryBytes'>;

export interface PerformanceInput {
  /** The system's spans of the execution. */
  readonly spans: readonly Span[];
  /** Container stats samples of the execution (empty when none were taken). */
  readonly stats: readonly StatsSample[];
  /** From the first step's start to the last step's end; absent when no step ran. */
  readonly steps?: TimeWindow;
}

type Verdict = Omit<ExpectationResult, 'expectation' | 'kind'>;

const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const q = (s: string): string => JSON.stringify(s);

/** The slowest spans first, at most MAX_EVIDENCE, over `minMs` when given. */
function slowest(spans: readonly Span[], minMs = -Infinity): string[] {
  return spans
    .filter((s) => s.durationUs / 1000 > minMs)
    .sort((a, b) => b.durationUs - a.durationUs)
    .slice(0, MAX_EVIDENCE)
    .map((s) => s.spanId);
}

const spansOf = (n: number, name: string): string => `${n} ${q(name)} span${n === 1 ? '' : 's'}`;

function latencyBounds(e: PerformanceExpectation, named: readonly Span[]): Verdict {
  const sorted = sortedCopy(named.map((s) => s.durationUs / 1000));
  const bounds: Array<[label: string, p: number, max: number | undefined]> = [
    ['p50', 0.5, e.p50_max_ms],
    ['p95', 0.95, e.p95_max_ms],
    ['p99', 0.99, e.p99_max_ms],
  ];
  const checked = bounds.filter((b) => b[2] !== undefined).map(([label, p, max]) => ({ label, value: quantileSorted(sorted, p), max: max! }));
  const over = checked.filter((c) => c.value > c.max);
  const text = checked.map((c) => `${c.label} ${fmt(c.value)} ms (max ${fmt(c.max)})`).join(', ');
  const of = spansOf(sorted.length, e.span_name!);
  if (over.length === 0) return { passed: true, message: `${of}: ${text}`, spans: slowest(named) };
  const lowest = Math.min(...over.map((c) => c.max));
  return { passed: false, message: `${of} too slow: ${text}; the evidence spans took longer than ${fmt(lowest)} ms`, spans: slowest(named, lowest) };
}

function throughput(e: PerformanceExpectation, named: readonly Span[], steps: TimeWindow | undefined): Verdict {
  const min = e.min_per_second ?? e.min_steps_per_second!;
  const name = e.span_name!;
  const bySteps = e.window?.toLowerCase() === 'steps';
  if (bySteps && steps === undefined) return { passed: false, message: `no step ran: there is no steps' window to count ${q(name)} spans per second in`, spans: [] };
  if (!bySteps && named.length < 2) {
    return { passed: false, message: `${spansOf(named.length, name)}: a rate over the spans' own window needs at least 2 (or window = "steps")`, spans: named.map((s) => s.spanId) };
  }
  // A span counts in the steps' window when it starts inside it; the spans' own window is ./throughput.ts's.
  const counted = bySteps ? named.filter((s) => s.startUs >= steps!.startUs && s.startUs <= steps!.endUs) : named;
  const windowMs = bySteps ? (steps!.endUs - steps!.startUs) / 1000 : (spansRate(named)?.windowMs ?? 0);
  if (windowMs <= 0) return { passed: false, message: `${spansOf(counted.length, name)} in a window of 0 ms: no rate can be measured`, spans: slowest(counted) };
  const rate = counted.length / (windowMs / 1000);
  const over = bySteps ? "the steps' window" : 'first start to last end';
  const facts = `${spansOf(counted.length, name)} in ${fmt(windowMs)} ms (${over}): ${fmt(rate)} per second`;
  if (rate >= min) return { passed: true, message: `${facts}, min ${fmt(min)}`, spans: [] };
  return { passed: false, message: `too few per second: ${facts}, under the min ${fmt(min)}; the evidence spans are the slowest of them`, spans: slowest(counted) };
}

function resourceLimits(e: PerformanceExpectation, stats: readonly StatsSample[]): Verdict {
  const rows = e.service === undefined ? stats : stats.filter((r) => r.service === e.service);
  const whose = e.service === undefined ? 'any service' : `service ${q(e.service)}`;
  if (rows.length === 0) {
    return { passed: false, message: `no container stats samples of ${whose}: samples are taken every [performance] sample_stats_ms (default 1000 ms) while the steps run, so steps shorter than that may give none`, spans: [] };
  }
  const services = [...new Set(rows.map((r) => r.service))].sort();
  const failures: string[] = [];
  const facts: string[] = [];
  for (const service of services) {
    const mine = rows.filter((r) => r.service === service);
    const avg = mine.reduce((a, r) => a + r.cpuPercent, 0) / mine.length;
    const peakCpu = Math.max(...mine.map((r) => r.cpuPercent));
    const peakMb = Math.max(...mine.map((r) => r.memoryBytes)) / MIB;
    const limits: Array<[string, number, number | undefined, string]> = [
      ['CPU average', avg, e.cpu_avg_max_percent, '%'],
      ['CPU peak', peakCpu, e.cpu_max_percent, '%'],
      ['memory peak', peakMb, e.memory_peak_max_mb, ' MiB'],
    ];
    for (const [label, value, max, unit] of limits) {
      if (max === undefined) continue;
      const fact = `${service} ${label} ${fmt(value)}${unit} (max ${fmt(max)}${unit})`;
      (value > max ? failures : facts).push(fact);
    }
  }
  const n = `${rows.length} sample${rows.length === 1 ? '' : 's'}`;
  if (failures.length > 0) return { passed: false, message: `over the limit: ${failures.join('; ')} (${n})`, spans: [] };
  return { passed: true, message: `${facts.join('; ')} (${n})`, spans: [] };
}

/** One result per `[[expect.performance]]` entry, reported as `expect.performance[i]`. */
export function evaluatePerformance(expectations: readonly PerformanceExpectation[], input: PerformanceInput): ExpectationResult[] {
  return expectations.map((e, i) => {
    const expectation = `expect.performance[${i}]`;
    const type = e.type.toLowerCase();
    if (type === 'resource_limits') return { expectation, kind: 'performance', ...resourceLimits(e, input.stats) };
    const named = input.spans.filter((s) => s.name === e.span_name);
    if (named.length === 0) return { expectation, kind: 'performance', passed: false, message: `no span named ${q(e.span_name!)} in this execution to measure ${type}`, spans: [] };
    return { expectation, kind: 'performance', ...(type === 'throughput' ? throughput(e, named, input.steps) : latencyBounds(e, named)) };
  });
}
