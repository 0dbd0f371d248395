// `[[expect.span]]`: a rule passes when at least one span (or, with `count`, the required number of
// spans) satisfies every constraint. On failure the message names the nearest candidates: spans with
// the right name and the constraints they miss, or span names close to the one asked for.
import { toText } from '../model';
import type { AnyValue, Span } from '../model';
import type { AttributeExpectation, SpanExpectation } from '../spec/schema/expect';
import { compileAttributeExpectation, describeAttributeExpectation } from './attribute-match';
import { selfTimeUs } from './self-time';
import type { ExpectationResult } from './types';
import type { TraceIndex } from './trace-index';
import { isGlob, kindNumber, statusNumber } from './trace-index';
import { MAX_EVIDENCE, boundHolds, describeBound, didYouMean, evidence, ms, plural, q } from './util';

interface Check {
  /** Short label used in "failing: …" messages. */
  readonly label: string;
  readonly test: (i: number) => boolean;
  /** What the span has instead, for the failure message (when the label alone can't say). */
  readonly actual?: (i: number) => string;
}

/** `attrs.any` in its three real-world forms, as (key, expectation) pairs. */
function anyPairs(any: NonNullable<NonNullable<SpanExpectation['attrs']>['any']>): [string, AttributeExpectation][] {
  if (Array.isArray(any)) {
    return any.map((entry) => {
      const eq = entry.indexOf('=');
      return [entry.slice(0, eq).trim(), entry.slice(eq + 1).trim()];
    });
  }
  return Object.entries(any);
}

/** The attribute's value on a span (linear scan: spans carry few attributes). */
function attributeValue(span: Span, key: string): AnyValue | undefined {
  const attrs = span.attributes;
  for (let k = 0; k < attrs.length; k++) if (attrs[k]!.key === key) return attrs[k]!.value;
  return undefined;
}

function normalizeKind(kind: string): string {
  return kind.toLowerCase().replace(/^span_kind_/, '');
}

/** Self time of span i in µs (children from the index, clipped to the span). */
function selfUs(index: TraceIndex, i: number): number {
  const { childStart, childList } = index.children();
  const kids: [number, number][] = [];
  for (let k = childStart[i]!; k < childStart[i + 1]!; k++) kids.push([index.startUs[childList[k]!]!, index.endUs[childList[k]!]!]);
  return selfTimeUs(index.startUs[i]!, index.endUs[i]!, kids);
}

function selfChecks(bound: NonNullable<SpanExpectation['self_ms']>, index: TraceIndex): Check[] {
  const actual = (i: number) => `self time is ${ms(selfUs(index, i))}`;
  const out: Check[] = [];
  if (bound.min !== undefined) out.push({ label: `self time >= ${bound.min} ms`, test: (i) => selfUs(index, i) >= bound.min! * 1000, actual });
  if (bound.max !== undefined) out.push({ label: `self time <= ${bound.max} ms`, test: (i) => selfUs(index, i) <= bound.max! * 1000, actual });
  return out;
}

function buildChecks(rule: SpanExpectation, index: TraceIndex): Check[] {
  const { spans } = index;
  const checks: Check[] = [];
  // Checks on the index's typed arrays come first: they reject without touching the span object.
  if (rule.kind !== undefined) {
    const kind = normalizeKind(rule.kind);
    const want = kindNumber(kind);
    const kinds = index.kind;
    checks.push({ label: `kind = ${q(kind)}`, test: (i) => kinds[i] === want });
  }
  if (rule.status !== undefined) {
    const want = statusNumber(rule.status.toLowerCase());
    const { status } = index;
    checks.push({ label: `status ${rule.status.toUpperCase()}`, test: (i) => status[i] === want });
  }
  const { startUs, endUs } = index;
  const d = rule.duration_ms;
  if (d?.min !== undefined) {
    const minUs = d.min * 1000;
    checks.push({ label: `duration >= ${d.min} ms`, test: (i) => endUs[i]! - startUs[i]! >= minUs });
  }
  if (d?.max !== undefined) {
    const maxUs = d.max * 1000;
    checks.push({ label: `duration <= ${d.max} ms`, test: (i) => endUs[i]! - startUs[i]! <= maxUs });
  }
  if (rule.self_ms !== undefined) checks.push(...selfChecks(rule.self_ms, index));
  if (rule.parent !== undefined) {
    const isParent = index.nameMask(rule.parent);
    const { parent, nameId } = index;
    checks.push({
      label: `parent ${q(rule.parent)}`,
      test: (i) => {
        const p = parent[i]!;
        return p >= 0 && isParent[nameId[p]!] === 1;
      },
    });
  }
  const all = rule.attrs?.all;
  if (all) {
    for (const [key, expected] of Object.entries(all)) {
      const matches = compileAttributeExpectation(expected);
      checks.push({
        label: `attrs.all ${key}${describeAttributeExpectation(expected)}`,
        test: (i) => matches(attributeValue(spans[i]!, key)),
        actual: (i) => {
          const v = attributeValue(spans[i]!, key);
          return v === undefined ? `${key} missing` : `${key}=${q(toText(v))}`;
        },
      });
    }
  }
  const any = rule.attrs?.any;
  if (any) {
    const pairs = anyPairs(any).map(([k, e]) => ({ key: k, expected: e, matches: compileAttributeExpectation(e) }));
    if (pairs.length) {
      checks.push({
        label: `attrs.any (${pairs.map((p) => `${p.key}${describeAttributeExpectation(p.expected)}`).join(', ')})`,
        test: (i) => pairs.some((p) => p.matches(attributeValue(spans[i]!, p.key))),
      });
    }
  }
  const evAny = rule.events?.any;
  if (evAny?.length) {
    const wanted = new Set(evAny);
    checks.push({
      label: `events.any [${evAny.join(', ')}]`,
      test: (i) => spans[i]!.events.some((e) => wanted.has(e.name)),
    });
  }
  for (const name of rule.events?.all ?? []) {
    checks.push({ label: `event ${q(name)}`, test: (i) => spans[i]!.events.some((e) => e.name === name) });
  }
  return checks;
}

/** What a candidate actually has for a failed check, so the message shows expected vs actual. */
function actualFor(label: string, span: Span, index: TraceIndex, i: number): string {
  if (label.startsWith('kind')) return `kind is ${q(span.kind)}`;
  if (label.startsWith('parent')) {
    const p = index.parent[i]!;
    return p >= 0 ? `parent is ${q(index.spans[p]!.name)}` : 'no parent in the trace';
  }
  if (label.startsWith('duration')) return `duration is ${ms(span.durationUs)}`;
  if (label.startsWith('status')) return `status is ${span.status.code.toUpperCase()}`;
  if (label.startsWith('event')) {
    const names = span.events.map((e) => e.name);
    return names.length ? `events [${names.join(', ')}]` : 'no events';
  }
  return 'attributes differ';
}

export function evaluateSpanRule(rule: SpanExpectation, position: number, index: TraceIndex): ExpectationResult {
  const expectation = `expect.span[${position}]`;
  const candidates = index.matching(rule.name);
  const checks = buildChecks(rule, index);
  // Only the count and the first evidence ids are kept: a rule can match most of a million spans.
  const matched: number[] = [];
  let matchedCount = 0;
  // The nearest failing candidate (fewest failed checks) is only needed while nothing matched.
  let best = -1;
  let bestFailures = Infinity;
  const nChecks = checks.length;
  for (let c = 0; c < candidates.length; c++) {
    const i = candidates[c]!;
    let k = 0;
    while (k < nChecks && checks[k]!.test(i)) k++;
    if (k === nChecks) {
      if (matchedCount++ < MAX_EVIDENCE) matched.push(i);
      continue;
    }
    if (matchedCount === 0 && bestFailures > 1) {
      let failures = 1;
      for (let r = k + 1; r < nChecks; r++) if (!checks[r]!.test(i)) failures++;
      if (failures < bestFailures) {
        best = i;
        bestFailures = failures;
      }
    }
  }
  if (rule.when_present === true && candidates.length === 0) {
    return { expectation, kind: 'span', passed: true, message: `no span named ${q(rule.name)}: the rule applies only when one is present (when_present)`, spans: [] };
  }
  const what = `span ${q(rule.name)}${checks.length ? ` with ${checks.map((c) => c.label).join(', ')}` : ''}`;

  if (rule.count) {
    const ok = boundHolds(rule.count, matchedCount);
    return {
      expectation,
      kind: 'span',
      passed: ok,
      message: `${plural(matchedCount, 'span')} matched ${what}; expected count ${describeBound(rule.count)}`,
      spans: evidence(index, matched),
    };
  }
  if (matchedCount > 0) {
    return {
      expectation,
      kind: 'span',
      passed: true,
      message: `${plural(matchedCount, 'span')} matched ${what}`,
      spans: evidence(index, matched),
    };
  }
  if (candidates.length === 0) {
    const hint = isGlob(rule.name) ? '' : didYouMean(index.names, rule.name);
    return {
      expectation,
      kind: 'span',
      passed: false,
      message: `no span named ${q(rule.name)} in ${plural(index.spans.length, 'span')}.${hint}`,
      spans: [],
    };
  }
  const span = index.spans[best]!;
  const reasons = checks
    .filter((c) => !c.test(best))
    .map((c) => `${c.label} (${c.actual ? c.actual(best) : actualFor(c.label, span, index, best)})`)
    .join('; ');
  return {
    expectation,
    kind: 'span',
    passed: false,
    message:
      `${plural(candidates.length, 'span')} named ${q(rule.name)} but none matched every constraint; ` +
      `nearest ${span.spanId} fails: ${reasons}`,
    spans: evidence(index, [best, ...candidates.filter((i) => i !== best)]),
  };
}

export function evaluateSpanRules(
  rules: readonly SpanExpectation[],
  index: TraceIndex,
  out: ExpectationResult[],
): void {
  rules.forEach((rule, position) => out.push(evaluateSpanRule(rule, position, index)));
}
