import { describe, expect, it } from 'vitest';
import { buildTraceTree } from './tree';
import { criticalPath } from './critical-path';
import { generateTrace } from './synthetic';
import { span } from './test-spans';

function path(spans: ReturnType<typeof span>[]) {
  const tree = buildTraceTree(spans);
  const base = tree.traceStartUs;
  const cp = criticalPath(tree);
  return cp.sections.map((s) => `${tree.spans[s.span]!.name}:${s.startUs - base}-${s.endUs - base}`);
}

describe('criticalPath', () => {
  it('follows sequential children back to back', () => {
    // root 0-100, A 0-50, B 50-100
    expect(path([span(1, undefined, 0, 100, { name: 'root' }), span(2, 1, 0, 50, { name: 'A' }), span(3, 1, 50, 100, { name: 'B' })])).toEqual([
      'B:50-100',
      'A:0-50',
    ]);
  });

  it('takes the last-finishing of parallel children and the parent self time around them', () => {
    // root 0-100; A 10-60 and B 10-80 in parallel; the root works alone 80-100 and 0-10.
    expect(
      path([span(1, undefined, 0, 100, { name: 'root' }), span(2, 1, 10, 60, { name: 'A' }), span(3, 1, 10, 80, { name: 'B' })]),
    ).toEqual(['root:80-100', 'B:10-80', 'root:0-10']);
  });

  it('descends into grandchildren and clips a child that overruns its parent', () => {
    // root 0-100; A 20-120 overruns (clipped to 100); A's child C 30-50.
    expect(
      path([span(1, undefined, 0, 100, { name: 'root' }), span(2, 1, 20, 120, { name: 'A' }), span(3, 2, 30, 50, { name: 'C' })]),
    ).toEqual(['A:50-100', 'C:30-50', 'A:20-30', 'root:0-20']);
  });

  it('ignores a child that starts after its parent ended', () => {
    expect(path([span(1, undefined, 0, 100, { name: 'root' }), span(2, 1, 150, 160, { name: 'late' })])).toEqual(['root:0-100']);
  });

  it('marks the spans on the path and covers the whole root duration', () => {
    const tree = buildTraceTree(generateTrace({ spans: 5000, shape: 'wide', seed: 7 }));
    const cp = criticalPath(tree);
    const root = tree.roots[0]!;
    const covered = cp.sections.reduce((sum, s) => sum + (s.endUs - s.startUs), 0);
    expect(covered).toBeCloseTo(tree.endUs[root]! - tree.startUs[root]!, 3);
    expect(cp.onPath[root]).toBe(1);
    for (const s of cp.sections) expect(cp.onPath[s.span]).toBe(1);
  });

  it('works on a 50,000-deep chain', () => {
    const tree = buildTraceTree(generateTrace({ spans: 50_000, shape: 'deep' }));
    const cp = criticalPath(tree);
    expect(cp.onPath.reduce((a, b) => a + b, 0)).toBe(50_000);
  });
});
