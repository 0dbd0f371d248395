import { describe, expect, it } from 'vitest';
import type { Span } from '../model';
import { buildTraceTree, criticalPath } from '../trace';
import { span, TEST_TRACE } from '../trace/test-spans';
import { analyseBottlenecks, spanSlack } from './bottlenecks';

const id = (n: number): string => n.toString(16).padStart(16, '0');

function withAttributes(s: Span, attrs: Record<string, string>): Span {
  return { ...s, attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: { stringValue: v } })) };
}

function slackById(spans: Span[]): Map<string, number> {
  const tree = buildTraceTree(spans);
  const slack = spanSlack(tree, criticalPath(tree).onPath);
  return new Map(tree.spans.map((s, i) => [s.spanId, slack[i]!]));
}

describe('slack', () => {
  it('is 0 on the critical path, the time to the parent end for a short parallel child', () => {
    // root 0–100: a 0–40 then b 40–100 (sequential, critical); c 0–10 in parallel with a.
    const s = slackById([span(1, undefined, 0, 100), span(2, 1, 0, 40), span(3, 1, 40, 100), span(4, 1, 0, 10)]);
    expect(s.get(id(1))).toBe(0);
    expect(s.get(id(2))).toBe(0);
    expect(s.get(id(3))).toBe(0);
    // c may have to finish before b starts (b began after c ended): 40 − 10.
    expect(s.get(id(4))).toBe(30);
  });

  it('bounds a child by its parent slack and by a later sibling’s own slack', () => {
    // root 0–100 with critical x 0–100; p 0–50 (slack 50) with children q 0–10 and r 20–30.
    const s = slackById([span(1, undefined, 0, 100), span(2, 1, 0, 100), span(3, 1, 0, 50), span(4, 3, 0, 10), span(5, 3, 20, 30)]);
    expect(s.get(id(3))).toBe(50);
    expect(s.get(id(5))).toBe(70); // latest end = p's latest end 100
    expect(s.get(id(4))).toBe(80); // before r's latest start (20 + 70 = 90)
  });

  it('walks a 50,000-deep chain without recursion', () => {
    const spans: Span[] = [];
    for (let i = 1; i <= 50_000; i++) spans.push(span(i, i === 1 ? undefined : i - 1, i, 200_000 - i));
    const report = analyseBottlenecks(spans);
    expect(report.traces[0]!.criticalPath).toHaveLength(50_000);
    expect(report.traces[0]!.slack.every((x) => x.slackUs === 0)).toBe(true);
  });
});

describe('slowest and highest variance', () => {
  it('ranks operations across traces with evidence spans', () => {
    const other = (s: Span): Span => ({ ...s, traceId: 'ffffffffffffffffffffffffffffffff' });
    const report = analyseBottlenecks([
      span(1, undefined, 0, 1000, { name: 'GET /' }), span(2, 1, 0, 900, { name: 'db.query' }),
      other(span(3, undefined, 0, 300, { name: 'GET /' })), other(span(4, 3, 0, 100, { name: 'db.query' })),
    ], 1);
    expect(report.traces).toHaveLength(2);
    expect(report.slowest).toEqual([expect.objectContaining({ name: 'GET /', count: 2, meanUs: 650, maxUs: 1000, evidence: [id(1), id(3)] })]);
    expect(report.highestVariance[0]).toMatchObject({ name: 'db.query', evidence: [id(2), id(4)] });
    expect(report.highestVariance[0]!.stdDevUs).toBeCloseTo(565.685, 2);
  });
});

describe('recommendations', () => {
  it('finds an N+1 loop, identical calls to cache, and sequential independent calls', () => {
    const spans = [
      span(1, undefined, 0, 1000, { name: 'GET /orders' }),
      // three sequential queries under one parent: N+1 (two identical: cacheable)
      withAttributes(span(2, 1, 0, 100, { name: 'SELECT item' }), { 'db.statement': 'SELECT * FROM item WHERE id = ?', id: '1' }),
      withAttributes(span(3, 1, 100, 200, { name: 'SELECT item' }), { 'db.statement': 'SELECT * FROM item WHERE id = ?', id: '2' }),
      withAttributes(span(4, 1, 200, 300, { name: 'SELECT item' }), { 'db.statement': 'SELECT * FROM item WHERE id = ?', id: '1' }),
      // two different calls one after another on the critical path
      span(5, 1, 300, 600, { name: 'GET /prices', service: 'prices' }),
      span(6, 1, 600, 1000, { name: 'GET /stock', service: 'stock' }),
    ];
    const { recommendations } = analyseBottlenecks(spans);
    const byKind = new Map(recommendations.map((r) => [r.kind, r]));
    expect(byKind.get('n-plus-one')).toMatchObject({ traceId: TEST_TRACE, savingUs: 200, evidence: [id(2), id(3), id(4)] });
    expect(byKind.get('n-plus-one')!.message).toMatch(/3 × "SELECT item" \(svc\) one after another under "GET \/orders"/);
    expect(byKind.get('cache')).toMatchObject({ savingUs: 100, evidence: [id(2), id(4)] });
    expect(byKind.get('parallelize')).toMatchObject({ savingUs: 300, evidence: [id(5), id(6)] });
    expect(recommendations.map((r) => r.kind)).toEqual(['parallelize', 'n-plus-one', 'cache']);
  });

  it('says nothing about calls that already overlap or have no attributes', () => {
    const spans = [
      span(1, undefined, 0, 100), span(2, 1, 0, 90, { name: 'q' }), span(3, 1, 5, 95, { name: 'q' }), span(4, 1, 10, 99, { name: 'q' }),
    ];
    expect(analyseBottlenecks(spans).recommendations).toEqual([]);
  });
});
