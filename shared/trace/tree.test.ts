import { describe, expect, it } from 'vitest';
import { ancestorsOf, buildTraceTree, childCount, CYCLE, DUPLICATE_ID, ORPHAN } from './tree';
import { collapseAll, revealSpan, rowOf, visibleRows } from './visible-rows';
import { generateTrace } from './synthetic';
import { span } from './test-spans';

const ids = (tree: ReturnType<typeof buildTraceTree>, rows: Int32Array) => [...rows].map((i) => tree.spans[i]!.name);

describe('buildTraceTree', () => {
  it('indexes parents and children, sorted by start time whatever the input order', () => {
    const tree = buildTraceTree([span(3, 1, 50, 60), span(1, undefined, 0, 100), span(2, 1, 10, 40), span(4, 2, 20, 30)]);
    expect(tree.roots.length).toBe(1);
    const root = tree.roots[0]!;
    expect(tree.spans[root]!.name).toBe('op-1');
    expect(childCount(tree, root)).toBe(2);
    expect(ids(tree, tree.preorder)).toEqual(['op-1', 'op-2', 'op-4', 'op-3']);
    expect([...tree.preorder].map((i) => tree.depth[i])).toEqual([0, 1, 2, 1]);
    expect(tree.descendants[root]).toBe(3);
    expect(tree.maxDepth).toBe(2);
    expect(tree.traceEndUs - tree.traceStartUs).toBe(100);
  });

  it('puts orphans at root level, flagged, in start order', () => {
    const tree = buildTraceTree([span(1, undefined, 0, 100), span(2, 99, 5, 10), span(3, 2, 6, 8)]);
    expect(ids(tree, tree.roots)).toEqual(['op-1', 'op-2']);
    const orphan = tree.indexById.get(span(2, 99, 0, 0).spanId);
    expect(orphan).toBeGreaterThanOrEqual(0);
    expect(tree.flags[orphan]! & ORPHAN).toBe(ORPHAN);
    expect(tree.orphanCount).toBe(1);
    expect(ids(tree, tree.preorder)).toEqual(['op-1', 'op-2', 'op-3']);
  });

  it('breaks parent cycles and self-parents instead of looping', () => {
    const tree = buildTraceTree([span(1, 2, 0, 10), span(2, 3, 1, 9), span(3, 1, 2, 8), span(4, 4, 3, 4)]);
    expect(tree.cycleCount).toBe(2);
    expect(tree.preorder.length).toBe(4);
    expect(new Set(tree.preorder).size).toBe(4);
    const cycleRoots = [...tree.roots].filter((i) => tree.flags[i]! & CYCLE);
    expect(cycleRoots.length).toBe(2);
  });

  it('keeps spans with duplicate ids as rows and flags the copy', () => {
    const tree = buildTraceTree([span(1, undefined, 0, 10), span(1, undefined, 1, 2)]);
    expect(tree.size).toBe(2);
    expect(tree.flags[1]! & DUPLICATE_ID).toBe(DUPLICATE_ID);
  });

  it('handles a 50,000-deep chain without recursion', () => {
    const spans = generateTrace({ spans: 50_000, shape: 'deep' });
    const tree = buildTraceTree([...spans].reverse());
    expect(tree.maxDepth).toBe(49_999);
    const rows = visibleRows(tree, new Uint8Array(tree.size));
    expect(rows.length).toBe(50_000);
    expect(tree.depth[rows[49_999]!]).toBe(49_999);
    expect(ancestorsOf(tree, rows[49_999]!).length).toBe(49_999);
  });

  it('indexes non-hex ids too (hand-made data) and reports absent ids as -1', () => {
    const odd = [{ ...span(1, undefined, 0, 10), spanId: 'root-span' }, { ...span(2, undefined, 1, 5), spanId: 'child', parentSpanId: 'root-span' }];
    const tree = buildTraceTree(odd);
    expect(tree.indexById.get('root-span')).toBe(0);
    expect(tree.indexById.get('0000000000000bad')).toBe(-1);
    expect(tree.parent[1]).toBe(0);
  });

  it('handles an empty trace', () => {
    const tree = buildTraceTree([]);
    expect(tree.size).toBe(0);
    expect(visibleRows(tree, new Uint8Array(0)).length).toBe(0);
  });
});

describe('visibleRows', () => {
  const tree = buildTraceTree([span(1, undefined, 0, 100), span(2, 1, 10, 40), span(4, 2, 20, 30), span(3, 1, 50, 60), span(5, 3, 51, 52)]);
  const at = (name: string) => tree.spans.findIndex((s) => s.name === name);

  it('skips the subtree of a collapsed span', () => {
    const collapsed = new Uint8Array(tree.size);
    collapsed[at('op-2')] = 1;
    expect(ids(tree, visibleRows(tree, collapsed))).toEqual(['op-1', 'op-2', 'op-3', 'op-5']);
    collapsed[at('op-1')] = 1;
    expect(ids(tree, visibleRows(tree, collapsed))).toEqual(['op-1']);
  });

  it('collapses all, then reveals one span by expanding its ancestors', () => {
    const collapsed = new Uint8Array(tree.size);
    collapseAll(tree, collapsed);
    expect(ids(tree, visibleRows(tree, collapsed))).toEqual(['op-1']);
    expect(revealSpan(tree, collapsed, at('op-5'))).toBe(true);
    const rows = visibleRows(tree, collapsed);
    expect(ids(tree, rows)).toEqual(['op-1', 'op-2', 'op-3', 'op-5']);
    expect(rowOf(tree, rows, at('op-5'))).toBe(3);
    expect(rowOf(tree, rows, at('op-4'))).toBe(-1);
  });
});
