// `[[scenario.expect.cross_service]]` (clnrm's v2 design, docs/architecture/hyper_advanced_framework.md):
// relations between a calling span and the spans it causes in another service, judged from spans alone.
// `api_to_db_query`: every `api_span` reaches a `db_span` among its descendants (same trace), whose
// statement matches `query_matches`, and `connection_reused` compares the db spans' connections.
// `cache_hit_rate`: the share of `cache_span` lookups (under `api_span`) that were hits.
import { findAttribute, toText } from '../model';
import type { CrossServiceExpectation } from '../spec/schema/scenario';
import { compileClnrmRegex } from '../spec/regex';
import type { ExpectationResult } from './types';
import { findAncestor, type TraceIndex } from './trace-index';
import { evidence, plural, q } from './util';

/** Attributes holding a database statement (new, then old semantic conventions). */
export const STATEMENT_ATTRIBUTES = ['db.query.text', 'db.statement'] as const;
/** Attributes naming a client connection; without one, the local socket address identifies it. */
export const CONNECTION_ATTRIBUTES = ['db.client.connection.id', 'db.connection.id', 'db.connection_id'] as const;
/** Attributes saying whether a cache lookup hit: a boolean, or "hit" / "miss". */
export const CACHE_HIT_ATTRIBUTES = ['cache.hit', 'db.cache.hit', 'cache.result'] as const;

function attr(index: TraceIndex, i: number, key: string): string | undefined {
  const value = findAttribute(index.spans[i]!.attributes, key);
  return value === undefined ? undefined : toText(value);
}

function firstAttr(index: TraceIndex, i: number, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = attr(index, i, key);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A connection's identity, or undefined when the span does not say. */
function connectionOf(index: TraceIndex, i: number): string | undefined {
  const id = firstAttr(index, i, CONNECTION_ATTRIBUTES);
  if (id !== undefined) return `id:${id}`;
  const port = attr(index, i, 'network.local.port') ?? attr(index, i, 'net.sock.host.port');
  if (port === undefined) return undefined;
  return `socket:${attr(index, i, 'network.local.address') ?? attr(index, i, 'net.sock.host.addr') ?? ''}:${port}`;
}

/** Spans named `name` that descend from a span named `caller` (one walk up per span). */
function under(index: TraceIndex, name: string, caller: string): number[] {
  const isCaller = index.nameMask(caller);
  return index.matching(name).filter((i) => findAncestor(index, i, (j) => isCaller[index.nameId[j]!] === 1) >= 0);
}

/** Callers (spans named `caller`) with at least one `name` span below them. */
function callersReaching(index: TraceIndex, name: string, caller: string): Set<number> {
  const isCaller = index.nameMask(caller);
  const reached = new Set<number>();
  for (const i of index.matching(name)) {
    findAncestor(index, i, (j) => {
      if (isCaller[index.nameId[j]!] === 1) reached.add(j);
      return false;
    });
  }
  return reached;
}

function missing(expectation: string, what: string, name: string, index: TraceIndex, spans: readonly number[] = []): ExpectationResult {
  return { expectation, kind: 'cross_service', passed: false, message: `no span named ${q(name)}${what}`, spans: evidence(index, spans) };
}

function apiToDbQuery(rule: CrossServiceExpectation, expectation: string, index: TraceIndex, out: ExpectationResult[]): void {
  const apis = index.matching(rule.api_span);
  if (apis.length === 0) return void out.push(missing(expectation, ', so its database calls cannot be checked', rule.api_span, index));
  if (rule.db_span === undefined) {
    out.push({ expectation, kind: 'cross_service', passed: false, message: 'api_to_db_query needs db_span = "<the database span name>"', spans: [] });
    return;
  }
  const dbName = rule.db_span;
  const reached = callersReaching(index, dbName, rule.api_span);
  const without = apis.filter((a) => !reached.has(a));
  out.push({
    expectation: `${expectation}.db_span`,
    kind: 'cross_service',
    passed: without.length === 0,
    message:
      without.length === 0
        ? `every ${q(rule.api_span)} span (${apis.length}) has a ${q(dbName)} span below it`
        : `${without.length} of ${apis.length} ${q(rule.api_span)} spans have no ${q(dbName)} span below them`,
    spans: evidence(index, without.length > 0 ? without : apis),
  });
  const dbs = under(index, dbName, rule.api_span);
  if (rule.query_matches !== undefined) {
    const compiled = compileClnrmRegex(rule.query_matches);
    const bad = dbs.filter((d) => {
      const statement = firstAttr(index, d, STATEMENT_ATTRIBUTES);
      return statement === undefined || !compiled.ok || !compiled.regex.test(statement);
    });
    out.push({
      expectation: `${expectation}.query_matches`,
      kind: 'cross_service',
      passed: dbs.length > 0 && bad.length === 0,
      message:
        dbs.length === 0
          ? `no ${q(dbName)} span under ${q(rule.api_span)}, so no statement matches /${rule.query_matches}/`
          : bad.length === 0
            ? `all ${plural(dbs.length, `${q(dbName)} statement`)} match /${rule.query_matches}/`
            : `${bad.length} of ${dbs.length} ${q(dbName)} spans have no ${STATEMENT_ATTRIBUTES.join(' / ')} matching /${rule.query_matches}/ (first: ${JSON.stringify(firstAttr(index, bad[0]!, STATEMENT_ATTRIBUTES) ?? null)})`,
      spans: evidence(index, bad.length > 0 ? bad : dbs),
    });
  }
  if (rule.connection_reused !== undefined) connectionReused(rule.connection_reused, `${expectation}.connection_reused`, dbName, dbs, index, out);
}

/** Reused: some two db calls share a connection. Not reused: every call has its own. */
function connectionReused(wanted: boolean, expectation: string, dbName: string, dbs: readonly number[], index: TraceIndex, out: ExpectationResult[]): void {
  const known = dbs.filter((d) => connectionOf(index, d) !== undefined);
  if (known.length < 2) {
    const why = `${plural(known.length, `${q(dbName)} span`)} name their connection (${[...CONNECTION_ATTRIBUTES, 'network.local.port'].join(', ')}); at least two are needed to tell`;
    out.push({ expectation, kind: 'cross_service', passed: false, message: `cannot judge connection reuse: only ${why}`, spans: evidence(index, dbs) });
    return;
  }
  const distinct = new Set(known.map((d) => connectionOf(index, d)!)).size;
  const reused = distinct < known.length;
  out.push({
    expectation,
    kind: 'cross_service',
    passed: reused === wanted,
    message: `${plural(known.length, `${q(dbName)} call`)} used ${plural(distinct, 'connection')}: ${reused ? 'connections were reused' : 'each call opened its own connection'}`,
    spans: evidence(index, known),
  });
}

/** true, "true", "hit" count as a hit; false, "false", "miss" as a miss; anything else is unknown. */
function hitOf(index: TraceIndex, i: number): boolean | undefined {
  const value = firstAttr(index, i, CACHE_HIT_ATTRIBUTES)?.toLowerCase();
  if (value === 'true' || value === 'hit') return true;
  if (value === 'false' || value === 'miss') return false;
  return undefined;
}

function cacheHitRate(rule: CrossServiceExpectation, expectation: string, index: TraceIndex, out: ExpectationResult[]): void {
  if (rule.cache_span === undefined || rule.expected_hit_rate === undefined) {
    out.push({ expectation, kind: 'cross_service', passed: false, message: 'cache_hit_rate needs cache_span = "<lookup span>" and expected_hit_rate = { gte = 0.8 }', spans: [] });
    return;
  }
  const apis = index.matching(rule.api_span);
  if (apis.length === 0) return void out.push(missing(expectation, ', so its cache lookups cannot be counted', rule.api_span, index));
  const lookups = under(index, rule.cache_span, rule.api_span);
  const judged = lookups.filter((i) => hitOf(index, i) !== undefined);
  if (judged.length === 0) {
    const why = lookups.length === 0 ? `no ${q(rule.cache_span)} span below ${q(rule.api_span)}` : `none of ${plural(lookups.length, `${q(rule.cache_span)} span`)} says hit or miss (${CACHE_HIT_ATTRIBUTES.join(', ')})`;
    out.push({ expectation, kind: 'cross_service', passed: false, message: `cannot compute a hit rate: ${why}`, spans: evidence(index, lookups) });
    return;
  }
  const hits = judged.filter((i) => hitOf(index, i)).length;
  const rate = hits / judged.length;
  const { eq, gte, lte } = rule.expected_hit_rate;
  const passed = (eq === undefined || Math.abs(rate - eq) < 1e-9) && (gte === undefined || rate >= gte) && (lte === undefined || rate <= lte);
  const bound = [eq !== undefined ? `= ${eq}` : '', gte !== undefined ? `≥ ${gte}` : '', lte !== undefined ? `≤ ${lte}` : ''].filter(Boolean).join(' and ');
  const unknown = lookups.length - judged.length;
  out.push({
    expectation,
    kind: 'cross_service',
    passed,
    message: `hit rate ${rate.toFixed(3)} (${hits} of ${judged.length} ${q(rule.cache_span)} lookups${unknown > 0 ? `; ${unknown} without a hit attribute not counted` : ''}), expected ${bound}`,
    spans: evidence(index, judged),
  });
}

/** `base` is where the list lives, e.g. `scenario[0].expect.cross_service` or `expect.cross_service`. */
export function evaluateCrossService(rules: readonly CrossServiceExpectation[], base: string, index: TraceIndex, out: ExpectationResult[]): void {
  rules.forEach((rule, i) => {
    const expectation = `${base}[${i}]`;
    if (rule.type === 'api_to_db_query') apiToDbQuery(rule, expectation, index, out);
    else cacheHitRate(rule, expectation, index, out);
  });
}
