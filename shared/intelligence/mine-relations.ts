// Invariants between spans and about whole runs: ordering (must_precede, or its conditional forms
// when the later or the earlier span is optional, and among siblings when the earlier one also happens
// elsewhere), containment windows, run totals and overall status, and the
// service topology (edges seen in every run; edges never seen are forbidden, judged from the caller's
// side as a closed world and from the callee's as a constant set of callers).
import { pairKey, type Digest, type NameStats } from './digest';
import type { Invariant } from './types';
import { closedWorld, observedRange, structural } from './confidence';

const q = (s: string) => JSON.stringify(s);

interface HeldPair {
  readonly a: NameStats;
  readonly b: NameStats;
  readonly timeOnly: boolean;
  readonly evidence: readonly string[];
}

/**
 * Whether `a` ending before something else starts can be learned by time: not when `a` is the server
 * side of a call from another service. It closes on its own time after answering, so the caller may go
 * on before it ends (a cache's GET ended 1.9 ms after the api's next call had started, in a correct run).
 */
const timeOrderable = (a: NameStats) => a.calledFromOtherService === 0;

/** Pairs where every `b` of every run with a `b` was preceded by an `a`, at least once by time. */
function heldPairs(digest: Digest): HeldPair[] {
  const out: HeldPair[] = [];
  for (const b of digest.names) {
    if (b.name.includes('*')) continue;
    for (const a of digest.names) {
      if (a === b || a.name.includes('*') || !timeOrderable(a)) continue;
      const p = digest.pairs.get(pairKey(a.name, b.name));
      // Held only through ancestry: containment (parent, window) already says it.
      if (!p || p.held !== b.runs || !p.viaTime) continue;
      out.push({ a, b, timeOnly: !p.viaAncestor, evidence: p.evidence });
    }
  }
  return out;
}

/** The name every span of `st` lies inside (its one parent name), if any. */
function enclosing(digest: Digest, st: NameStats): NameStats | undefined {
  if (st.parents.size !== 1 || st.withinParent !== st.total) return undefined;
  return digest.byName.get(st.parents.keys().next().value!);
}

/**
 * a < c is implied, by time, when some m has a < m and m < c (a ends before m starts, m ends before
 * c starts); when c lies inside m and a < m (c starts after m does); and when a lies inside m and
 * m < c (a ends before m does). Mutants that break a < c break one of those links.
 */
function implied(digest: Digest, timed: ReadonlySet<string>, a: NameStats, c: NameStats): boolean {
  const isTimed = (x: NameStats, y: NameStats) => timed.has(pairKey(x.name, y.name));
  const outerC = enclosing(digest, c);
  if (outerC && outerC !== a && isTimed(a, outerC)) return true;
  const outerA = enclosing(digest, a);
  if (outerA && outerA !== c && isTimed(outerA, c)) return true;
  return digest.names.some((m) => m !== a && m !== c && isTimed(a, m) && isTimed(m, c));
}

/** Runs in which both names occur. */
function together(a: NameStats, b: NameStats): number {
  let n = 0;
  for (let r = 0; r < a.counts.length; r++) if (a.counts[r]! > 0 && b.counts[r]! > 0) n++;
  return n;
}

/**
 * Pairs with an optional first span where every `b` was preceded by an `a` in every run that had both
 * (a db query, only on a miss, before every template.render), at least once by time; none implied:
 * `a` inside a span that precedes `b` (either form), or a link through a span every run has.
 */
function bothPresentPairs(digest: Digest, timed: ReadonlySet<string>): HeldPair[] {
  const candidates: HeldPair[] = [];
  for (const b of digest.names) {
    if (b.name.includes('*')) continue;
    for (const a of digest.names) {
      if (a === b || a.runs === digest.runs || a.name.includes('*') || !timeOrderable(a)) continue;
      const p = digest.pairs.get(pairKey(a.name, b.name));
      if (!p || p.held === b.runs || !p.viaTime || p.held !== together(a, b)) continue;
      candidates.push({ a, b, timeOnly: !p.viaAncestor, evidence: p.evidence });
    }
  }
  const both = new Set(candidates.filter((p) => p.timeOnly).map((p) => pairKey(p.a.name, p.b.name)));
  const linked = (x: NameStats, y: NameStats) => timed.has(pairKey(x.name, y.name)) || both.has(pairKey(x.name, y.name));
  return candidates.filter(({ a, b }) => {
    const outerA = enclosing(digest, a);
    if (outerA && outerA !== b && linked(outerA, b)) return false;
    return !digest.names.some((m) => m !== a && m !== b && m.runs === digest.runs && linked(a, m) && linked(m, b));
  });
}

function bothPresentOrder(p: HeldPair, support: number): Invariant {
  return {
    kind: 'order',
    subject: `${p.a.name} < ${p.b.name}`,
    summary: `when both happen, ${q(p.a.name)} comes before every ${q(p.b.name)}`,
    support,
    confidence: structural(support),
    evidence: p.evidence,
    conditional: true,
    edit: { type: 'pair', table: 'expect.order', key: 'must_precede_when_both_present', pair: [p.a.name, p.b.name] },
  };
}

export function mineOrder(digest: Digest): Invariant[] {
  const pairs = heldPairs(digest);
  const timed = new Set(pairs.filter((p) => p.timeOnly).map((p) => pairKey(p.a.name, p.b.name)));
  const out: Invariant[] = bothPresentPairs(digest, timed).map((p) => bothPresentOrder(p, together(p.a, p.b)));
  for (const p of pairs) {
    if (p.timeOnly && implied(digest, timed, p.a, p.b)) continue;
    const conditional = p.b.runs < digest.runs;
    out.push({
      kind: 'order',
      subject: `${p.a.name} < ${p.b.name}`,
      summary: `${conditional ? `when ${q(p.b.name)} happens, ` : ''}${q(p.a.name)} comes before ${conditional ? 'it' : `every ${q(p.b.name)}`}`,
      support: p.b.runs,
      confidence: structural(p.b.runs),
      evidence: p.evidence,
      conditional,
      edit: { type: 'pair', table: 'expect.order', key: conditional ? 'must_precede_when_present' : 'must_precede', pair: [p.a.name, p.b.name] },
    });
  }
  return out;
}

/**
 * "Under the same parent, an `a` ended before every `b` started", where the plain order is weaker: `a`
 * occurs more than once per run or under more than one parent (the select of an earlier request
 * precedes every insert, whatever the order inside the insert's own call). `b` is in every run; a link
 * through a sibling every run has (a < m < b) is left out: a swap of a and b breaks one of its links.
 */
export function mineSiblingOrder(digest: Digest): Invariant[] {
  const held = (x: NameStats, y: NameStats) => digest.siblingPairs.get(pairKey(x.name, y.name))?.held === y.runs;
  const out: Invariant[] = [];
  for (const b of digest.names) {
    if (b.runs !== digest.runs || b.name.includes('*')) continue;
    for (const a of digest.names) {
      if (a === b || a.name.includes('*') || !timeOrderable(a) || !held(a, b)) continue;
      if (a.parents.size < 2 && a.counts.every((n) => n <= 1)) continue;
      if (digest.names.some((m) => m !== a && m !== b && m.runs === digest.runs && held(a, m) && held(m, b))) continue;
      out.push({
        kind: 'order',
        subject: `${a.name} < ${b.name} (siblings)`,
        summary: `under the same parent, a ${q(a.name)} comes before every ${q(b.name)}`,
        support: b.runs,
        confidence: structural(b.runs),
        evidence: digest.siblingPairs.get(pairKey(a.name, b.name))!.evidence,
        conditional: false,
        edit: { type: 'pair', table: 'expect.order', key: 'must_precede_sibling', pair: [a.name, b.name] },
      });
    }
  }
  return out;
}

export function mineWindows(digest: Digest): Invariant[] {
  const out: Invariant[] = [];
  for (const st of digest.names) {
    const parent = st.parents.size === 1 ? st.parents.keys().next().value! : '';
    const outer = digest.byName.get(parent);
    // The evaluator fails a window when either name is absent: both must be in every run.
    if (!outer || outer.runs !== digest.runs || st.runs !== digest.runs || st.withinParent !== st.total || st.name.includes('*') || parent.includes('*')) continue;
    out.push({
      kind: 'window',
      subject: `${parent} ⊃ ${st.name}`,
      summary: `every ${q(st.name)} lies within its ${q(parent)}`,
      support: st.runs,
      confidence: structural(st.runs),
      evidence: st.evidence,
      conditional: false,
      merge: `window ${parent}`,
      edit: { type: 'entry', table: 'expect.window', entries: { outer: parent, contains: [st.name] } },
    });
  }
  return out;
}

export function mineTotals(digest: Digest): Invariant[] {
  const n = digest.runs;
  const spans = digest.totals.map((t) => t.spans);
  const min = Math.min(...spans);
  const max = Math.max(...spans);
  const evidence: string[] = [];
  const out: Invariant[] = [
    {
      kind: 'count',
      subject: 'spans_total',
      summary: min === max ? `every run has ${min} spans` : `every run has ${min}–${max} spans`,
      support: n,
      confidence: min === max ? structural(n) : observedRange(n),
      evidence,
      conditional: false,
      edit: { type: 'key', table: 'expect.counts', key: 'spans_total', value: min === max ? { eq: min } : { gte: min, lte: max } },
    },
  ];
  if (digest.totals.every((t) => t.errors === 0)) {
    out.push({ kind: 'count', subject: 'errors_total', summary: 'no span ends in ERROR', support: n, confidence: structural(n), evidence, conditional: false, edit: { type: 'key', table: 'expect.counts', key: 'errors_total', value: { eq: 0 } } });
  }
  if (digest.totals.every((t) => t.allOk)) {
    out.push({ kind: 'status', subject: 'all', summary: 'every span ends with status OK', support: n, confidence: structural(n), evidence, conditional: false, edit: { type: 'key', table: 'expect.status', key: 'all', value: 'OK' } });
  }
  return out;
}

/**
 * How sure "from never calls to" is, from two sides, the stronger one counting. The caller's: a closed
 * world where each span of `from` was a chance to call `to` and none did (Laplace). The callee's: in
 * every run where another service called `to`, its callers were the same set — a constant, like a
 * constant attribute (1 − 2⁻ⁿ over those runs); a new caller breaks it.
 */
function forbiddenEdge(digest: Digest, services: readonly string[], from: string, to: string): { confidence: number; why: string } {
  const chances = digest.serviceSpans.get(from) ?? 0;
  const callerSide = closedWorld(chances);
  const entered = digest.serviceEntered.get(to) ?? 0;
  const callers = services.filter((s) => (digest.serviceEdges.get(s)?.get(to) ?? 0) > 0);
  // Constant only when every run that entered `to` had exactly these callers.
  const constant = entered > 0 && callers.every((s) => digest.serviceEdges.get(s)!.get(to) === entered);
  const calleeSide = constant ? structural(entered) : 0;
  if (calleeSide > callerSide) return { confidence: calleeSide, why: `${q(to)} was called only by ${callers.map(q).join(', ')}, in each of ${entered} runs` };
  return { confidence: callerSide, why: `closed world, ${chances} spans of ${q(from)} seen` };
}

export function mineTopology(digest: Digest): Invariant[] {
  const services = [...digest.serviceSpans.keys()].sort();
  if (services.length < 2) return [];
  const out: Invariant[] = [];
  for (const from of services) {
    for (const to of services) {
      if (from === to) continue;
      const seen = digest.serviceEdges.get(from)?.get(to) ?? 0;
      if (seen === digest.runs) {
        out.push({
          kind: 'topology',
          subject: `${from} → ${to}`,
          summary: `${q(from)} calls ${q(to)} in every run`,
          support: seen,
          confidence: structural(seen),
          evidence: [],
          conditional: false,
          merge: 'topology expected',
          edit: { type: 'entry', table: 'orchestration.distributed_tracing.assertion', entries: { type: 'service_topology', expected_edges: [[from, to]] } },
        });
      } else if (seen === 0) {
        const { confidence, why } = forbiddenEdge(digest, services, from, to);
        out.push({
          kind: 'topology',
          subject: `${from} ↛ ${to}`,
          summary: `${q(from)} never calls ${q(to)} (${why})`,
          support: digest.runs,
          confidence,
          evidence: [],
          conditional: false,
          merge: 'topology forbidden',
          edit: { type: 'entry', table: 'orchestration.distributed_tracing.assertion', entries: { type: 'service_topology', forbidden_edges: [[from, to]] } },
        });
      }
    }
  }
  return out;
}
