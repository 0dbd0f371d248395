// Faults injected into correct runs (synthetic or recorded), for the quality benchmark: each returns a copy of
// a correct run with one fault of its kind, or undefined when the run offers no place for it. What a
// fault needs to know about correct runs (names every run has, constant attributes, edges never seen)
// comes from the runs learned from, so a mutant is never just another correct run — a slowdown too: a
// span is slowed only where 3× its duration lies beyond what the correct runs showed, stalls included.
import { buildSpan, type Span } from '../model';
import type { MiningRun } from './types';
import { digestRuns } from './digest';
import { stallRoom } from './mine-spans';

export type MutantKind = 'dropped-span' | 'swapped-calls' | 'slower-3x' | 'error-status' | 'changed-attribute' | 'forbidden-edge' | 'missing-event';
export const MUTANT_KINDS: readonly MutantKind[] = ['dropped-span', 'swapped-calls', 'slower-3x', 'error-status', 'changed-attribute', 'forbidden-edge', 'missing-event'];

export interface Knowledge {
  /** Names present in every correct run, exactly once. */
  readonly required: readonly string[];
  /** [name, key, value] constant in every correct run. */
  readonly constants: readonly (readonly [string, string, string])[];
  /** [caller, callee] service pairs never seen. */
  readonly unseenEdges: readonly (readonly [string, string])[];
  /** Per required name, the longest it lasted in any correct run known (µs): a slowdown within it is not measurable. */
  readonly longestUs: ReadonlyMap<string, number>;
  /**
   * Per required name, the longest stall (µs) seen in a correct run known on another span of its service
   * (mine-spans.ts): a span that much longer than its longest is still what a correct run on a loaded host shows.
   */
  readonly stallUs: ReadonlyMap<string, number>;
}

/** Why a run offers no place for a fault of a kind (the benchmark prints it as n/a). */
export const NO_PLACE: Record<MutantKind, string> = {
  'dropped-span': 'no span below the root is in every correct run',
  'swapped-calls': 'no two sibling calls run one after the other',
  'slower-3x': 'no span, 3× slower, would last longer than it ever did in a correct run plus the longest stall seen on its service, learned or fresh (not measurable in one run)',
  'error-status': 'no span',
  'changed-attribute': 'no attribute is constant in the correct runs',
  'forbidden-edge': 'no pair of services here was never seen calling each other',
  'missing-event': 'no span records an event',
};

/**
 * What faults need to know, from the correct runs learned from; `otherCorrect` (in the benchmark, the
 * fresh correct runs judged) widens only what a correct run can last: a span tripled that a fresh
 * correct run also reaches is no fault that one run can show.
 */
export function knowledgeOf(runs: readonly MiningRun[], otherCorrect: readonly MiningRun[] = []): Knowledge {
  const d = digestRuns(runs);
  const required = d.names.filter((n) => n.runs === d.runs && n.counts.every((c) => c === 1)).map((n) => n.name);
  const constants = d.names.flatMap((n) =>
    n.runs === d.runs ? [...n.attrs.entries()].filter(([, a]) => a.spans === n.total && a.values.size === 1).map(([k, a]) => [n.name, k, [...a.values.keys()][0]!] as const) : [],
  );
  const services = [...d.serviceSpans.keys()];
  const unseenEdges = services.flatMap((a) => services.filter((b) => b !== a && !d.serviceEdges.get(a)?.has(b)).map((b) => [a, b] as const));
  const others = otherCorrect.length ? digestRuns(otherCorrect) : undefined;
  const longestUs = new Map(required.map((n) => [n, Math.max(...d.byName.get(n)!.durations, ...(others?.byName.get(n)?.durations ?? []))]));
  const stalls = [stallRoom(d), ...(others ? [stallRoom(others)] : [])];
  const stallUs = new Map(required.map((n) => [n, 1000 * Math.max(...stalls.map((s) => s.get(n) ?? 0))]));
  return { required, constants, unseenEdges, longestUs, stallUs };
}

const shift = (nano: string, deltaNs: bigint) => (BigInt(nano) + deltaNs).toString();

function rebuild(s: Span, patch: Partial<Pick<Span, 'startTimeUnixNano' | 'endTimeUnixNano' | 'attributes' | 'events' | 'status' | 'parentSpanId' | 'spanId' | 'resource' | 'name'>>): Span {
  return buildSpan({ ...s, ...patch });
}

/** Indices of span `top` and everything below it. */
function subtree(spans: readonly Span[], top: number): Set<number> {
  const out = new Set([top]);
  const ids = new Set([spans[top]!.spanId]);
  for (let grew = true; grew; ) {
    grew = false;
    spans.forEach((s, i) => {
      if (!out.has(i) && s.parentSpanId !== undefined && ids.has(s.parentSpanId)) {
        out.add(i);
        ids.add(s.spanId);
        grew = true;
      }
    });
  }
  return out;
}

const pick = <T>(random: () => number, list: readonly T[]): T | undefined => (list.length ? list[Math.floor(random() * list.length)] : undefined);

/** Two siblings where the first ends before the second starts: the pair a swap breaks. */
function sequentialSiblings(spans: readonly Span[]): [number, number][] {
  const pairs: [number, number][] = [];
  spans.forEach((a, i) =>
    spans.forEach((b, j) => {
      if (i !== j && a.parentSpanId !== undefined && a.parentSpanId === b.parentSpanId && a.name !== b.name && BigInt(a.endTimeUnixNano) <= BigInt(b.startTimeUnixNano)) pairs.push([i, j]);
    }),
  );
  return pairs;
}

/** A mutant run: what was done to it, and the span names it touched (to explain a miss). */
export interface Mutant extends MiningRun {
  readonly fault: string;
  readonly names: readonly string[];
}

type Faulty = Omit<Mutant, 'id'>;
type Mutator = (spans: readonly Span[], known: Knowledge, random: () => number) => Faulty | undefined;

const msOf = (us: number) => `${(us / 1000).toFixed(2)} ms`;
const indexOf = (spans: readonly Span[], name: string) => spans.findIndex((s) => s.name === name);

function dropSpan(spans: readonly Span[], known: Knowledge, random: () => number): Faulty | undefined {
  const name = pick(random, known.required.filter((n) => spans[indexOf(spans, n)]?.parentSpanId !== undefined));
  if (name === undefined) return undefined;
  const gone = subtree(spans, indexOf(spans, name));
  return { spans: spans.filter((_, i) => !gone.has(i)), fault: `dropped ${name} (${gone.size} span(s) with those below it)`, names: [name] };
}

function swapCalls(spans: readonly Span[], _known: Knowledge, random: () => number): Faulty | undefined {
  const pair = pick(random, sequentialSiblings(spans));
  if (!pair) return undefined;
  const [a, b] = [spans[pair[0]]!, spans[pair[1]]!];
  // b's subtree moves to where a started; a's to end where b ended.
  const toA = BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano);
  const toB = BigInt(b.endTimeUnixNano) - BigInt(a.endTimeUnixNano);
  const movedB = subtree(spans, pair[1]);
  const movedA = subtree(spans, pair[0]);
  const out = spans.map((s, i) => {
    const d = movedB.has(i) ? toA : movedA.has(i) ? toB : 0n;
    return d === 0n ? s : rebuild(s, { startTimeUnixNano: shift(s.startTimeUnixNano, d), endTimeUnixNano: shift(s.endTimeUnixNano, d) });
  });
  return { spans: out, fault: `swapped ${a.name} and ${b.name}`, names: [a.name, b.name] };
}

/**
 * The required names whose span here, tripled, would last longer than any correct run known had it, plus
 * the longest stall seen on its service: within that a slower span is one correct runs also show (or a
 * stall they showed), which no judge of one run can call a fault.
 */
export function measurableSlowdowns(spans: readonly Span[], known: Knowledge): string[] {
  return known.required.filter((n) => 3 * (spans[indexOf(spans, n)]?.durationUs ?? 0) > (known.longestUs.get(n) ?? Infinity) + (known.stallUs.get(n) ?? 0));
}

function slowDown(spans: readonly Span[], known: Knowledge, random: () => number): Faulty | undefined {
  const i = indexOf(spans, pick(random, measurableSlowdowns(spans, known)) ?? '');
  if (i < 0) return undefined;
  const s = spans[i]!;
  const start = BigInt(s.startTimeUnixNano);
  const added = 2n * (BigInt(s.endTimeUnixNano) - start);
  const inside = subtree(spans, i);
  const out = spans.map((x, j) => {
    if (j === i) return rebuild(x, { endTimeUnixNano: shift(x.endTimeUnixNano, added) });
    if (inside.has(j)) return x;
    if (BigInt(x.startTimeUnixNano) > start) return rebuild(x, { startTimeUnixNano: shift(x.startTimeUnixNano, added), endTimeUnixNano: shift(x.endTimeUnixNano, added) });
    if (BigInt(x.endTimeUnixNano) >= start) return rebuild(x, { endTimeUnixNano: shift(x.endTimeUnixNano, added) });
    return x;
  });
  const longest = known.longestUs.get(s.name)!;
  const stall = known.stallUs.get(s.name) ?? 0;
  return { spans: out, fault: `${s.name} ${msOf(s.durationUs)} → ${msOf(3 * s.durationUs)} (longest correct: ${msOf(longest)}; longest stall on its service: ${msOf(stall)})`, names: [s.name] };
}

function errorStatus(spans: readonly Span[], _known: Knowledge, random: () => number): Faulty | undefined {
  const i = Math.floor(random() * spans.length);
  const out = spans.map((s, j) => (j === i ? rebuild(s, { status: { code: 'error', message: 'injected' } }) : s));
  return { spans: out, fault: `${spans[i]!.name} ends in ERROR`, names: [spans[i]!.name] };
}

function changeAttribute(spans: readonly Span[], known: Knowledge, random: () => number): Faulty | undefined {
  const c = pick(random, known.constants);
  const i = c ? indexOf(spans, c[0]) : -1;
  if (!c || i < 0) return undefined;
  const out = spans.map((s, j) => (j === i ? rebuild(s, { attributes: s.attributes.map((a) => (a.key === c[1] ? { key: a.key, value: { stringValue: `${c[2]}-changed` } } : a)) }) : s));
  return { spans: out, fault: `${c[0]} ${c[1]} = ${JSON.stringify(`${c[2]}-changed`)}`, names: [c[0]] };
}

function crossForbiddenEdge(spans: readonly Span[], known: Knowledge, random: () => number): Faulty | undefined {
  const here = new Set(spans.map((s) => s.serviceName));
  const edge = pick(random, known.unseenEdges.filter(([a, b]) => here.has(a) && here.has(b)));
  const caller = edge ? spans.find((s) => s.serviceName === edge[0]) : undefined;
  const callee = edge ? spans.find((s) => s.serviceName === edge[1]) : undefined;
  if (!caller || !callee) return undefined;
  const call = rebuild(callee, { spanId: 'fa17' + callee.spanId.slice(4), parentSpanId: caller.spanId, startTimeUnixNano: caller.startTimeUnixNano, endTimeUnixNano: caller.startTimeUnixNano });
  return { spans: [...spans, call], fault: `${caller.name} (${caller.serviceName}) calls ${callee.name} (${callee.serviceName})`, names: [caller.name, callee.name, caller.serviceName, callee.serviceName] };
}

function dropEvents(spans: readonly Span[], _known: Knowledge, random: () => number): Faulty | undefined {
  const withEvents = spans.map((s, i) => (s.events.length ? i : -1)).filter((i) => i >= 0);
  const i = pick(random, withEvents);
  if (i === undefined) return undefined;
  return { spans: spans.map((s, j) => (j === i ? rebuild(s, { events: [] }) : s)), fault: `${spans[i]!.name} without its events`, names: [spans[i]!.name] };
}

const MUTATORS: Record<MutantKind, Mutator> = {
  'dropped-span': dropSpan,
  'swapped-calls': swapCalls,
  'slower-3x': slowDown,
  'error-status': errorStatus,
  'changed-attribute': changeAttribute,
  'forbidden-edge': crossForbiddenEdge,
  'missing-event': dropEvents,
};

export function mutateRun(run: MiningRun, kind: MutantKind, known: Knowledge, random: () => number): Mutant | undefined {
  const out = MUTATORS[kind](run.spans, known, random);
  return out ? { id: `${run.id}-${kind}`, ...out } : undefined;
}
