// `[expect.counts]`: totals of spans, events and error spans, and per-name counts (globs allowed).
import type { CountBound, CountsExpectation } from '../spec/schema/expect';
import type { ExpectationResult } from './types';
import type { TraceIndex } from './trace-index';
import { STATUS_ERROR } from './trace-index';
import { boundHolds, describeBound, evidence, q } from './util';

function result(
  expectation: string,
  what: string,
  value: number,
  bound: CountBound,
  spans: string[],
): ExpectationResult {
  const passed = boundHolds(bound, value);
  return {
    expectation,
    kind: 'counts',
    passed,
    message: `${what} is ${value}; expected ${describeBound(bound)}`,
    spans,
  };
}

export function evaluateCounts(counts: CountsExpectation, index: TraceIndex, out: ExpectationResult[]): void {
  const { spans } = index;
  if (counts.spans_total) {
    out.push(result('expect.counts.spans_total', 'span count', spans.length, counts.spans_total, []));
  }
  if (counts.events_total) {
    let events = 0;
    const withEvents: number[] = [];
    for (let i = 0; i < spans.length; i++) {
      const k = spans[i]!.events.length;
      if (k) {
        events += k;
        if (withEvents.length < 100) withEvents.push(i);
      }
    }
    out.push(result('expect.counts.events_total', 'event count', events, counts.events_total, evidence(index, withEvents)));
  }
  if (counts.errors_total) {
    const errors: number[] = [];
    const { status } = index;
    for (let i = 0; i < status.length; i++) if (status[i] === STATUS_ERROR) errors.push(i);
    out.push(
      result('expect.counts.errors_total', 'error span count', errors.length, counts.errors_total, evidence(index, errors)),
    );
  }
  for (const [name, bound] of Object.entries(counts.by_name ?? {})) {
    const matched = index.matching(name);
    out.push(
      result(`expect.counts.by_name.${q(name)}`, `count of ${q(name)}`, matched.length, bound, evidence(index, matched)),
    );
  }
}
