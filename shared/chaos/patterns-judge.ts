// The verdict of one `[chaos.patterns]` test over its execution's spans: each check an expectation result
// (kind `chaos`) with the measured figures against the expected ones and evidence span ids. Meanings and
// tolerances are in shared/chaos/README.md ("Resilience patterns").
import type { ExpectationResult } from '../expect';
import { MAX_EVIDENCE, didYouMean } from '../expect/util';
import { findAttribute, toText } from '../model/attributes';
import type { Span } from '../model';
import type { BackoffStrategy } from '../spec/schema/chaos-patterns';
import type { PlannedPatternTest } from './patterns-plan';

/**
 * How far a measured retry wait may be from the expected one. Early: only clock granularity (Node's timers run
 * on a millisecond loop clock, so a wait can measure ~1 ms short on the spans' finer clock; seen: 99.9 ms for
 * 100). Late: the service's event loop and a shared CPU delay a timer, more for longer waits.
 */
export const BACKOFF_TOLERANCE = { earlyMs: 5, lateMs: 50, lateFraction: 0.25 } as const;

type Attrs = Readonly<Record<string, string | number | boolean>>;

const attr = (s: Span, key: string): string | undefined => {
  const v = findAttribute(s.attributes, key);
  return v === undefined ? undefined : toText(v);
};
/** The attributes of `attrs` that `s` does not carry with the expected value (compared as text: "5000" = 5000). */
const mismatches = (s: Span, attrs: Attrs): string[] => Object.entries(attrs).filter(([k, v]) => attr(s, k) !== String(v)).map(([k]) => k);
const endUs = (s: Span): number => s.startUs + s.durationUs;
const fmt = (attrs: Attrs): string => Object.entries(attrs).map(([k, v]) => `${k} = ${JSON.stringify(String(v))}`).join(', ');
const ids = (spans: readonly Span[]): string[] => spans.slice(0, MAX_EVIDENCE).map((s) => s.spanId);

export function judgePatternTest(test: PlannedPatternTest, spans: readonly Span[]): ExpectationResult[] {
  const t = test.table;
  const attrs = t.expect_attrs;
  const out: ExpectationResult[] = [];
  const result = (key: string, passed: boolean, message: string, evidence: readonly Span[]): void =>
    void out.push({ expectation: `${test.path}.${key}`, kind: 'chaos', passed, message, spans: ids(evidence) });
  // expect_attrs belongs to the first check that names spans: expect_span, else expect_timeout, else expect_spans.
  const attrsOwner = t.expect_span !== undefined ? 'expect_span' : t.expect_timeout === true ? 'expect_timeout' : t.expect_spans !== undefined ? 'expect_spans' : undefined;
  const names = [...new Set(spans.map((s) => s.name))];
  if (t.expect_span !== undefined) result('expect_span', ...named(spans, names, t.expect_span, attrsOwner === 'expect_span' ? attrs : undefined));
  if (t.expect_spans !== undefined) {
    const each = t.expect_spans.map((name) => named(spans, names, name, attrsOwner === 'expect_spans' ? attrs : undefined));
    const failed = each.filter(([passed]) => !passed);
    const message = failed.length === 0 ? `all ${each.length} spans present: ${t.expect_spans.join(', ')}` : failed.map(([, m]) => m).join('; ');
    result('expect_spans', failed.length === 0, message, each.flatMap(([, , e]) => e));
  }
  if (t.expect_timeout !== undefined) result('expect_timeout', ...timeouts(spans, t.expect_timeout, attrsOwner === 'expect_timeout' ? attrs : undefined));
  if (attrs !== undefined && attrsOwner === undefined) {
    const carrying = spans.filter((s) => mismatches(s, attrs).length === 0);
    result('expect_attrs', carrying.length > 0, carrying.length > 0 ? `${carrying.length} span(s) carry ${fmt(attrs)}` : `no span carries ${fmt(attrs)}`, carrying);
  }
  if (t.validate_requests_blocked === true) result('validate_requests_blocked', ...blocked(spans, test.service));
  const timing = t.validate_backoff_timing;
  if (timing !== undefined) result('validate_backoff_timing', ...backoff(spans, { strategy: timing.strategy.toLowerCase() as BackoffStrategy, baseMs: timing.base_ms, maxMs: timing.max_ms ?? Number.POSITIVE_INFINITY }));
  return out;
}

type Verdict = [passed: boolean, message: string, evidence: Span[]];

/** Spans called `name`, and (with attrs) one of them carrying every attribute. */
function named(spans: readonly Span[], names: readonly string[], name: string, attrs: Attrs | undefined): Verdict {
  const found = spans.filter((s) => s.name === name);
  if (found.length === 0) return [false, `no span "${name}".${didYouMean(names, name)}`, []];
  if (attrs === undefined) return [true, `"${name}": ${found.length} span(s)`, found];
  const carrying = found.filter((s) => mismatches(s, attrs).length === 0);
  if (carrying.length > 0) return [true, `"${name}" with ${fmt(attrs)}: ${carrying.length} of ${found.length} span(s)`, carrying];
  const first = found[0]!;
  const seen = mismatches(first, attrs).map((k) => `${k} = ${JSON.stringify(attr(first, k) ?? null)}`).join(', ');
  return [false, `${found.length} "${name}" span(s), none with ${fmt(attrs)} (the first has ${seen})`, found];
}

/** Calls that ended in a timeout: spans with error.type = "timeout" (and the attributes asked for). */
function timeouts(spans: readonly Span[], expected: boolean, attrs: Attrs | undefined): Verdict {
  const timedOut = spans.filter((s) => attr(s, 'error.type') === 'timeout');
  if (!expected) return [timedOut.length === 0, timedOut.length === 0 ? 'no call timed out' : `${timedOut.length} call(s) timed out (error.type = "timeout"), none expected`, timedOut];
  if (timedOut.length === 0) return [false, 'no call timed out: no span has error.type = "timeout"', []];
  if (attrs === undefined) return [true, `${timedOut.length} call(s) timed out`, timedOut];
  const carrying = timedOut.filter((s) => mismatches(s, attrs).length === 0);
  if (carrying.length > 0) return [true, `${carrying.length} call(s) timed out with ${fmt(attrs)}`, carrying];
  const first = timedOut[0]!;
  const seen = mismatches(first, attrs).map((k) => `${k} = ${JSON.stringify(attr(first, k) ?? null)}`).join(', ');
  return [false, `${timedOut.length} call(s) timed out, none with ${fmt(attrs)} (the first has ${seen})`, timedOut];
}

/**
 * How long the circuit stayed open before each `circuit.close` span (a half-open trial that succeeded): from
 * the first `circuit.open` since it last closed, so a failed trial's reopening does not restart it.
 */
function openSpells(opens: readonly Span[], closes: readonly Span[]): number[] {
  const marks = [...opens.map((s) => ({ us: s.startUs, opens: true })), ...closes.map((s) => ({ us: s.startUs, opens: false }))].sort((a, b) => a.us - b.us);
  const spells: number[] = [];
  let since: number | undefined;
  for (const m of marks) {
    if (m.opens) since ??= m.us;
    else if (since !== undefined) {
      spells.push((m.us - since) / 1000);
      since = undefined;
    }
  }
  return spells;
}

/**
 * While the circuit was open (from each `circuit.open` span for its circuit.cooldown_ms, or to the last span
 * without it), no call reached the faulted service — no span of it whose parent, in another service, started
 * in the window — and at least one call was short-circuited (circuit.short_circuited = true) there. When the
 * breaker closed again (`circuit.close` spans), the message says after how long.
 */
function blocked(spans: readonly Span[], service: string): Verdict {
  const opens = spans.filter((s) => s.name === 'circuit.open');
  if (opens.length === 0) return [false, 'the circuit never opened: no "circuit.open" span', []];
  const lastUs = Math.max(...spans.map(endUs));
  const windows = opens.map((o) => {
    const cooldown = Number(attr(o, 'circuit.cooldown_ms'));
    return { fromUs: o.startUs, toUs: Number.isFinite(cooldown) ? o.startUs + cooldown * 1000 : lastUs };
  });
  const inWindow = (us: number): boolean => windows.some((w) => us >= w.fromUs && us <= w.toUs);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const reached = spans.filter((s) => {
    const parent = s.parentSpanId !== undefined ? byId.get(s.parentSpanId) : undefined;
    return s.serviceName === service && parent !== undefined && parent.serviceName !== service && inWindow(parent.startUs);
  });
  const shortCircuited = spans.filter((s) => attr(s, 'circuit.short_circuited') === 'true' && inWindow(s.startUs));
  const openMs = windows.reduce((sum, w) => sum + (w.toUs - w.fromUs) / 1000, 0);
  const closes = spans.filter((s) => s.name === 'circuit.close');
  const spells = openSpells(opens, closes);
  const closed = spells.length === 0 ? '' : `; the breaker closed again after ${spells.slice(0, 3).map((ms) => `${ms.toFixed(0)} ms`).join(', ')} open${spells.length > 3 ? ` (${spells.length} times)` : ''}`;
  if (reached.length > 0) return [false, `${reached.length} call(s) reached ${service} while the circuit was open (${openMs.toFixed(0)} ms open), expected none${closed}`, reached];
  if (shortCircuited.length === 0) return [false, `no call was short-circuited while the circuit was open (${openMs.toFixed(0)} ms): nothing shows requests blocked${closed}`, opens];
  return [true, `${shortCircuited.length} call(s) short-circuited while the circuit was open (${openMs.toFixed(0)} ms), none reached ${service}${closed}`, [...opens, ...shortCircuited, ...closes]];
}

interface Backoff {
  readonly strategy: BackoffStrategy;
  readonly baseMs: number;
  readonly maxMs: number;
}

/** The wait expected after attempt n (n ≥ 1): exponential base·2^(n-1), linear base·n, constant base; capped at max. */
export function expectedWaitMs(b: Backoff, attempt: number): number {
  const raw = b.strategy === 'exponential' ? b.baseMs * 2 ** (attempt - 1) : b.strategy === 'linear' ? b.baseMs * attempt : b.baseMs;
  return Math.min(raw, b.maxMs);
}

/** Whether a measured wait fits the expected one within BACKOFF_TOLERANCE. */
export function waitFits(measuredMs: number, expectedMs: number): boolean {
  const late = Math.max(BACKOFF_TOLERANCE.lateMs, expectedMs * BACKOFF_TOLERANCE.lateFraction);
  return measuredMs >= expectedMs - BACKOFF_TOLERANCE.earlyMs && measuredMs <= expectedMs + late;
}

const ATTEMPT = /^retry\.attempt_(\d+)$/;

/**
 * Retry sequences are the `retry.attempt_N` spans under one parent, in N order. The wait after attempt n is
 * the gap from its end to attempt n+1's start. Every wait of every sequence must fit; at least one wait is needed.
 */
function backoff(spans: readonly Span[], b: Backoff): Verdict {
  const sequences = new Map<string, { n: number; span: Span }[]>();
  for (const s of spans) {
    const m = ATTEMPT.exec(s.name);
    if (!m) continue;
    const key = `${s.traceId}/${s.parentSpanId ?? ''}`;
    sequences.set(key, [...(sequences.get(key) ?? []), { n: Number(m[1]), span: s }]);
  }
  const waits = [...sequences.values()].flatMap((seq) => {
    const sorted = seq.sort((a, c) => a.n - c.n);
    return sorted.slice(1).map((next, i) => {
      const prev = sorted[i]!;
      return { after: prev.n, measuredMs: (next.span.startUs - endUs(prev.span)) / 1000, expectedMs: expectedWaitMs(b, prev.n), spans: [prev.span, next.span] };
    });
  });
  if (waits.length === 0) return [false, 'no retries to time: no two retry.attempt_N spans under one parent', spans.filter((s) => ATTEMPT.test(s.name))];
  const describe = (w: (typeof waits)[number]): string => `after attempt ${w.after} waited ${w.measuredMs.toFixed(1)} ms, expected ${w.expectedMs} ms`;
  const off = waits.filter((w) => !waitFits(w.measuredMs, w.expectedMs));
  if (off.length > 0) return [false, `${off.length} of ${waits.length} wait(s) off the ${b.strategy} backoff: ${off.slice(0, 3).map(describe).join('; ')}`, off.flatMap((w) => w.spans)];
  return [true, `${waits.length} wait(s) follow the ${b.strategy} backoff: ${waits.slice(0, 4).map(describe).join('; ')}`, waits.flatMap((w) => w.spans)];
}
