import { describe, expect, it } from 'vitest';
import { parseTestFile } from '../spec';
import type { Classification } from './classes';
import { roundUpBound } from './repair-duration';
import { proposeRepairs, type RepairInput } from './repairs';

const FILE = `[meta]
name = "bounded"
version = "1"

[[scenario]]
name = "main"
run = "true"

[[expect.span]]
name = "db.query"
duration_ms = { max = 100 }  # tight on purpose

[[expect.span]]
name = "GET /items"
duration_ms = { min = 1, max = 500 }
`;

const flaky: Classification = { class: 'flaky_test', confidence: 0.75, evidence: [{ kind: 'history', detail: 'flipped 3 times in 8 runs' }] };

/** Eight executions of db.query: routinely 85–120 ms against a 100 ms bound. */
const FLIPPING = [[90], [104], [88, 150], [112], [86], [118], [95], [121]];

const input = (over: Partial<RepairInput> = {}): RepairInput => ({
  file: 't.clnrm.toml',
  source: FILE,
  classification: flaky,
  failedExpectations: ['expect.span[0]'],
  observedDurations: [{ expectation: 'expect.span[0]', executions: FLIPPING }],
  ...over,
});

describe('duration-bound repair', () => {
  it('rounds a bound up to two significant digits in whole ms', () => {
    expect([roundUpBound(1234.5), roundUpBound(87.2), roundUpBound(3.2), roundUpBound(145.1)]).toEqual([1300, 88, 4, 150]);
  });

  it('a flaky bound routinely near its limit is widened to p99 × 1.2 of the observed durations, changing only that value', () => {
    const [repair, ...rest] = proposeRepairs(input());
    expect(rest).toEqual([]);
    // Of the 9 spans sorted, p99 (type 7) lies at 7.92: 121 + 0.92 × 29 = 147.68 ms; × 1.2 = 177.2 → 180.
    expect(repair).toMatchObject({ kind: 'widen-duration-bound', description: 'widen expect.span[0] `db.query` duration_ms.max from 100 to 180 ms (observed p99 147.7 ms × 1.2)' });
    expect(repair!.evidence).toEqual([
      '`db.query` over the last 8 executions (9 spans): p50 104 ms, p95 138.4 ms, p99 147.7 ms, max 150 ms',
      '8 of 8 executions were at or over 80 % of the bound (80 ms): the bound is routinely near, not a one-off',
    ]);
    expect(repair!.text).toBe(FILE.replace('duration_ms = { max = 100 }  # tight', 'duration_ms = { max = 180 }  # tight'));
    const parsed = parseTestFile(repair!.text, { file: 't.clnrm.toml' });
    expect(parsed.errors).toEqual([]);
  });

  it('leaves a one-off regression, a steady assertion failure and a thin history alone', () => {
    const calm = [[20], [22], [19], [21], [20], [23], [150]];
    expect(proposeRepairs(input({ observedDurations: [{ expectation: 'expect.span[0]', executions: calm }] }))).toEqual([]);
    expect(proposeRepairs(input({ classification: { ...flaky, class: 'assertion_failure' } }))).toEqual([]);
    expect(proposeRepairs(input({ observedDurations: [{ expectation: 'expect.span[0]', executions: [[104], [112]] }] }))).toEqual([]);
    expect(proposeRepairs(input({ observedDurations: [] }))).toEqual([]);
  });

  it('widens the max of a rule that also has a min, and only failed rules', () => {
    const slow = [[450], [520], [480], [530]];
    const [repair] = proposeRepairs(input({ failedExpectations: ['expect.span[1]'], observedDurations: [{ expectation: 'expect.span[1]', executions: slow }] }));
    expect(repair!.text).toBe(FILE.replace('{ min = 1, max = 500 }', '{ min = 1, max = 640 }'));
    expect(proposeRepairs(input({ failedExpectations: ['expect.span[1]'] }))).toEqual([]);
  });
});
