// `[orchestration.distributed_tracing]` (clnrm v2 design): context propagation, distributed
// transactions and the service topology seen in the traces. Rules in SEMANTICS.md.
import { findAttribute, toText } from '../model';
import type { DistributedAssertion, DistributedTracingConfig } from '../spec/schema/expect';
import type { ExpectationResult } from './types';
import type { TraceIndex } from './trace-index';
import { MISSING_PARENT, STATUS_ERROR, kindNumber } from './trace-index';
import { didYouMean, evidence, plural, q, spanRefName } from './util';

type Assertion<T extends DistributedAssertion['type']> = Extract<DistributedAssertion, { type: T }>;

function push(out: ExpectationResult[], expectation: string, passed: boolean, message: string, spans: string[]): void {
  out.push({ expectation, kind: 'distributed', passed, message, spans });
}

function contextPropagation(index: TraceIndex, a: Assertion<'context_propagation'>, path: string, out: ExpectationResult[]): void {
  const { spans, parent } = index;
  if (a.trace_id_consistent) {
    const bad: number[] = [];
    for (let i = 0; i < spans.length; i++) {
      if (parent[i] !== MISSING_PARENT) continue;
      const elsewhere = index.spansWithId(spans[i]!.parentSpanId!).filter((j) => spans[j]!.traceId !== spans[i]!.traceId);
      if (elsewhere.length) bad.push(i, elsewhere[0]!);
    }
    push(
      out,
      `${path}.trace_id_consistent`,
      bad.length === 0,
      bad.length === 0
        ? 'no span has its parent in a different trace'
        : `${plural(bad.length / 2, 'span')} have a parent recorded under another trace id (context lost at a service boundary?), first ${q(spans[bad[0]!]!.name)} under ${q(spans[bad[1]!]!.name)}`,
      evidence(index, bad),
    );
  }
  if (a.parent_child_relationship === 'valid') {
    const orphans: number[] = [];
    const extraRoots: number[] = [];
    for (const list of index.traces().values()) {
      let roots = 0;
      for (let k = 0; k < list.length; k++) {
        const i = list[k]!;
        if (parent[i] === MISSING_PARENT) orphans.push(i);
        else if (parent[i]! < 0 && ++roots > 1) extraRoots.push(i);
      }
    }
    const ok = orphans.length === 0 && extraRoots.length === 0;
    push(
      out,
      `${path}.parent_child_relationship`,
      ok,
      ok
        ? `every span's parent is in its trace and each of ${plural(index.traces().size, 'trace')} has one root`
        : `${plural(orphans.length, 'span')} reference a parent missing from their trace, ${plural(extraRoots.length, 'trace root')} beyond the first`,
      evidence(index, [...orphans, ...extraRoots]),
    );
  }
  for (const key of a.baggage_preserved ?? []) out.push(baggage(index, key, `${path}.baggage_preserved.${q(key)}`));
}

function baggageValue(index: TraceIndex, i: number, key: string): string | undefined {
  const attrs = index.spans[i]!.attributes;
  const v = findAttribute(attrs, key) ?? findAttribute(attrs, `baggage.${key}`);
  return v === undefined ? undefined : toText(v);
}

/** Root's value of the key must reach every entry span (server/consumer) of the same trace. */
function baggage(index: TraceIndex, key: string, expectation: string): ExpectationResult {
  const { parent } = index;
  const kinds = index.kind;
  const SERVER = kindNumber('server');
  const CONSUMER = kindNumber('consumer');
  let carried = 0;
  const bad: number[] = [];
  for (const list of index.traces().values()) {
    const root = list.find((i) => parent[i]! < 0);
    if (root === undefined) continue;
    const want = baggageValue(index, root, key);
    if (want === undefined) continue;
    carried++;
    for (let j = 0; j < list.length; j++) {
      const i = list[j]!;
      const k = kinds[i]!;
      if ((k === SERVER || k === CONSUMER) && baggageValue(index, i, key) !== want) bad.push(i);
    }
  }
  if (carried === 0) {
    return { expectation, kind: 'distributed', passed: false, message: `no trace root carries baggage key ${q(key)} (as ${q(key)} or ${q(`baggage.${key}`)})`, spans: [] };
  }
  return {
    expectation,
    kind: 'distributed',
    passed: bad.length === 0,
    message:
      bad.length === 0
        ? `baggage ${q(key)} reaches every entry span of ${plural(carried, 'trace')}`
        : `${plural(bad.length, 'entry span')} lost or changed baggage ${q(key)}`,
    spans: evidence(index, bad),
  };
}

function transaction(index: TraceIndex, a: Assertion<'distributed_transaction'>, path: string, out: ExpectationResult[]): void {
  const rootName = spanRefName(a.root_span);
  const roots = index.matching(rootName);
  if (roots.length === 0) {
    push(out, path, false, `no transaction root ${q(rootName)}.${didYouMean(index.names, rootName)}`, []);
    return;
  }
  const { childStart, childList } = index.children();
  const childMasks = a.child_spans.map((c) => index.nameMask(spanRefName(c)));
  const isRollback = index.nameMask(a.rollback_span ? spanRefName(a.rollback_span) : '*rollback*');
  const { nameId } = index;
  const failures: string[] = [];
  const bad: number[] = [];
  const proof: number[] = [];
  // One buffer for every root's descendants, used up to `nd` (`length = 0` would free the
  // backing store and regrow it for each of ten thousand transactions).
  const desc: number[] = [];
  const stack: number[] = [];
  const { status } = index;
  for (let ri = 0; ri < roots.length; ri++) {
    const r = roots[ri]!;
    // Descendants of this root, iteratively.
    let nd = 0;
    let ns = 0;
    stack[ns++] = r;
    while (ns > 0) {
      const p = stack[--ns]!;
      for (let k = childStart[p]!; k < childStart[p + 1]!; k++) {
        desc[nd++] = childList[k]!;
        stack[ns++] = childList[k]!;
      }
    }
    let errored = status[r] === STATUS_ERROR;
    for (let j = 0; !errored && j < nd; j++) errored = status[desc[j]!] === STATUS_ERROR;
    if (a.rollback_on_error && errored) {
      let rb: number | undefined;
      for (let j = 0; rb === undefined && j < nd; j++) if (isRollback[nameId[desc[j]!]!] === 1) rb = desc[j]!;
      if (rb === undefined) {
        bad.push(r);
        failures.push(`${index.spans[r]!.spanId} has an error but no rollback span`);
      } else proof.push(r, rb);
      continue;
    }
    // Each child name must appear, starting in the listed order: for each name in turn, the
    // earliest-starting match that starts no earlier than the previous one (no sort needed).
    let prevStart = -Infinity;
    let prev = -1;
    let missing: string | undefined;
    const found: number[] = [];
    for (let c = 0; c < childMasks.length; c++) {
      const mask = childMasks[c]!;
      let hit = -1;
      for (let j = 0; j < nd; j++) {
        const d = desc[j]!;
        if (mask[nameId[d]!] !== 1 || d === prev || index.startUs[d]! < prevStart) continue;
        if (hit < 0 || index.startUs[d]! < index.startUs[hit]!) hit = d;
      }
      if (hit < 0) {
        missing = spanRefName(a.child_spans[c]!);
        break;
      }
      found.push(hit);
      prev = hit;
      prevStart = index.startUs[hit]!;
    }
    if (missing !== undefined) {
      bad.push(r);
      failures.push(`${index.spans[r]!.spanId} lacks ${q(missing)} (in order ${a.child_spans.map(q).join(' → ')})`);
    } else if (proof.length < 20) proof.push(r, ...found);
  }
  push(
    out,
    path,
    bad.length === 0,
    bad.length === 0
      ? `all ${plural(roots.length, `${q(rootName)} transaction`)} are complete${a.rollback_on_error ? ' or rolled back' : ''}`
      : `${bad.length} of ${roots.length} ${q(rootName)} transactions are incomplete: ${failures.slice(0, 3).join('; ')}`,
    evidence(index, bad.length ? bad : proof),
  );
}

function topology(index: TraceIndex, a: Assertion<'service_topology'>, path: string, out: ExpectationResult[]): void {
  // Service edges: parent span of service A with a child span of service B ≠ A. First example kept as evidence.
  // Keyed by the service-id pair while scanning (no string per span), named once per distinct edge.
  const { parent, serviceId, services } = index;
  const byPair = new Map<number, [number, number]>();
  for (let i = 0; i < parent.length; i++) {
    const p = parent[i]!;
    if (p < 0 || serviceId[p] === serviceId[i]) continue;
    const pair = serviceId[p]! * services.length + serviceId[i]!;
    if (!byPair.has(pair)) byPair.set(pair, [p, i]);
  }
  const edges = new Map<string, [number, number]>();
  for (const [p, i] of byPair.values()) {
    const key = `${services[serviceId[p]!]!}\u0000${services[serviceId[i]!]!}`;
    if (!edges.has(key)) edges.set(key, [p, i]);
  }
  const seen = [...edges.keys()].map((k) => k.replace('\u0000', ' → '));
  (a.expected_edges ?? []).forEach(([from, to], k) => {
    const e = edges.get(`${from}\u0000${to}`);
    push(
      out,
      `${path}.expected_edges[${k}]`,
      e !== undefined,
      e ? `service edge ${q(from)} → ${q(to)} seen` : `service edge ${q(from)} → ${q(to)} not seen; seen: ${seen.slice(0, 10).join(', ') || 'none'}`,
      e ? evidence(index, e) : [],
    );
  });
  (a.forbidden_edges ?? []).forEach(([from, to], k) => {
    const e = edges.get(`${from}\u0000${to}`);
    push(
      out,
      `${path}.forbidden_edges[${k}]`,
      e === undefined,
      e ? `forbidden service edge ${q(from)} → ${q(to)} seen` : `no service edge ${q(from)} → ${q(to)}`,
      e ? evidence(index, e) : [],
    );
  });
}

export function evaluateDistributed(d: DistributedTracingConfig, index: TraceIndex, out: ExpectationResult[]): void {
  (d.assertion ?? []).forEach((a, i) => {
    const path = `orchestration.distributed_tracing.assertion[${i}]`;
    if (a.type === 'context_propagation') contextPropagation(index, a, path, out);
    else if (a.type === 'distributed_transaction') transaction(index, a, path, out);
    else topology(index, a, path, out);
  });
}
