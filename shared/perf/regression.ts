// `[[expect.regression]]` judged over one execution against a stored baseline (./baseline.ts). Two of the
// seed's detection methods: `threshold` (the default) calls a span name regressed when its p95 (or p50)
// rose more than the given percent; `statistical` also asks that the durations be significantly slower
// than the baseline's: a one-sided Mann-Whitney U (against the baseline's bounded sample) or Welch's t
// (against its exact mean and sd) at `confidence_level`, with at least `min_samples` on each side
// (fewer is "not enough data", never a regression). Throughput limits (the thresholds table's) are judged
// beside the latency ones by ./regression-throughput.ts. Change points over a history are ./change-points.ts.
import type { ExpectationResult } from '../expect/types';
import type { Span } from '../model';
import type { RegressionExpectation } from '../spec/schema/performance-expect';
import type { BaselineRecord, LatencySummary } from './baseline';
import { latenciesByName, summariseLatencies } from './baseline';
import { mannWhitneyU } from './mann-whitney';
import { compareThroughput, throughputText, type ThroughputFinding } from './regression-throughput';
import { welchTTest } from './stats';

const DEFAULT_MIN_SAMPLES = 10;
const DEFAULT_CONFIDENCE = 0.95;
const MAX_EVIDENCE = 10;

/** The latency figures a baseline keeps and a limit can name. */
export type LatencyMetric = 'p50' | 'p95' | 'p99' | 'mean';
/** What a limit can name: a latency figure (an increase limit) or the throughput (a decrease limit). */
export type RegressionMetric = LatencyMetric | 'throughput';
export type RegressionLimit = readonly [RegressionMetric, number];

export type RegressionVerdict = 'regressed' | 'within-limit' | 'not-significant' | 'not-enough-data';

/** One latency metric of one span name against the baseline: a row of the regression report. */
export interface LatencyFinding {
  readonly spanName: string;
  readonly metric: LatencyMetric;
  readonly baselineMs: number;
  readonly currentMs: number;
  /** (current − baseline) / baseline × 100; null when the baseline is 0. */
  readonly changePercent: number | null;
  readonly limitPercent: number;
  readonly verdict: RegressionVerdict;
  /** statistical only: the one-sided p-value that the execution is slower, and 1 − p. */
  readonly pValue?: number;
  readonly confidence?: number;
  readonly test?: 'mann_whitney' | 'welch';
  readonly samples: { readonly baseline: number; readonly current: number };
}

export type RegressionFinding = LatencyFinding | ThroughputFinding;

export interface RegressionOutcome {
  readonly result: ExpectationResult;
  readonly findings: RegressionFinding[];
}

const q = (s: string): string => JSON.stringify(s);
const ms = (v: number): string => `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ms`;
const pct = (v: number | null): string => (v === null ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`);

/** A baseline as reports name it: id, name, commit. */
export function describeBaseline(b: BaselineRecord): string {
  return `baseline ${b.id}${b.name ? ` (${q(b.name)})` : ''}${b.commit ? ` of commit ${b.commit.slice(0, 10)}` : ''}`;
}

/** One-sided p-value that `current` is larger (slower) than `baseline`. */
function slowerPValue(test: 'mann_whitney' | 'welch', baseline: LatencySummary, current: readonly number[]): number {
  const now = summariseLatencies(current)!;
  if (test === 'welch') {
    const r = welchTTest({ n: now.count, mean: now.mean, variance: now.sd ** 2 }, { n: baseline.count, mean: baseline.mean, variance: baseline.sd ** 2 });
    return now.mean > baseline.mean ? r.pValue / 2 : 1 - r.pValue / 2;
  }
  const r = mannWhitneyU(current, baseline.samples);
  // U counts pairs where the current value is larger; above half of all pairs means "slower".
  const slower = r.u > (current.length * baseline.samples.length) / 2;
  return slower ? r.pValue / 2 : 1 - r.pValue / 2;
}

function judgeMetric(e: RegressionExpectation, spanName: string, metric: LatencyMetric, limit: number, base: LatencySummary, current: readonly number[]): LatencyFinding {
  const now = summariseLatencies(current)!;
  const changePercent = base[metric] > 0 ? ((now[metric] - base[metric]) / base[metric]) * 100 : null;
  const over = changePercent === null ? now[metric] > 0 : changePercent > limit;
  const samples = { baseline: base.count, current: now.count };
  const common = { spanName, metric, baselineMs: base[metric], currentMs: now[metric], changePercent, limitPercent: limit, samples };
  if ((e.method ?? 'threshold').toLowerCase() !== 'statistical') return { ...common, verdict: over ? 'regressed' : 'within-limit' };
  const test = (e.test ?? 'mann_whitney').toLowerCase() === 'welch' ? 'welch' : 'mann_whitney';
  const minSamples = e.min_samples ?? DEFAULT_MIN_SAMPLES;
  if (now.count < minSamples || base.count < minSamples) return { ...common, verdict: 'not-enough-data', test };
  const pValue = slowerPValue(test, base, current);
  const significant = pValue <= 1 - (e.confidence_level ?? DEFAULT_CONFIDENCE);
  const verdict = !over ? 'within-limit' : significant ? 'regressed' : 'not-significant';
  return { ...common, verdict, test, pValue, confidence: 1 - pValue };
}

function latencyText(f: LatencyFinding): string {
  const stat = f.pValue === undefined ? '' : `, ${f.test === 'welch' ? 'Welch' : 'Mann-Whitney'} p = ${f.pValue.toPrecision(2)} (confidence ${(100 * f.confidence!).toFixed(2)} %)`;
  const data = f.verdict === 'not-enough-data' ? `, not enough samples for the ${f.test === 'welch' ? 'Welch' : 'Mann-Whitney'} test (${f.samples.current} now, ${f.samples.baseline} in the baseline)` : '';
  return `${q(f.spanName)} ${f.metric} ${ms(f.baselineMs)} → ${ms(f.currentMs)} (${pct(f.changePercent)}, limit +${f.limitPercent} %${stat}${data})`;
}

const findingText = (f: RegressionFinding): string => (f.metric === 'throughput' ? throughputText(f) : latencyText(f));
/** How far a finding went the wrong way, in percent: a latency's increase, a throughput's decrease. */
const worsening = (f: RegressionFinding): number => (f.metric === 'throughput' ? -f.changePercent : (f.changePercent ?? 0));
const isLatency = (l: RegressionLimit): l is readonly [LatencyMetric, number] => l[0] !== 'throughput';

/** Whether the entry names one baseline (rather than the newest). */
const named = (e: RegressionExpectation): boolean => e.compare_to_baseline !== undefined && e.compare_to_baseline.toLowerCase() !== 'latest';

/**
 * Judges one `[[expect.regression]]` entry: `baseline` is the one it names (or the newest of the test and
 * scenario); undefined with `missing` saying what was looked for. A named baseline that is missing fails;
 * no baseline at all passes, saying it was not compared.
 */
export function evaluateRegression(e: RegressionExpectation, index: number, spans: readonly Span[], baseline: BaselineRecord | undefined, missing: string): RegressionOutcome {
  const limits: Array<[LatencyMetric, number]> = [];
  if (e.max_p50_increase_percent !== undefined) limits.push(['p50', e.max_p50_increase_percent]);
  // p95 is the seed's default metric: a 15 % limit when the file gives none.
  if (e.max_p95_increase_percent !== undefined || limits.length === 0) limits.push(['p95', e.max_p95_increase_percent ?? 15]);
  return compareWithBaseline(`expect.regression[${index}]`, e, limits, spans, baseline, missing);
}

/**
 * The judgement itself, shared with `[performance.regression.thresholds]` (./regression-thresholds.ts):
 * every span name (or `e.span_name`) against `baseline` for each metric's percent limit.
 */
export function compareWithBaseline(expectation: string, e: RegressionExpectation, limits: readonly RegressionLimit[], spans: readonly Span[], baseline: BaselineRecord | undefined, missing: string): RegressionOutcome {
  const fail = (message: string): RegressionOutcome => ({ result: { expectation, kind: 'performance', passed: false, message, spans: [] }, findings: [] });
  const save = 'save one from a good run with `clnrm perf baseline save`, or set [performance.baseline.capture] mode = "auto"';
  if (!baseline && named(e)) return fail(`no baseline to compare with: ${missing}; ${save}`);
  // The first run of a test has nothing to compare with (and, with auto capture, becomes the baseline).
  if (!baseline) return { result: { expectation, kind: 'performance', passed: true, message: `not compared: ${missing} yet (${save})`, spans: [] }, findings: [] };
  const current = latenciesByName(spans);
  const names = e.span_name !== undefined ? [e.span_name] : Object.keys(baseline.spans).filter((n) => current.has(n)).sort();
  if (e.span_name !== undefined && !baseline.spans[e.span_name]) return fail(`${describeBaseline(baseline)} has no spans named ${q(e.span_name)}`);
  if (e.span_name !== undefined && !current.has(e.span_name)) return fail(`no span named ${q(e.span_name)} in this execution to compare with ${describeBaseline(baseline)}`);
  if (names.length === 0) return fail(`this execution has no span name in common with ${describeBaseline(baseline)}`);
  const findings: RegressionFinding[] = names.flatMap((name) => limits.filter(isLatency).map(([metric, limit]) => judgeMetric(e, name, metric, limit, baseline.spans[name]!, current.get(name)!)));
  const throughputLimit = limits.find(([metric]) => metric === 'throughput')?.[1];
  const throughput = throughputLimit === undefined ? undefined : compareThroughput(names, throughputLimit, spans, baseline, describeBaseline(baseline));
  findings.push(...(throughput?.findings ?? []));
  // Each note says what was not compared ("throughput not compared …"); with nothing compared, they are the message.
  if (findings.length === 0) return { result: { expectation, kind: 'performance', passed: true, message: throughput!.notes.join('; '), spans: [] }, findings };
  const notes = (throughput?.notes ?? []).map((n) => `; ${n}`).join('');
  const regressed = findings.filter((f) => f.verdict === 'regressed');
  const failOn = e.fail_on_regression ?? true;
  const against = `against ${describeBaseline(baseline)}`;
  if (regressed.length === 0) {
    const worst = [...findings].sort((a, b) => worsening(b) - worsening(a))[0]!;
    const more = findings.length > 1 ? `; ${findings.length} metric(s) compared` : '';
    return { result: { expectation, kind: 'performance', passed: true, message: `no regression ${against}: largest change ${findingText(worst)}${more}${notes}`, spans: [] }, findings };
  }
  const slowNames = new Set(regressed.map((f) => f.spanName));
  const evidence = spans.filter((s) => slowNames.has(s.name)).sort((a, b) => b.durationUs - a.durationUs).slice(0, MAX_EVIDENCE).map((s) => s.spanId);
  const text = `regression ${against}: ${regressed.map(findingText).join('; ')}${notes}`;
  return { result: { expectation, kind: 'performance', passed: !failOn, message: failOn ? text : `${text} (fail_on_regression = false: reported only)`, spans: evidence }, findings };
}
