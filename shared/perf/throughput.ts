// Spans of one name per second over their own window — the first one's start to the last one's end. The one
// definition `[[expect.performance]]` throughput (window = "spans", ./performance-checks.ts) and baselines
// (./baseline.ts, judged by `throughput_decrease_max_percent`) both use, so both give the same figure.
import type { Span } from '../model';

/** Microseconds since the epoch, as span times. */
export interface TimeWindow {
  readonly startUs: number;
  readonly endUs: number;
}

/** A rate that could be measured: at least 2 spans over more than 0 ms. */
export interface SpanRate {
  readonly count: number;
  readonly windowMs: number;
  readonly perSecond: number;
}

/** From the first span's start to the last one's end (a loop: spreading 100,000s of values overflows the stack). */
export function spansWindow(spans: readonly Span[]): TimeWindow {
  let startUs = Infinity;
  let endUs = -Infinity;
  for (const s of spans) {
    startUs = Math.min(startUs, s.startUs);
    endUs = Math.max(endUs, s.startUs + s.durationUs);
  }
  return { startUs, endUs };
}

/** These spans per second of their own window; undefined with fewer than 2 spans or a window of 0 ms. */
export function spansRate(spans: readonly Span[]): SpanRate | undefined {
  if (spans.length < 2) return undefined;
  const { startUs, endUs } = spansWindow(spans);
  const windowMs = (endUs - startUs) / 1000;
  if (!(windowMs > 0)) return undefined;
  return { count: spans.length, windowMs, perSecond: spans.length / (windowMs / 1000) };
}

/** The rate of every span name that has one (names without: fewer than 2 spans or a 0 ms window). */
export function ratesByName(spans: readonly Span[]): Map<string, SpanRate> {
  const byName = new Map<string, Span[]>();
  for (const span of spans) {
    let list = byName.get(span.name);
    if (!list) byName.set(span.name, (list = []));
    list.push(span);
  }
  const out = new Map<string, SpanRate>();
  for (const [name, named] of byName) {
    const rate = spansRate(named);
    if (rate) out.set(name, rate);
  }
  return out;
}

/**
 * Several executions' rates of one name as one: counts and windows added (each execution's own window, so
 * the time between executions is not counted). Undefined when none has a rate.
 */
export function pooledRate(rates: readonly SpanRate[]): SpanRate | undefined {
  if (rates.length === 0) return undefined;
  const count = rates.reduce((a, r) => a + r.count, 0);
  const windowMs = rates.reduce((a, r) => a + r.windowMs, 0);
  return { count, windowMs, perSecond: count / (windowMs / 1000) };
}
