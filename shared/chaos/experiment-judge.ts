// Judging an experiment by its spans: each phase's assertions over the requests that started inside the
// phase's window, with the measured figures and the spans that decided them, the recovery time, and a
// resilience score. Requests are the spans an assertion names, or the root spans of the system under
// test. Pure: the runner hands over the spans and the experiment's start.
import type { Span, StatusCode } from '../model';
import { toText } from '../model/attributes';
import { percentiles } from '../perf/stats';
import type { ExperimentPlan, PhaseAssertion, PhaseName, PlannedPhase } from './experiment-plan';

/** A request as the judge sees it: times in ms from the experiment's start. */
export interface Request {
  readonly spanId: string;
  readonly name: string;
  readonly root: boolean;
  readonly startMs: number;
  readonly durationMs: number;
  readonly ok: boolean;
  readonly attrs: Readonly<Record<string, string>>;
}

export interface AssertionVerdict {
  readonly path: string;
  readonly type: PhaseAssertion['type'];
  readonly passed: boolean;
  readonly message: string;
  /** The figures measured, e.g. { requests: 40, successRate: 0.95, p95Ms: 120 }. */
  readonly measured: Readonly<Record<string, number>>;
  /** Span ids that decided it (failed or slow requests, the failover span), at most MAX_EVIDENCE. */
  readonly evidence: readonly string[];
  readonly abortOnFail: boolean;
}

export interface PhaseVerdict {
  readonly name: PhaseName;
  readonly startMs: number;
  readonly endMs: number;
  readonly verdicts: readonly AssertionVerdict[];
}

export interface ExperimentVerdict {
  readonly passed: boolean;
  readonly phases: readonly PhaseVerdict[];
  /** Resilience score 0–100 (see PHASE_WEIGHTS), undefined without assertions. */
  readonly score?: number;
}

/** Litmus-style weights: how much each phase's assertions count towards the resilience score. */
export const PHASE_WEIGHTS: Readonly<Record<PhaseName, number>> = { steady_state: 1, during_chaos: 2, recovery: 2 };
export const BUCKET_MS = 1000;
const MAX_EVIDENCE = 20;
/** Recovery's bar when the assertion gives none: the success rate a steady system keeps. */
const DEFAULT_RECOVERED_RATE = 0.99;

/** Whether a span counts as a successful request: only an ERROR status fails one. */
export const succeeded = (status: StatusCode): boolean => status !== 'error';

/** The spans of a run as requests on the experiment's time axis. */
export function toRequests(spans: readonly Span[], experimentStartUs: number): Request[] {
  return spans.map((s) => ({
    spanId: s.spanId,
    name: s.name,
    root: s.parentSpanId === undefined,
    startMs: (s.startUs - experimentStartUs) / 1000,
    durationMs: s.durationUs / 1000,
    ok: succeeded(s.status.code),
    attrs: Object.fromEntries(s.attributes.map((kv) => [kv.key, toText(kv.value)])),
  }));
}

export function judgeExperiment(plan: ExperimentPlan, requests: readonly Request[]): ExperimentVerdict {
  const phases = plan.phases.map((phase) => ({
    name: phase.name,
    startMs: phase.startMs,
    endMs: phase.endMs,
    verdicts: phase.assertions.map((a) => judgeAssertion(a, phase, requests)),
  }));
  let weight = 0;
  let earned = 0;
  for (const p of phases) {
    for (const v of p.verdicts) {
      weight += PHASE_WEIGHTS[p.name];
      if (v.passed) earned += PHASE_WEIGHTS[p.name];
    }
  }
  return { passed: phases.every((p) => p.verdicts.every((v) => v.passed)), phases, ...(weight > 0 ? { score: Math.round((1000 * earned) / weight) / 10 } : {}) };
}

/** The requests an assertion counts inside [fromMs, toMs), in start order. */
function selected(a: PhaseAssertion, requests: readonly Request[], fromMs: number, toMs: number): Request[] {
  return requests
    .filter((r) => (a.spanName !== undefined ? r.name === a.spanName : r.root) && r.startMs >= fromMs && r.startMs < toMs)
    .sort((x, y) => x.startMs - y.startMs);
}

export function judgeAssertion(a: PhaseAssertion, phase: PlannedPhase, requests: readonly Request[]): AssertionVerdict {
  const inWindow = selected(a, requests, phase.startMs, phase.endMs);
  const what = a.spanName !== undefined ? `"${a.spanName}" spans` : 'requests (root spans)';
  const base = { path: a.path, type: a.type, abortOnFail: a.abortOnFail };
  if (inWindow.length === 0) {
    return { ...base, passed: false, message: `no ${what} started in ${phase.name} (${fmt(phase.startMs)}–${fmt(phase.endMs)}): the experiment needs traffic for its whole length`, measured: { requests: 0 }, evidence: [] };
  }
  switch (a.type) {
    case 'success_rate':
    case 'latency':
    case 'degraded_performance':
      return { ...base, ...rateAndLatency(a, inWindow, what) };
    case 'failover_detected':
      return { ...base, ...failover(a, inWindow, phase.startMs) };
    case 'max_downtime':
      return { ...base, ...downtime(a, inWindow, phase) };
    case 'return_to_steady_state':
      return { ...base, ...recovery(a, inWindow, phase) };
  }
}

type Judged = Pick<AssertionVerdict, 'passed' | 'message' | 'measured' | 'evidence'>;

function rateAndLatency(a: PhaseAssertion, reqs: readonly Request[], what: string): Judged {
  const ok = reqs.filter((r) => r.ok).length;
  const rate = ok / reqs.length;
  const [p50, p95, p99] = percentiles(reqs.map((r) => r.durationMs), [50, 95, 99]) as [number, number, number];
  const measured = { requests: reqs.length, successRate: rate, p50Ms: p50, p95Ms: p95, p99Ms: p99 };
  const wantRate = a.type === 'latency' ? undefined : (a.minSuccessRate ?? 1);
  const failures: string[] = [];
  if (wantRate !== undefined && rate < wantRate) failures.push(`success rate ${pct(rate)} < ${pct(wantRate)}`);
  const bounds: [string, number, number | undefined][] = [['p50', p50, a.p50MaxMs], ['p95', p95, a.p95MaxMs], ['p99', p99, a.p99MaxMs]];
  let slowest = Infinity;
  for (const [label, value, max] of bounds) {
    if (max === undefined || a.type === 'success_rate') continue;
    if (value > max) failures.push(`${label} ${fmt(value)} > ${fmt(max)}`);
    slowest = Math.min(slowest, max);
  }
  const evidence = reqs.filter((r) => !r.ok || r.durationMs > slowest).slice(0, MAX_EVIDENCE).map((r) => r.spanId);
  const summary = `${reqs.length} ${what}: success ${pct(rate)}, p95 ${fmt(p95)}`;
  return { passed: failures.length === 0, message: failures.length === 0 ? summary : `${failures.join('; ')} (${summary})`, measured, evidence };
}

/** With attributes: until the first good span that shows them. Without: from the first failure to the next success. */
function failover(a: PhaseAssertion, reqs: readonly Request[], faultStartMs: number): Judged {
  const must = Object.entries(a.mustInclude ?? {});
  let fromMs = faultStartMs;
  let to: Request | undefined;
  if (must.length > 0) {
    to = reqs.find((r) => r.ok && must.every(([k, v]) => r.attrs[k] === v));
  } else {
    const firstFailure = reqs.find((r) => !r.ok);
    if (!firstFailure) return { passed: true, message: `no request failed during the fault (${reqs.length} requests): nothing to fail over`, measured: { requests: reqs.length, failoverMs: 0 }, evidence: [] };
    fromMs = firstFailure.startMs;
    to = reqs.find((r) => r.ok && r.startMs > firstFailure.startMs);
  }
  const shows = must.length > 0 ? `a good span with ${must.map(([k, v]) => `${k}=${v}`).join(', ')}` : 'a good request after the first failure';
  if (!to) return { passed: false, message: `no failover: ${shows} never came during the fault`, measured: { requests: reqs.length }, evidence: reqs.filter((r) => !r.ok).slice(0, MAX_EVIDENCE).map((r) => r.spanId) };
  const took = to.startMs - fromMs;
  const passed = a.maxFailoverMs === undefined || took <= a.maxFailoverMs;
  const bound = a.maxFailoverMs !== undefined ? ` (limit ${fmt(a.maxFailoverMs)})` : '';
  return { passed, message: `failed over in ${fmt(took)}${bound}: ${shows}`, measured: { requests: reqs.length, failoverMs: took }, evidence: [to.spanId] };
}

/** The longest stretch of the window without a successful request starting. */
function downtime(a: PhaseAssertion, reqs: readonly Request[], phase: PlannedPhase): Judged {
  let longest = 0;
  let from = phase.startMs;
  let gapEnd: Request | undefined;
  for (const r of reqs) {
    if (!r.ok) continue;
    if (r.startMs - from > longest) [longest, gapEnd] = [r.startMs - from, r];
    from = r.startMs;
  }
  if (phase.endMs - from > longest) [longest, gapEnd] = [phase.endMs - from, undefined];
  const passed = a.maxDowntimeMs === undefined || longest <= a.maxDowntimeMs;
  const limit = a.maxDowntimeMs !== undefined ? ` (limit ${fmt(a.maxDowntimeMs)})` : '';
  return { passed, message: `longest time without a successful request: ${fmt(longest)}${limit}`, measured: { requests: reqs.length, downtimeMs: longest }, evidence: gapEnd ? [gapEnd.spanId] : [] };
}

/** Recovered at the first second from which every later second with traffic meets the bar. */
function recovery(a: PhaseAssertion, reqs: readonly Request[], phase: PlannedPhase): Judged {
  const bar = a.minSuccessRate ?? DEFAULT_RECOVERED_RATE;
  const buckets = secondBuckets(reqs, phase.startMs, phase.endMs);
  const good = buckets.map((b) => b.length === 0 || meets(b, bar, a.p95MaxMs));
  let at = good.length;
  while (at > 0 && good[at - 1]) at--;
  const recovered = at < buckets.length && buckets.slice(at).some((b) => b.length > 0);
  if (!recovered) {
    return { passed: false, message: `did not return to steady state (success ≥ ${pct(bar)}${a.p95MaxMs !== undefined ? `, p95 ≤ ${fmt(a.p95MaxMs)}` : ''}) within the recovery window of ${fmt(phase.endMs - phase.startMs)}`, measured: { requests: reqs.length }, evidence: reqs.filter((r) => !r.ok).slice(-MAX_EVIDENCE).map((r) => r.spanId) };
  }
  const recoveryMs = at * BUCKET_MS;
  const passed = a.maxRecoveryMs === undefined || recoveryMs <= a.maxRecoveryMs;
  const limit = a.maxRecoveryMs !== undefined ? ` (limit ${fmt(a.maxRecoveryMs)})` : '';
  const lastBad = buckets.slice(0, at).flat().filter((r) => !r.ok).slice(-MAX_EVIDENCE);
  return { passed, message: `recovered ${fmt(recoveryMs)} after the fault ended${limit}`, measured: { requests: reqs.length, recoveryMs }, evidence: lastBad.map((r) => r.spanId) };
}

function secondBuckets(reqs: readonly Request[], fromMs: number, toMs: number): Request[][] {
  const buckets: Request[][] = Array.from({ length: Math.max(1, Math.ceil((toMs - fromMs) / BUCKET_MS)) }, () => []);
  for (const r of reqs) buckets[Math.min(buckets.length - 1, Math.floor((r.startMs - fromMs) / BUCKET_MS))]!.push(r);
  return buckets;
}

function meets(bucket: readonly Request[], minRate: number, p95MaxMs: number | undefined): boolean {
  const rate = bucket.filter((r) => r.ok).length / bucket.length;
  if (rate < minRate) return false;
  return p95MaxMs === undefined || percentiles(bucket.map((r) => r.durationMs), [95])[0]! <= p95MaxMs;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
const fmt = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
