import { describe, expect, it } from 'vitest';
import { evaluateExpectations } from './evaluate';
import { clnrmTrace } from './test-trace';
import { sid, spans } from './testing';

describe('expect.counts', () => {
  it('checks totals and per-name counts with globs', () => {
    const r = evaluateExpectations(clnrmTrace(), {
      expect: {
        counts: {
          spans_total: { gte: 2, lte: 200 },
          events_total: { eq: 3 },
          errors_total: { eq: 0 },
          by_name: { 'clnrm.run': { eq: 1 }, 'clnrm.*': { gte: 5 } },
        },
      },
    });
    expect(r.map((x) => [x.expectation, x.passed])).toEqual([
      ['expect.counts.spans_total', true],
      ['expect.counts.events_total', true],
      ['expect.counts.errors_total', true],
      ['expect.counts.by_name."clnrm.run"', true],
      ['expect.counts.by_name."clnrm.*"', false],
    ]);
    expect(r[4]!.message).toBe('count of "clnrm.*" is 4; expected >= 5');
    expect(r[3]!.spans).toEqual([sid('run')]);
  });

  it('lists error spans as evidence when errors_total fails', () => {
    const s = spans([
      { id: 'a', name: 'a', status: 'error' },
      { id: 'b', name: 'b', status: 'ok' },
    ]);
    const [r] = evaluateExpectations(s, { expect: { counts: { errors_total: { eq: 0 } } } });
    expect(r).toMatchObject({ passed: false, spans: [sid('a')], message: 'error span count is 1; expected = 0' });
  });
});

describe('expect.status', () => {
  const s = spans([
    { id: 'a', name: 'clnrm.run', status: 'ok' },
    { id: 'b', name: 'clnrm.step:x', status: 'error' },
    { id: 'c', name: 'container.exec', status: 'unset' },
  ]);

  it('all = "OK" lists the offending spans', () => {
    const [r] = evaluateExpectations(s, { expect: { status: { all: 'OK' } } });
    expect(r!.passed).toBe(false);
    expect(r!.spans).toEqual([sid('b'), sid('c')]);
    expect(r!.message).toContain('1 ERROR, 1 UNSET');
  });

  it('by_name with globs, case-insensitive values, and unmatched patterns fail', () => {
    const r = evaluateExpectations(s, {
      expect: { status: { by_name: { 'clnrm.run': 'ok', 'clnrm.step:*': 'ERROR', 'contaner.exec': 'UNSET' } } },
    });
    expect(r.map((x) => x.passed)).toEqual([true, true, false]);
    expect(r[2]!.message).toContain('Did you mean "container.exec"');
  });
});
