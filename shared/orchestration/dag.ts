// The service dependency graph of a run: which services must be up before which. Produces parallel start
// LEVELS (every service of a level depends only on earlier levels, so a level starts all at once) and the
// stop order (levels reversed). Pure code: the runner and the UI's graph preview share it.
// Iterative throughout (Kahn's algorithm, explicit-stack DFS) so a long dependency chain cannot blow the stack.
import { problem, type Problem } from '../errors';

export interface DependencyNode {
  readonly id: string;
  /** Ids this service waits for (clnrm `depends_on`). */
  readonly dependsOn?: readonly string[];
}

/** One extra edge, e.g. from `[orchestration.dependency_graph]`: `dependent` starts after `dependency` is ready. */
export interface DependencyEdge {
  readonly dependent: string;
  readonly dependency: string;
}

export interface StartPlan {
  /** Start order: level 0 first; ids inside a level keep declaration order. */
  readonly levels: readonly (readonly string[])[];
  /** Stop order: the start levels reversed (dependents stop before what they depend on). */
  readonly stopLevels: readonly (readonly string[])[];
  /** For each id, the ids it depends on directly (deduplicated, declaration order). */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
}

export type PlanResult = { readonly ok: true; readonly plan: StartPlan } | { readonly ok: false; readonly problem: Problem };

/**
 * Plans the start order. Problems: a duplicate id or an unknown dependency is `spec.reference` (with a
 * "did you mean"); a cycle is `spec.cycle` whose message names it (`api → db → api`).
 */
export function planStartOrder(nodes: readonly DependencyNode[], extraEdges: readonly DependencyEdge[] = []): PlanResult {
  const order = new Map<string, number>();
  for (const node of nodes) {
    if (order.has(node.id)) {
      return { ok: false, problem: problem('spec.reference', `service "${node.id}" is declared twice`, { path: `services.${node.id}` }) };
    }
    order.set(node.id, order.size);
  }

  const dependencies = new Map<string, string[]>();
  for (const node of nodes) dependencies.set(node.id, []);
  const addEdge = (dependent: string, dependency: string, path: string): Problem | undefined => {
    if (!order.has(dependent)) return problem('spec.reference', `unknown service "${dependent}" in a dependency edge`, { path, details: { known: [...order.keys()] } });
    if (!order.has(dependency)) {
      return problem('spec.reference', `service "${dependent}" depends on unknown service "${dependency}"${suggest(dependency, [...order.keys()])}`, {
        path,
        details: { known: [...order.keys()] },
      });
    }
    const list = dependencies.get(dependent)!;
    if (!list.includes(dependency)) list.push(dependency);
    return undefined;
  };
  for (const node of nodes) {
    for (const [i, dep] of (node.dependsOn ?? []).entries()) {
      const p = addEdge(node.id, dep, `services.${node.id}.depends_on[${i}]`);
      if (p) return { ok: false, problem: p };
    }
  }
  for (const [i, edge] of extraEdges.entries()) {
    const p = addEdge(edge.dependent, edge.dependency, `orchestration.dependency_graph.edges[${i}]`);
    if (p) return { ok: false, problem: p };
  }

  // Kahn's algorithm, one whole frontier per level.
  const remaining = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const node of nodes) dependents.set(node.id, []);
  for (const [id, deps] of dependencies) {
    remaining.set(id, deps.length);
    for (const dep of deps) dependents.get(dep)!.push(id);
  }
  const byDeclaration = (a: string, b: string) => order.get(a)! - order.get(b)!;
  const levels: string[][] = [];
  let frontier = nodes.map((n) => n.id).filter((id) => remaining.get(id) === 0);
  let placed = 0;
  while (frontier.length > 0) {
    levels.push(frontier);
    placed += frontier.length;
    const next: string[] = [];
    for (const id of frontier) {
      for (const dependent of dependents.get(id)!) {
        const left = remaining.get(dependent)! - 1;
        remaining.set(dependent, left);
        if (left === 0) next.push(dependent);
      }
    }
    frontier = next.sort(byDeclaration);
  }

  if (placed < nodes.length) {
    const stuck = nodes.map((n) => n.id).filter((id) => remaining.get(id)! > 0);
    const cycle = findCycle(stuck, dependencies);
    return {
      ok: false,
      problem: problem('spec.cycle', `dependency cycle: ${cycle.join(' → ')} (remove one depends_on edge)`, {
        path: `services.${cycle[0]}.depends_on`,
        details: { cycle },
      }),
    };
  }
  return { ok: true, plan: { levels, stopLevels: [...levels].reverse(), dependencies } };
}

/**
 * A cycle among nodes that Kahn's algorithm could not place (each of them has an unplaced dependency, so
 * following unplaced dependencies must loop). Returns it closed: [a, b, …, a].
 */
function findCycle(stuck: readonly string[], dependencies: ReadonlyMap<string, readonly string[]>): string[] {
  const stuckSet = new Set(stuck);
  const start = stuck[0]!;
  const path: string[] = [];
  const indexInPath = new Map<string, number>();
  let current = start;
  // Walk dependency pointers until a node repeats; the repeated suffix is the cycle.
  while (!indexInPath.has(current)) {
    indexInPath.set(current, path.length);
    path.push(current);
    current = dependencies.get(current)!.find((d) => stuckSet.has(d))!;
  }
  const cycle = path.slice(indexInPath.get(current));
  cycle.push(current);
  return cycle;
}

function suggest(name: string, known: readonly string[]): string {
  const lower = name.toLowerCase();
  const close = known.find((k) => k.toLowerCase() === lower || editDistance(k.toLowerCase(), lower) <= 2);
  return close ? ` (did you mean "${close}"?)` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
