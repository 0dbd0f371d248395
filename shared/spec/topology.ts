// The service topology a test file declares: its services under the names their spans will carry
// (OTEL_SERVICE_NAME when the service sets it, else the service's id) and the calls it implies:
// a service that `depends_on` another (or an `[orchestration.dependency_graph]` edge) is expected
// to call it. The service map draws this beside what a run actually observed.
import type { TestFile } from './types';

export interface DeclaredService {
  /** The id in the test file (`[services.<id>]`). */
  id: string;
  /** The service name its spans are expected to carry. */
  name: string;
}

export interface DeclaredTopology {
  services: DeclaredService[];
  /** Expected calls, caller → callee, by service name. */
  edges: Array<{ from: string; to: string }>;
}

export function declaredTopology(test: TestFile): DeclaredTopology {
  const nameOf = new Map<string, string>();
  for (const [id, service] of Object.entries(test.services)) {
    const fromEnv = service.env.OTEL_SERVICE_NAME?.trim();
    nameOf.set(id, fromEnv ? fromEnv : id);
  }
  const edges: DeclaredTopology['edges'] = [];
  const seen = new Set<string>();
  const add = (callerId: string, calleeId: string): void => {
    const from = nameOf.get(callerId);
    const to = nameOf.get(calleeId);
    if (from === undefined || to === undefined || from === to) return;
    const key = `${from}\n${to}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to });
  };
  for (const [id, service] of Object.entries(test.services)) for (const dep of service.dependsOn) add(id, dep);
  // dependency_graph edges are [dependency, dependent]: the dependent calls the dependency.
  for (const [dependency, dependent] of test.orchestration?.dependency_graph?.edges ?? []) add(dependent, dependency);
  return { services: [...nameOf].map(([id, name]) => ({ id, name })), edges };
}
