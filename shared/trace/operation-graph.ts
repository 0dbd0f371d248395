// The per-trace DAG: the trace's spans grouped by (service, span name) — the trace's operations —
// with an edge from a parent's operation to each child's, counting calls. One pass over the tree
// arrays, no recursion; a million-span trace with few distinct operations stays a small graph.
// Traces with very many distinct operations keep the ones with the most spans (`limit`).
import type { TraceTree } from './tree';

export interface OperationNode {
  /** `service` + NUL + `name`. */
  id: string;
  service: string;
  name: string;
  /** Spans of this operation in the trace. */
  count: number;
  /** Spans of it with status ERROR. */
  errors: number;
  /** Sum and maximum of the spans' durations, µs. */
  totalUs: number;
  maxUs: number;
  /** The earliest span of the operation (tree index), where a click on the node leads. */
  firstSpan: number;
}

export interface OperationEdge {
  from: string;
  to: string;
  /** Child spans of `to` whose parent is a span of `from`. */
  calls: number;
  errors: number;
}

export interface OperationGraph {
  nodes: OperationNode[];
  edges: OperationEdge[];
  /** Distinct operations in the trace (more than `nodes.length` when capped). */
  operations: number;
}

const SEP = '\u0000';

export function operationGraph(tree: TraceTree, limit = 300): OperationGraph {
  const n = tree.size;
  const groupOf = new Int32Array(n);
  const byKey = new Map<string, number>();
  const nodes: OperationNode[] = [];
  for (let i = 0; i < n; i++) {
    const span = tree.spans[i]!;
    const id = span.serviceName + SEP + span.name;
    let g = byKey.get(id);
    if (g === undefined) {
      g = nodes.length;
      byKey.set(id, g);
      nodes.push({ id, service: span.serviceName, name: span.name, count: 0, errors: 0, totalUs: 0, maxUs: 0, firstSpan: i });
    }
    groupOf[i] = g;
    const node = nodes[g]!;
    const d = Math.max(0, tree.endUs[i]! - tree.startUs[i]!);
    node.count++;
    if (span.status.code === 'error') node.errors++;
    node.totalUs += d;
    if (d > node.maxUs) node.maxUs = d;
    if (tree.startUs[i]! < tree.startUs[node.firstSpan]!) node.firstSpan = i;
  }
  // Keep the operations with the most spans when there are too many to draw.
  let kept = nodes;
  if (nodes.length > limit) kept = [...nodes].sort((a, b) => b.count - a.count || a.id.localeCompare(b.id)).slice(0, limit);
  const keep = new Set(kept.map((k) => k.id));
  const edgeMap = new Map<string, OperationEdge>();
  for (let i = 0; i < n; i++) {
    const p = tree.parent[i]!;
    if (p < 0) continue;
    const from = nodes[groupOf[p]!]!.id;
    const to = nodes[groupOf[i]!]!.id;
    if (!keep.has(from) || !keep.has(to)) continue;
    const key = from + SEP + SEP + to;
    let e = edgeMap.get(key);
    if (!e) {
      e = { from, to, calls: 0, errors: 0 };
      edgeMap.set(key, e);
    }
    e.calls++;
    if (tree.spans[i]!.status.code === 'error') e.errors++;
  }
  return { nodes: kept, edges: [...edgeMap.values()], operations: nodes.length };
}
