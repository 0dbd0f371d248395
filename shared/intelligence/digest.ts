// One pass over every run, gathering per span name what the miners need: how often it occurs, its
// kinds, parents, statuses, durations, attribute values and events; whether it lies inside its parent;
// which names precede it; which services call which. Iterative, numeric name ids, no recursion.
import { toText, type Span, type SpanKind, type StatusCode } from '../model';
import { keepAttribute } from '../expect/determinism';
import { compareNano } from '../expect/util';
import { selfTimeUs } from '../expect/self-time';
import type { MiningRun } from './types';

const EVIDENCE = 5;

export interface AttributeStats {
  /** Spans of this name that carry the key. */
  spans: number;
  values: Map<string, number>;
  /** Every value was a number (int, double, or a string holding one). */
  numeric: boolean;
  numbers: number[];
  evidence: string[];
}

export interface NameStats {
  readonly name: string;
  /** Runs with at least one span of this name. */
  runs: number;
  /** Spans of this name in all runs. */
  total: number;
  /** Per run (index in the run list), how many spans of this name. */
  readonly counts: number[];
  kinds: Map<SpanKind, number>;
  /** Parent span name; '' for a root (or an orphan). */
  parents: Map<string, number>;
  statuses: Map<StatusCode, number>;
  /** Microseconds, one per span. */
  durations: number[];
  /** Self time (duration minus what the children cover) in microseconds, one per span. */
  selfTimes: number[];
  /** Some span of this name had a child (else self time is the duration). */
  hasChildren: boolean;
  /** Services (resource service.name) with spans of this name. */
  services: Map<string, number>;
  /** Spans of this name whose parent is in another service (a call's server side, closed on its own time). */
  calledFromOtherService: number;
  attrs: Map<string, AttributeStats>;
  /** Event name → spans of this name that have it. */
  events: Map<string, number>;
  /** Spans lying (exact nanoseconds) inside their parent span. */
  withinParent: number;
  evidence: string[];
}

export interface PairStats {
  /** Runs (among those with the second name) where every second span was preceded by a first. */
  held: number;
  /** In some run, a second span was preceded only through ancestry (not by time). */
  viaAncestor: boolean;
  /** In some run, it held by time alone. */
  viaTime: boolean;
  evidence: string[];
}

export interface SiblingPairStats {
  held: number;
  /** A first span and the second span it preceded, from the first runs. */
  evidence: string[];
}

export interface Digest {
  readonly runs: number;
  readonly names: NameStats[];
  readonly byName: Map<string, NameStats>;
  /** pairKey(first, second) → how "first precedes every second" held. */
  readonly pairs: Map<string, PairStats>;
  /** pairKey(first, second) → runs where every second span had a first sibling (same parent) ended before it. */
  readonly siblingPairs: Map<string, SiblingPairStats>;
  /** Per run: total spans, ERROR spans, and whether every span had status OK. */
  readonly totals: { spans: number; errors: number; allOk: boolean }[];
  /** Caller service → callee service → runs in which the edge was seen. */
  readonly serviceEdges: Map<string, Map<string, number>>;
  /** Service → spans of it (each is a chance to call another service). */
  readonly serviceSpans: Map<string, number>;
  /** Service → runs in which another service called it. */
  readonly serviceEntered: Map<string, number>;
}

export const pairKey = (first: string, second: string) => `${first}\u0000${second}`;

function newStats(name: string, runCount: number): NameStats {
  return {
    name,
    runs: 0,
    total: 0,
    counts: new Array<number>(runCount).fill(0),
    kinds: new Map(),
    parents: new Map(),
    statuses: new Map(),
    durations: [],
    selfTimes: [],
    hasChildren: false,
    services: new Map(),
    calledFromOtherService: 0,
    attrs: new Map(),
    events: new Map(),
    withinParent: 0,
    evidence: [],
  };
}

const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
const endNano = (s: Span) => s.endTimeUnixNano;

function numberOf(text: string, raw: Span['attributes'][number]['value']): number | undefined {
  if ('intValue' in raw) return Number(raw.intValue);
  if ('doubleValue' in raw) return raw.doubleValue;
  if ('stringValue' in raw && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  return undefined;
}

function recordAttributes(stats: NameStats, span: Span, keep: (key: string) => boolean): void {
  for (const { key, value } of span.attributes) {
    // Run tags (clnrm.run_id, clnrm.iteration …) and ids/hosts/times differ by nature.
    if (key.startsWith('clnrm.') || !keep(key) || 'arrayValue' in value || 'kvlistValue' in value || 'bytesValue' in value) continue;
    let a = stats.attrs.get(key);
    if (!a) stats.attrs.set(key, (a = { spans: 0, values: new Map(), numeric: true, numbers: [], evidence: [] }));
    const text = toText(value);
    a.spans++;
    bump(a.values, text);
    const n = numberOf(text, value);
    if (n === undefined) a.numeric = false;
    else if (a.numeric) a.numbers.push(n);
    if (a.evidence.length < EVIDENCE) a.evidence.push(span.spanId);
  }
}

export function digestRuns(runs: readonly MiningRun[]): Digest {
  const byName = new Map<string, NameStats>();
  const names: NameStats[] = [];
  const pairs = new Map<string, PairStats>();
  const siblingPairs = new Map<string, SiblingPairStats>();
  const totals: Digest['totals'] = [];
  const serviceEdges = new Map<string, Map<string, number>>();
  const serviceSpans = new Map<string, number>();
  const serviceEntered = new Map<string, number>();
  const keep = keepAttribute();
  runs.forEach((run, r) => {
    const spans = run.spans;
    const at = new Map<string, number>();
    spans.forEach((s, i) => at.set(s.traceId + s.spanId, i));
    const parent = spans.map((s) => (s.parentSpanId === undefined ? -1 : (at.get(s.traceId + s.parentSpanId) ?? -1)));
    const statsOf: NameStats[] = spans.map((s) => {
      let st = byName.get(s.name);
      if (!st) {
        st = newStats(s.name, runs.length);
        byName.set(s.name, st);
        names.push(st);
      }
      return st;
    });
    let errors = 0;
    let allOk = true;
    const edgesHere = new Set<string>();
    const kids = childIntervals(spans, parent);
    spans.forEach((s, i) => {
      const st = statsOf[i]!;
      if (st.counts[r] === 0) st.runs++;
      st.counts[r]!++;
      st.total++;
      bump(st.kinds, s.kind);
      const p = parent[i]!;
      bump(st.parents, p < 0 ? '' : spans[p]!.name);
      bump(st.statuses, s.status.code);
      if (s.status.code === 'error') errors++;
      if (s.status.code !== 'ok') allOk = false;
      st.durations.push(s.durationUs);
      st.selfTimes.push(selfTimeUs(s.startUs, s.startUs + s.durationUs, kids[i] ?? []));
      if (kids[i]) st.hasChildren = true;
      bump(st.services, s.serviceName);
      recordAttributes(st, s, keep);
      const seen = new Set<string>();
      for (const e of s.events) {
        if (seen.has(e.name)) continue;
        seen.add(e.name);
        bump(st.events, e.name);
      }
      if (p >= 0) {
        const ps = spans[p]!;
        if (compareNano(ps.startTimeUnixNano, s.startTimeUnixNano) <= 0 && compareNano(s.endTimeUnixNano, ps.endTimeUnixNano) <= 0) st.withinParent++;
        if (ps.serviceName !== s.serviceName) {
          edgesHere.add(`${ps.serviceName}\u0000${s.serviceName}`);
          st.calledFromOtherService++;
        }
      }
      bump(serviceSpans, s.serviceName);
      if (st.evidence.length < EVIDENCE) st.evidence.push(s.spanId);
    });
    const enteredHere = new Set<string>();
    for (const e of edgesHere) {
      const [from, to] = e.split('\u0000') as [string, string];
      if (!serviceEdges.has(from)) serviceEdges.set(from, new Map());
      bump(serviceEdges.get(from)!, to);
      enteredHere.add(to);
    }
    for (const to of enteredHere) bump(serviceEntered, to);
    totals.push({ spans: spans.length, errors, allOk });
    recordPrecedence(spans, parent, statsOf, pairs);
    recordSiblingPrecedence(spans, parent, statsOf, siblingPairs);
  });
  // By name, so the order runs come in does not change what is suggested or in which order.
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { runs: runs.length, names, byName, pairs, siblingPairs, totals, serviceEdges, serviceSpans, serviceEntered };
}

/** Per span index, its children's [start, end] in µs (undefined for a leaf). */
function childIntervals(spans: readonly Span[], parent: readonly number[]): ([number, number][] | undefined)[] {
  const kids: ([number, number][] | undefined)[] = new Array(spans.length);
  spans.forEach((s, i) => {
    const p = parent[i]!;
    if (p >= 0) (kids[p] ??= []).push([s.startUs, s.startUs + s.durationUs]);
  });
  return kids;
}

/**
 * For each name B in the run, the names A such that every B span is preceded by the earliest-ending
 * A span (end ≤ start, exact) or has an A ancestor — the evaluator's must_precede rule.
 */
function recordPrecedence(spans: readonly Span[], parent: readonly number[], statsOf: readonly NameStats[], pairs: Map<string, PairStats>): void {
  const earliest = new Map<NameStats, number>();
  spans.forEach((s, i) => {
    const st = statsOf[i]!;
    const e = earliest.get(st);
    if (e === undefined || compareNano(endNano(s), endNano(spans[e]!)) < 0) earliest.set(st, i);
  });
  const byEnd = [...earliest.entries()].sort((a, b) => compareNano(endNano(spans[a[1]]!), endNano(spans[b[1]]!)));
  // Per second name: first name → 'time' | 'ancestor' while it has held for every span so far.
  const holding = new Map<NameStats, Map<NameStats, 'time' | 'ancestor'>>();
  spans.forEach((s, i) => {
    const st = statsOf[i]!;
    const here = new Map<NameStats, 'time' | 'ancestor'>();
    for (const [a, e] of byEnd) {
      if (compareNano(endNano(spans[e]!), s.startTimeUnixNano) > 0) break;
      if (a !== st) here.set(a, 'time');
    }
    for (let p = parent[i]!, guard = 0; p >= 0 && guard < spans.length; p = parent[p]!, guard++) {
      const a = statsOf[p]!;
      if (a !== st && !here.has(a)) here.set(a, 'ancestor');
    }
    const before = holding.get(st);
    if (!before) holding.set(st, here);
    else {
      for (const a of before.keys()) {
        const now = here.get(a);
        if (now === undefined) before.delete(a);
        else if (now === 'ancestor') before.set(a, 'ancestor');
      }
    }
  });
  for (const [b, firsts] of holding) {
    for (const [a, how] of firsts) {
      const key = pairKey(a.name, b.name);
      let p = pairs.get(key);
      if (!p) pairs.set(key, (p = { held: 0, viaAncestor: false, viaTime: false, evidence: [] }));
      p.held++;
      if (how === 'ancestor') p.viaAncestor = true;
      else p.viaTime = true;
      if (p.evidence.length < 4) p.evidence.push(spans[earliest.get(a)!]!.spanId, spans[earliest.get(b)!]!.spanId);
    }
  }
}

/** Per name B in the run, the names A such that every B span has an A sibling that ended no later than it started. */
function recordSiblingPrecedence(spans: readonly Span[], parent: readonly number[], statsOf: readonly NameStats[], siblingPairs: Map<string, SiblingPairStats>): void {
  const children = new Map<number, number[]>();
  parent.forEach((p, i) => {
    if (p >= 0) (children.get(p) ?? children.set(p, []).get(p)!).push(i);
  });
  for (const kids of children.values()) kids.sort((x, y) => compareNano(endNano(spans[x]!), endNano(spans[y]!)));
  // Per second name: first name → [a first span, the second span it preceded] while it has held for every span so far.
  const holding = new Map<NameStats, Map<NameStats, [number, number]>>();
  spans.forEach((s, i) => {
    const here = new Map<NameStats, [number, number]>();
    for (const k of parent[i]! >= 0 ? children.get(parent[i]!)! : []) {
      if (compareNano(endNano(spans[k]!), s.startTimeUnixNano) > 0) break;
      if (statsOf[k] !== statsOf[i] && !here.has(statsOf[k]!)) here.set(statsOf[k]!, [k, i]);
    }
    const before = holding.get(statsOf[i]!);
    if (!before) holding.set(statsOf[i]!, here);
    else for (const a of before.keys()) if (!here.has(a)) before.delete(a);
  });
  for (const [b, firsts] of holding) {
    for (const [a, [k, i]] of firsts) {
      const key = pairKey(a.name, b.name);
      let p = siblingPairs.get(key);
      if (!p) siblingPairs.set(key, (p = { held: 0, evidence: [] }));
      p.held++;
      if (p.evidence.length < 4) p.evidence.push(spans[k]!.spanId, spans[i]!.spanId);
    }
  }
}
