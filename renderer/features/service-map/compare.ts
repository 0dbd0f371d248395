// Lays what a test run observed beside what its test file declares: every service and call of
// either, each marked as seen in both, declared only (a service that sent no spans, a declared
// dependency never called) or observed only (a service or call the file does not declare).
import type { ServiceEdge } from '../../../shared/ipc/contract';

export type Presence = 'both' | 'declared' | 'observed';

export interface DeclaredGraph {
  services: ReadonlyArray<{ name: string }>;
  edges: ReadonlyArray<{ from: string; to: string }>;
}

export interface MapService {
  name: string;
  presence: Presence;
}

/** An observed call (with its figures) or a declared one that was never made (calls 0). */
export interface MapEdge extends ServiceEdge {
  presence: Presence;
}

export interface MapGraph {
  services: MapService[];
  edges: MapEdge[];
  /** Set when compared with a test file. */
  differences?: { silentServices: string[]; undeclaredServices: string[]; missingCalls: MapEdge[]; undeclaredCalls: MapEdge[] };
}

/** The observed graph alone: everything is simply observed. */
export function observedOnly(services: readonly string[], edges: readonly ServiceEdge[]): MapGraph {
  return { services: services.map((name) => ({ name, presence: 'observed' })), edges: edges.map((e) => ({ ...e, presence: 'observed' })) };
}

export function compareWithDeclared(services: readonly string[], edges: readonly ServiceEdge[], declared: DeclaredGraph): MapGraph {
  const declaredNames = new Set(declared.services.map((s) => s.name));
  const observedNames = new Set(services);
  for (const e of edges) observedNames.add(e.from).add(e.to);
  const names = [...new Set([...observedNames, ...declaredNames])].sort();
  const mapServices: MapService[] = names.map((name) => ({
    name,
    presence: observedNames.has(name) && declaredNames.has(name) ? 'both' : declaredNames.has(name) ? 'declared' : 'observed',
  }));
  const key = (from: string, to: string) => `${from}\n${to}`;
  const declaredCalls = new Set(declared.edges.map((e) => key(e.from, e.to)));
  const observedCalls = new Set(edges.map((e) => key(e.from, e.to)));
  const mapEdges: MapEdge[] = edges.map((e) => ({ ...e, presence: declaredCalls.has(key(e.from, e.to)) ? 'both' : 'observed' }));
  for (const e of declared.edges) {
    if (!observedCalls.has(key(e.from, e.to))) mapEdges.push({ from: e.from, to: e.to, calls: 0, errors: 0, p50Ms: 0, p99Ms: 0, presence: 'declared' });
  }
  const byEnds = (a: MapEdge, b: MapEdge) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to);
  return {
    services: mapServices,
    edges: mapEdges,
    differences: {
      silentServices: mapServices.filter((s) => s.presence === 'declared').map((s) => s.name),
      undeclaredServices: mapServices.filter((s) => s.presence === 'observed').map((s) => s.name),
      missingCalls: mapEdges.filter((e) => e.presence === 'declared').sort(byEnds),
      undeclaredCalls: mapEdges.filter((e) => e.presence === 'observed').sort(byEnds),
    },
  };
}
