// `[expect.graph]`: parent → child edges by span name that must / must not exist, and acyclicity
// of the parent links (malformed data can make span A the parent of B and B of A).
import type { GraphExpectation } from '../spec/schema/expect';
import type { ExpectationResult } from './types';
import type { TraceIndex } from './trace-index';
import { didYouMean, evidence, plural, q } from './util';

/** Child spans named `child` whose parent is named `parent` (pairs of parent, child indices). */
function edges(index: TraceIndex, parent: string, child: string, max: number): [number, number][] {
  const isParent = index.nameMask(parent);
  const found: [number, number][] = [];
  const children = index.matching(child);
  for (let k = 0; k < children.length; k++) {
    const c = children[k]!;
    const p = index.parent[c]!;
    if (p >= 0 && isParent[index.nameId[p]!] === 1) {
      found.push([p, c]);
      if (found.length >= max) break;
    }
  }
  return found;
}

function mustInclude(index: TraceIndex, parent: string, child: string, i: number): ExpectationResult {
  const expectation = `expect.graph.must_include[${i}]`;
  const found = edges(index, parent, child, 1);
  if (found.length) {
    const [p, c] = found[0]!;
    return {
      expectation,
      kind: 'graph',
      passed: true,
      message: `edge ${q(parent)} → ${q(child)} found`,
      spans: evidence(index, [p, c]),
    };
  }
  const children = index.matching(child);
  if (index.matching(parent).length === 0 || children.length === 0) {
    const missing = index.matching(parent).length === 0 ? parent : child;
    return {
      expectation,
      kind: 'graph',
      passed: false,
      message: `edge ${q(parent)} → ${q(child)} not found: no span named ${q(missing)}.${didYouMean(index.names, missing)}`,
      spans: evidence(index, children),
    };
  }
  const actualParents = new Set<string>();
  for (const c of children) {
    const p = index.parent[c]!;
    actualParents.add(p >= 0 ? q(index.spans[p]!.name) : '(root)');
    if (actualParents.size >= 5) break;
  }
  return {
    expectation,
    kind: 'graph',
    passed: false,
    message: `edge ${q(parent)} → ${q(child)} not found; ${q(child)} spans have parents ${[...actualParents].join(', ')}`,
    spans: evidence(index, children),
  };
}

function mustNotCross(index: TraceIndex, parent: string, child: string, i: number): ExpectationResult {
  const expectation = `expect.graph.must_not_cross[${i}]`;
  const found = edges(index, parent, child, 50);
  if (found.length === 0) {
    return {
      expectation,
      kind: 'graph',
      passed: true,
      message: `no edge ${q(parent)} → ${q(child)}`,
      spans: [],
    };
  }
  return {
    expectation,
    kind: 'graph',
    passed: false,
    message: `forbidden edge ${q(parent)} → ${q(child)} found${found.length >= 50 ? ' (50 or more times)' : ` ${plural(found.length, 'time')}`}`,
    spans: evidence(index, found.flat()),
  };
}

/**
 * Spans reachable from a root in the top-down order are acyclic by construction; if some are not,
 * a walk up parent links from one of them (iterative, marks visited) must run into a cycle.
 */
export function findCycle(index: TraceIndex): number[] | undefined {
  const n = index.spans.length;
  if (index.topDown().length === n) return undefined;
  const reached = new Uint8Array(n);
  const order = index.topDown();
  for (let k = 0; k < order.length; k++) reached[order[k]!] = 1;
  const onWalk = new Int32Array(n).fill(-1);
  for (let start = 0; start < n; start++) {
    if (reached[start]) continue;
    const path: number[] = [];
    let i = start;
    while (i >= 0 && !reached[i]) {
      if (onWalk[i] === start) return path.slice(path.indexOf(i));
      if (onWalk[i]! >= 0) break; // defensive: the first walk always ends in its cycle
      onWalk[i] = start;
      path.push(i);
      i = index.parent[i]!;
    }
  }
  return undefined;
}

export function evaluateGraph(graph: GraphExpectation, index: TraceIndex, out: ExpectationResult[]): void {
  graph.must_include?.forEach(([p, c], i) => out.push(mustInclude(index, p, c, i)));
  graph.must_not_cross?.forEach(([p, c], i) => out.push(mustNotCross(index, p, c, i)));
  if (graph.acyclic) {
    const cycle = findCycle(index);
    out.push(
      cycle
        ? {
            expectation: 'expect.graph.acyclic',
            kind: 'graph',
            passed: false,
            message: `parent links form a cycle: ${cycle.map((j) => q(index.spans[j]!.name)).join(' → ')} → back`,
            spans: evidence(index, cycle),
          }
        : {
            expectation: 'expect.graph.acyclic',
            kind: 'graph',
            passed: true,
            message: `parent links of ${plural(index.spans.length, 'span')} form no cycle`,
            spans: [],
          },
    );
  }
}
