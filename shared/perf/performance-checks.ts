// `[[expect.performance]]` judged over one execution: latency bounds (p50/p95/p99 of a span name's
// durations, type-7 percentiles), throughput (spans of a name per second, from the first one's start to the
// last one's end) and resource limits (the container stats samples taken while the steps ran).
import type { ExpectationResult } from '../expect/types';
import type { Span } from '../model';
import type { ContainerStatsRow } from '../run/records';
import type { PerformanceExpectation } from '../spec/schema/performance-expect';
import { quantileSorted, sortedCopy } from './stats';

/** Most evidence span ids a result lists. */
const MAX_EVIDENCE = 10;
const MIB = 1024 * 1024;

export type StatsSample = Pick<ContainerStatsRow, 'service' | 'cpuPercent' | 'memoryBytes'>;

export interface PerformanceInput {
  /** The system's spans of the execution. */
  readonly spans: readonly Span[];
  /** Container stats samples of the execution (empty when none were taken). */
  readonly stats: readonly StatsSample[];
}

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

function latencyBounds(e: PerformanceExpectation, named: readonly Span[]): Omit<ExpectationResult, 'expectation' | 'kind'> {
  const sorted = sortedCopy(named.map((s) => s.durationUs / 1000));
  const bounds: Array<[label: string, p: number, max: number | undefined]> = [
    ['p50', 0.5, e.p50_max_ms],
    ['p95', 0.95, e.p95_max_ms],
    ['p99', 0.99, e.p99_max_ms],
  ];
  const checked = bounds.filter((b) => b[2] !== undefined).map(([label, p, max]) => ({ label, value: quantileSorted(sorted, p), max: max! }));
  const over = checked.filter((c) => c.value > c.max);
  const text = checked.map((c) => `${c.label} ${fmt(c.value)} ms (max ${fmt(c.max)})`).join(', ');
  const of = `${sorted.length} ${q(e.span_name!)} span${sorted.length === 1 ? '' : 's'}`;
  if (over.length === 0) return { passed: true, message: `${of}: ${text}`, spans: slowest(named) };
  const lowest = Math.min(...over.map((c) => c.max));
  return { passed: false, message: `${of} too slow: ${text}; the evidence spans took longer than ${fmt(lowest)} ms`, spans: slowest(named, lowest) };
}

function throughput(e: PerformanceExpectation, named: readonly Span[]): Omit<ExpectationResult, 'expectation' | 'kind'> {
  const min = e.min_per_second ?? e.min_steps_per_second!;
  const first = Math.min(...named.map((s) => s.startUs));
  const last = Math.max(...named.map((s) => s.startUs + s.durationUs));
  const seconds = (last - first) / 1e6;
  // All at one instant (one span of zero length): as fast as can be measured.
  const rate = seconds > 0 ? named.length / seconds : Infinity;
  const message = `${named.length} ${q(e.span_name!)} spans in ${fmt(seconds * 1000)} ms: ${Number.isFinite(rate) ? fmt(rate) : '∞'} per second (min ${fmt(min)})`;
  return { passed: rate >= min, message: rate >= min ? message : `too slow: ${message}`, spans: rate >= min ? [] : slowest(named) };
}

function resourceLimits(e: PerformanceExpectation, stats: readonly StatsSample[]): Omit<ExpectationResult, 'expectation' | 'kind'> {
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
    return { expectation, kind: 'performance', ...(type === 'throughput' ? throughput(e, named) : latencyBounds(e, named)) };
  });
}
