// `[expect.status]`: the OTLP status code of every span (`all`) or of the spans whose name matches a
// glob (`by_name`). A by_name pattern that matches no span fails: a status rule about nothing is
// almost always a misspelt name, and passing it would hide that. `errors_allowed = false` fails on
// any ERROR span; `errors_allowed = true` exempts ERROR spans from `all` (a chaos test's failures
// are expected) and reports how many there were.
import type { StatusExpectation } from '../spec/schema/expect';
import type { ExpectationResult } from './types';
import type { TraceIndex } from './trace-index';
import { isGlob, statusNumber } from './trace-index';
import { MAX_EVIDENCE, didYouMean, evidence, plural, q } from './util';

/** Spans among the candidates with / without the wanted status; `ok` keeps only evidence-sized prefixes. */
function check(index: TraceIndex, candidates: readonly number[] | null, want: string, exempt = -1): { ok: number[]; okCount: number; bad: number[] } {
  const code = statusNumber(want.toLowerCase());
  const { status } = index;
  const ok: number[] = [];
  const bad: number[] = [];
  let okCount = 0;
  const n = candidates ? candidates.length : status.length;
  for (let k = 0; k < n; k++) {
    const i = candidates ? candidates[k]! : k;
    if (status[i] === code) {
      if (okCount++ < MAX_EVIDENCE) ok.push(i);
    } else if (status[i] !== exempt) bad.push(i);
  }
  return { ok, okCount, bad };
}

function summarize(index: TraceIndex, bad: number[]): string {
  const byCode = new Map<string, number>();
  for (const i of bad) {
    const c = index.spans[i]!.status.code.toUpperCase();
    byCode.set(c, (byCode.get(c) ?? 0) + 1);
  }
  return [...byCode].map(([c, n]) => `${n} ${c}`).join(', ');
}

function errorSpans(index: TraceIndex): number[] {
  const code = statusNumber('error');
  const found: number[] = [];
  for (let i = 0; i < index.status.length; i++) if (index.status[i] === code) found.push(i);
  return found;
}

function evaluateErrorsAllowed(allowed: boolean, index: TraceIndex, out: ExpectationResult[]): void {
  const errors = errorSpans(index);
  const expectation = 'expect.status.errors_allowed';
  if (allowed) {
    const exempt = errors.length > 0 ? ' (exempt from `all`)' : '';
    out.push({ expectation, kind: 'status', passed: true, message: `errors allowed: ${plural(errors.length, 'span')} with status ERROR${exempt}`, spans: evidence(index, errors) });
    return;
  }
  out.push({
    expectation,
    kind: 'status',
    passed: errors.length === 0,
    message: errors.length === 0 ? 'no span has status ERROR' : `errors_allowed = false, but ${plural(errors.length, 'span')} ${errors.length === 1 ? 'has' : 'have'} status ERROR; first: ${q(index.spans[errors[0]!]!.name)}`,
    spans: evidence(index, errors),
  });
}

export function evaluateStatus(status: StatusExpectation, index: TraceIndex, out: ExpectationResult[]): void {
  if (status.errors_allowed !== undefined) evaluateErrorsAllowed(status.errors_allowed, index, out);
  if (status.all !== undefined) {
    const want = status.all.toUpperCase();
    const { ok, okCount, bad } = check(index, null, want, status.errors_allowed ? statusNumber('error') : -1);
    out.push(
      bad.length === 0
        ? {
            expectation: 'expect.status.all',
            kind: 'status',
            passed: true,
            message: `all ${plural(okCount, 'span')} have status ${want}`,
            spans: evidence(index, ok),
          }
        : {
            expectation: 'expect.status.all',
            kind: 'status',
            passed: false,
            message: `${plural(bad.length, 'span')} of ${index.spans.length} ${bad.length === 1 ? 'is' : 'are'} not ${want} (${summarize(index, bad)}); first: ${q(index.spans[bad[0]!]!.name)}`,
            spans: evidence(index, bad),
          },
    );
  }
  for (const [pattern, value] of Object.entries(status.by_name ?? {})) {
    const want = value.toUpperCase();
    const expectation = `expect.status.by_name.${q(pattern)}`;
    const candidates = index.matching(pattern);
    if (candidates.length === 0) {
      const hint = isGlob(pattern) ? '' : didYouMean(index.names, pattern);
      out.push({
        expectation,
        kind: 'status',
        passed: false,
        message: `no span matches ${q(pattern)}, so its status cannot be checked.${hint}`,
        spans: [],
      });
      continue;
    }
    const { ok, okCount, bad } = check(index, candidates, want);
    out.push(
      bad.length === 0
        ? {
            expectation,
            kind: 'status',
            passed: true,
            message: `all ${plural(okCount, 'span')} matching ${q(pattern)} have status ${want}`,
            spans: evidence(index, ok),
          }
        : {
            expectation,
            kind: 'status',
            passed: false,
            message: `${plural(bad.length, 'span')} matching ${q(pattern)} ${bad.length === 1 ? 'is' : 'are'} not ${want} (${summarize(index, bad)})`,
            spans: evidence(index, bad),
          },
    );
  }
}
