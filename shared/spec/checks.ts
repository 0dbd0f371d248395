// Checks that need the whole (schema-valid) document: a test name, something to run, images for
// container services, commands that split, and references between sections (`depends_on`, a
// scenario's or step's `service`, dependency-graph nodes) — with the known names and a did-you-mean.
import { planExperiment } from '../chaos/experiment-plan';
import { planPatterns } from '../chaos/patterns-plan';
import { checkExpectChaos } from '../chaos/expect-chaos';
import { planScenarioInjection } from '../chaos/scenario-injection';
import { planScenarioPhases } from '../chaos/scenario-phases';
import { applyUserCatalog } from '../chaos/user-catalog';
import type { Problem } from '../errors';
import { planStartOrder } from '../orchestration';
import type { Locator } from './locate';
import { formatPath, parsePath, type PathSegment } from './path';
import type { RawTestFile } from './schema/root';
import { CONTAINER_PLUGINS } from './schema/services';
import { splitCommand } from './shell-words';
import { didYouMean } from './suggest';

/** `invalid` names top-level sections that exist but failed their schema (they count as present). */
/** A scenario's `services` as (id, position) pairs, from either the table or the list form. */
function scenarioServiceIds(raw: NonNullable<RawTestFile['scenario']>[number]['services']): { id?: string; at: PathSegment[]; image?: string; plugin: string }[] {
  if (!raw) return [];
  const entries: [string | undefined, PathSegment, { image?: string; plugin?: string; type?: string }][] = Array.isArray(raw) ? raw.map((s, k) => [s.name, k, s]) : Object.entries(raw).map(([id, s]) => [id, id, s]);
  return entries.map(([id, key, s]) => ({ id, at: ['services', key], image: s.image, plugin: s.plugin ?? s.type ?? 'generic_container' }));
}

export function checkDocument(doc: RawTestFile, locator: Locator, file?: string, invalid: ReadonlySet<string> = new Set(), declaredIds: readonly string[] = []): Problem[] {
  const problems: Problem[] = [];
  const at = (code: Problem['code'], segments: PathSegment[], message: string, value = false): void => {
    const loc = value ? locator.value(segments) : locator.key(segments);
    problems.push({ code, message, file, line: loc.line, column: loc.column, path: formatPath(segments) });
  };

  if (!doc.meta && !doc.test?.metadata && !doc.test?.name && !invalid.has('meta') && !invalid.has('test')) {
    at('toml.shape', [], 'the file needs a test name: add `[meta]` with name = "my_test" (and version = "1.0")');
  }
  const scenarios = doc.scenario ?? [];
  if ((doc.steps?.length ?? 0) === 0 && scenarios.length === 0 && !invalid.has('steps') && !invalid.has('scenario')) {
    at('toml.shape', [], 'the file runs nothing: add a `[[scenario]]` with name and run, or `[[steps]]` with name and command');
  }

  // Services from both spellings; an id in both is ambiguous.
  const services = new Map<string, { table: 'service' | 'services'; plugin: string; image?: string; dependsOn: string[]; ports: number[] }>();
  for (const table of ['service', 'services'] as const) {
    for (const [id, svc] of Object.entries(doc[table] ?? {})) {
      if (services.has(id)) {
        at('toml.duplicate', [table, id], `service \`${id}\` is declared in both [service.${id}] and [services.${id}]; keep one`);
        continue;
      }
      const plugin = svc.plugin ?? svc.type ?? 'generic_container';
      services.set(id, { table, plugin, image: svc.image, dependsOn: svc.depends_on ?? [], ports: svc.ports ?? [] });
      if (svc.image === undefined && (CONTAINER_PLUGINS as readonly string[]).includes(plugin)) {
        at('toml.shape', [table, id], `service \`${id}\` runs a container (plugin "${plugin}") and needs an image: add image = "alpine:3.20"`);
      }
    }
  }
  // A service whose table failed its schema is still declared: references to it are fine.
  const known = [...new Set([...services.keys(), ...declaredIds])];
  const knownText = known.length > 0 ? `known services: ${known.join(', ')}` : 'no services are declared';
  const checkRef = (name: string | undefined, segments: PathSegment[], what: string): boolean => {
    if (name === undefined || known.includes(name)) return true;
    at('spec.reference', segments, `${what} names service \`${name}\`, which is not declared${didYouMean(name, known)} (${knownText})`, true);
    return false;
  };

  let refsOk = true;
  for (const [id, svc] of services) {
    svc.dependsOn.forEach((dep, i) => {
      refsOk = checkRef(dep, [svc.table, id, 'depends_on', i], `\`${svc.table}.${id}.depends_on\``) && refsOk;
    });
  }

  const checkSteps = (steps: NonNullable<RawTestFile['steps']>, base: PathSegment[]): void => {
    steps.forEach((step, i) => {
      checkRef(step.service, [...base, i, 'service'], `step \`${step.name}\``);
      if (typeof step.command === 'string') {
        const split = splitCommand(step.command);
        if (!split.ok) at('toml.shape', [...base, i, 'command'], `\`${formatPath([...base, i, 'command'])}\` ${split.message}; fix the quoting or write an array like ["sh", "-c", "..."]`, true);
      }
    });
  };
  checkSteps(doc.steps ?? [], ['steps']);
  scenarios.forEach((scenario, i) => {
    // A scenario's own services are known inside it (and must not reuse a file-level id).
    const own = scenarioServiceIds(scenario.services);
    own.forEach(({ id, at: key, image, plugin }) => {
      const segs: PathSegment[] = ['scenario', i, ...key];
      if (id === undefined) return at('toml.shape', segs, `each [[scenario.services]] entry of scenario \`${scenario.name}\` needs name = "<service id>"`);
      if (services.has(id)) at('toml.duplicate', segs, `scenario \`${scenario.name}\` declares service \`${id}\`, which [${services.get(id)!.table}.${id}] already declares; use another id`);
      if (image === undefined && (CONTAINER_PLUGINS as readonly string[]).includes(plugin)) at('toml.shape', segs, `service \`${id}\` of scenario \`${scenario.name}\` runs a container (plugin "${plugin}") and needs an image: add image = "alpine:3.20"`);
    });
    const inScenario = (name: string | undefined) => name !== undefined && own.some((o) => o.id === name);
    const ref = (name: string | undefined, segments: PathSegment[], what: string) => inScenario(name) || checkRef(name, segments, what);
    ref(scenario.service, ['scenario', i, 'service'], `scenario \`${scenario.name}\``);
    if (Array.isArray(scenario.run)) {
      scenario.run.forEach((entry, k) => {
        if (typeof entry !== 'string') ref(entry.service, ['scenario', i, 'run', k, 'service'], `scenario \`${scenario.name}\` run[${k}]`);
      });
    }
    scenario.parallel_services?.forEach((name, k) => ref(name, ['scenario', i, 'parallel_services', k], `scenario \`${scenario.name}\` parallel_services`));
    checkSteps(scenario.steps ?? [], ['scenario', i, 'steps']);
  });

  const graph = doc.orchestration?.dependency_graph;
  const edges = (graph?.edges ?? []).map(([dependency, dependent]) => ({ dependency, dependent }));
  if (known.length > 0) {
    (graph?.nodes ?? []).forEach((node, i) => {
      refsOk = checkRef(node, ['orchestration', 'dependency_graph', 'nodes', i], 'orchestration.dependency_graph.nodes') && refsOk;
    });
    edges.forEach((e, i) => {
      refsOk = checkRef(e.dependency, ['orchestration', 'dependency_graph', 'edges', i, 0], 'orchestration.dependency_graph.edges') && refsOk;
      refsOk = checkRef(e.dependent, ['orchestration', 'dependency_graph', 'edges', i, 1], 'orchestration.dependency_graph.edges') && refsOk;
    });
  }
  if (refsOk && services.size > 0 && !invalid.has('service') && !invalid.has('services')) {
    const plan = planStartOrder(
      [...services].map(([id, s]) => ({ id, dependsOn: s.dependsOn })),
      edges,
    );
    if (!plan.ok && plan.problem.code === 'spec.cycle') {
      const first = known.find((id) => plan.problem.message.includes(id)) ?? known[0]!;
      const svc = services.get(first)!;
      at('spec.cycle', [svc.table, first, 'depends_on'], plan.problem.message);
    }
  }
  const { catalog, issues } = applyUserCatalog(doc.chaos?.catalog);
  for (const issue of issues) at('chaos.catalog', issue.at, issue.message);
  const experiment = doc.chaos?.experiment;
  if (experiment !== undefined && typeof experiment !== 'string' && !invalid.has('chaos') && !invalid.has('expect')) {
    const planned = planExperiment({ experiment, resilience: doc.expect?.resilience, services: known, portsOf: (id) => services.get(id)?.ports ?? [], catalog });
    for (const p of planned.problems) at(p.code, parsePath(p.path ?? 'chaos.experiment'), p.message);
  } else if (doc.expect?.resilience !== undefined && !invalid.has('expect')) {
    at('chaos.experiment', ['expect', 'resilience'], '[expect.resilience] judges a chaos experiment: add [chaos.experiment] with fault and target (e.g. fault = "container_pause", target = "service:db")');
  }
  if (doc.chaos?.patterns && !invalid.has('chaos')) {
    const input = { patterns: doc.chaos.patterns, services: known, portsOf: (id: string) => services.get(id)?.ports ?? [], catalog, hasExperiment: experiment !== undefined };
    for (const p of planPatterns(input).problems) at(p.code, parsePath(p.path ?? 'chaos.patterns'), p.message);
  }
  if (doc.expect?.chaos && !invalid.has('expect')) {
    for (const p of checkExpectChaos(doc.expect.chaos).errors) at(p.code, parsePath(p.path ?? 'expect.chaos'), p.message);
  }
  if (!invalid.has('scenario')) {
    (doc.scenario ?? []).forEach((s, index) => {
      const portsOf = (id: string): number[] => services.get(id)?.ports ?? [];
      if (s.phase && s.chaos_injection) at('chaos.experiment', ['scenario', index, 'chaos_injection'], 'a scenario takes [[scenario.phase]] or chaos_injection, not both: put the fault in the chaos phase');
      else if (s.phase) for (const p of planScenarioPhases({ scenario: s.name, index, phases: s.phase, services: known, portsOf, catalog }).problems) at(p.code, parsePath(p.path ?? `scenario[${index}].phase`), p.message);
      if (!s.chaos_injection || s.phase) return;
      const input = { scenario: s.name, index, table: s.chaos_injection, scenarioService: s.service, services: known, portsOf, catalog };
      for (const p of planScenarioInjection(input).problems) at(p.code, parsePath(p.path ?? `scenario[${index}].chaos_injection`), p.message);
    });
  }
  return problems;
}
