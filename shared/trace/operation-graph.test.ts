import { describe, expect, it } from 'vitest';
import { operationGraph } from './operation-graph';
import { generateTrace } from './synthetic';
import { span } from './test-spans';
import { buildTraceTree } from './tree';

describe('operationGraph', () => {
  it('groups spans by service and name, with call counts and errors on parent → child edges', () => {
    const tree = buildTraceTree([
      span(1, undefined, 0, 100, { name: 'GET /', service: 'api' }),
      span(2, 1, 10, 20, { name: 'query', service: 'db' }),
      span(3, 1, 30, 60, { name: 'query', service: 'db', error: true }),
      span(4, 1, 70, 80, { name: 'get', service: 'cache' }),
      span(5, 4, 71, 79, { name: 'query', service: 'db' }),
    ]);
    const g = operationGraph(tree);
    expect(g.operations).toBe(3);
    const db = g.nodes.find((n) => n.service === 'db')!;
    expect(db).toMatchObject({ name: 'query', count: 3, errors: 1, totalUs: 48, maxUs: 30 });
    expect(tree.spans[db.firstSpan]!.spanId).toBe((2).toString(16).padStart(16, '0'));
    const edges = Object.fromEntries(g.edges.map((e) => [`${e.from.replace('\0', ':')}→${e.to.replace('\0', ':')}`, [e.calls, e.errors]]));
    expect(edges).toEqual({ 'api:GET /→db:query': [2, 1], 'api:GET /→cache:get': [1, 0], 'cache:get→db:query': [1, 0] });
  });

  it('keeps the operations with the most spans when there are more than the limit', () => {
    const spans = [span(1, undefined, 0, 100, { name: 'root' })];
    for (let i = 2; i < 50; i++) spans.push(span(i, 1, i, i + 1, { name: i < 10 ? 'common' : `rare-${i}` }));
    const g = operationGraph(buildTraceTree(spans), 5);
    expect(g.operations).toBe(1 + 1 + 40);
    expect(g.nodes).toHaveLength(5);
    expect(g.nodes[0]!.name).toBe('common');
    for (const e of g.edges) expect(g.nodes.some((n) => n.id === e.from) && g.nodes.some((n) => n.id === e.to)).toBe(true);
  });

  it('handles a 50,000-deep chain and a 200,000-span trace without recursion', () => {
    const deep = generateTrace({ spans: 50_000, shape: 'deep', seed: 3 });
    const g = operationGraph(buildTraceTree(deep));
    expect(g.nodes.reduce((n, x) => n + x.count, 0)).toBe(50_000);
    const wide = operationGraph(buildTraceTree(generateTrace({ spans: 200_000, shape: 'wide', seed: 4 })));
    expect(wide.nodes.reduce((n, x) => n + x.count, 0)).toBeLessThanOrEqual(200_000);
    expect(wide.edges.length).toBeGreaterThan(0);
  });
});
