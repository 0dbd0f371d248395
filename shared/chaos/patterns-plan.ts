// `[chaos.patterns]` as plans: one per `[[chaos.patterns.validation.test]]`, each a one-fault experiment
// (the fault from the moment the scenario's steps begin until they end, like a `chaos_injection` without
// `duration_ms`), run in an execution of its own so a breaker opened by one test never carries into the next.
//
// The seed's fault names map onto the catalog (SEED_PATTERN_FAULTS); any catalog id is taken as it is, with
// `fault_config` as its parameters. The seed names no target: ours is `target = "service:NAME"` on the test,
// or on its validation for all its tests; without one, `validate` says so (no default is guessed).
import type { Problem } from '../errors';
import type { ExperimentTable, InjectionTable } from '../spec/schema/chaos-experiment';
import type { ChaosPatternsTable, PatternTestTable, ResiliencePattern } from '../spec/schema/chaos-patterns';
import { closest } from '../spec/suggest';
import type { FaultCatalog } from './catalog';
import { planExperiment, type ExperimentPlan } from './experiment-plan';
import { UNTIL_STEPS_END_S } from './scenario-injection';

/** The seed's fault names: the catalog fault each means, fixed parameters, and `fault_config` keys renamed. */
export const SEED_PATTERN_FAULTS: Readonly<Record<string, { fault: string; params?: Record<string, number>; rename?: Record<string, string> }>> = {
  /** Calls hang: the proxy holds the service's answers (Toxiproxy's timeout 0, a blackhole). */
  network_timeout: { fault: 'timeout', params: { timeout: 0 } },
  /** Connections refused: the proxy's listener is closed (Toxiproxy's down). */
  connection_refused: { fault: 'down' },
  /** Answers late: `fault_config = { delay_ms }` is the latency toxic's `latency`. */
  network_latency: { fault: 'latency', rename: { delay_ms: 'latency', jitter_ms: 'jitter' } },
};

/** Which checks make sense for which pattern: the others are refused at their key. */
const PATTERN_ONLY: Readonly<Record<string, ResiliencePattern>> = {
  validate_requests_blocked: 'circuit_breaker',
  validate_backoff_timing: 'retry_backoff',
};
const CHECKS = ['expect_span', 'expect_spans', 'expect_attrs', 'validate_requests_blocked', 'validate_backoff_timing', 'expect_timeout'] as const;

export interface PlannedPatternTest {
  readonly pattern: ResiliencePattern;
  /** `chaos.patterns.validation[i].test[j]`: where its results and problems point. */
  readonly path: string;
  readonly table: PatternTestTable;
  /** The faulted service. */
  readonly service: string;
  /** The catalog fault injected (after the seed's name was mapped). */
  readonly fault: string;
  readonly plan: ExperimentPlan;
}

export interface PatternsInput {
  readonly patterns: ChaosPatternsTable;
  readonly services: readonly string[];
  readonly portsOf: (service: string) => readonly number[];
  readonly catalog: FaultCatalog;
  /** The file also has `[chaos.experiment]`: refused (each pattern test replaces the file's chaos in its execution). */
  readonly hasExperiment?: boolean;
}

/** Every test planned, or every problem at its key (nothing is planned from half-valid patterns). */
export function planPatterns(input: PatternsInput): { tests: PlannedPatternTest[]; problems: Problem[] } {
  const problems: Problem[] = [];
  if (input.hasExperiment) problems.push({ code: 'chaos.pattern', message: 'a file takes [chaos.experiment] or [chaos.patterns], not both: each pattern test runs the scenarios under its own fault', path: 'chaos.patterns' });
  const tests = (input.patterns.validation ?? []).flatMap((v, i) =>
    v.test.flatMap((table, j) => {
      const targetPath = table.target !== undefined ? `chaos.patterns.validation[${i}].test[${j}].target` : `chaos.patterns.validation[${i}].target`;
      const planned = planTest(input, v.pattern.toLowerCase() as ResiliencePattern, table.target ?? v.target, targetPath, table, `chaos.patterns.validation[${i}].test[${j}]`, problems);
      return planned ? [planned] : [];
    }),
  );
  return problems.length > 0 ? { tests: [], problems } : { tests, problems };
}

function planTest(input: PatternsInput, pattern: ResiliencePattern, target: string | undefined, targetPath: string, table: PatternTestTable, path: string, problems: Problem[]): PlannedPatternTest | undefined {
  const before = problems.length;
  const problem = (key: string, message: string): void => void problems.push({ code: 'chaos.pattern', message, path: key === '' ? path : `${path}.${key}` });
  if (!CHECKS.some((k) => table[k] !== undefined)) problem('', 'this test checks nothing: add expect_span(s), expect_attrs, expect_timeout, validate_requests_blocked or validate_backoff_timing');
  for (const [key, only] of Object.entries(PATTERN_ONLY)) {
    if (table[key as keyof PatternTestTable] !== undefined && only !== pattern) problem(key, `${key} checks the ${only} pattern's spans; this validation's pattern is ${pattern}`);
  }
  const timing = table.validate_backoff_timing;
  if (timing?.max_ms !== undefined && timing.max_ms < timing.base_ms) problem('validate_backoff_timing.max_ms', `max_ms (${timing.max_ms}) must be at least base_ms (${timing.base_ms})`);
  if (target === undefined) {
    problems.push({ code: 'chaos.pattern', message: `which service gets ${table.inject_fault}? add target = "service:NAME" to this test or to its [[chaos.patterns.validation]] (the seed's form names none)`, path });
    return undefined;
  }
  const service = target.replace(/^service:/, '');
  if (!input.services.includes(service)) {
    const hint = closest(service, input.services);
    problems.push({ code: 'chaos.pattern', message: `target "${target}" is not a service of this file${hint ? ` — did you mean "${hint}"?` : ''} (its services: ${input.services.join(', ') || 'none'})`, path: targetPath });
    return undefined;
  }
  const seed = SEED_PATTERN_FAULTS[table.inject_fault];
  const fault = seed?.fault ?? table.inject_fault;
  if (!input.catalog.get(fault)) {
    const hint = closest(fault, [...Object.keys(SEED_PATTERN_FAULTS), ...input.catalog.list().map((f) => f.id)]);
    const seedNames = Object.keys(SEED_PATTERN_FAULTS).join(', ');
    problems.push({ code: 'chaos.unknown-fault', message: `unknown fault "${fault}"${hint ? ` — did you mean "${hint}"?` : ''} (the seed's ${seedNames}, or any fault of \`clnrm chaos faults\`)`, path: `${path}.inject_fault` });
    return undefined;
  }
  const config = Object.fromEntries(Object.entries(table.fault_config ?? {}).map(([k, v]) => [seed?.rename?.[k] ?? k, v]));
  const injection = { ...seed?.params, ...config, fault, target: `service:${service}`, timing: 'at_0ms', duration_s: UNTIL_STEPS_END_S } as InjectionTable;
  const experiment: ExperimentTable = { name: `${pattern}: ${table.inject_fault} on ${service}`, injection: [injection], recovery: { duration_s: 0 } };
  const planned = planExperiment({ experiment, services: input.services, portsOf: input.portsOf, catalog: input.catalog });
  problems.push(...planned.problems.map((p) => ({ ...p, path: movedPath(p, path, targetPath, table.inject_fault, seed?.rename) })));
  if (!planned.plan || problems.length > before) return undefined;
  return { pattern, path, table, service, fault, plan: { ...planned.plan, injections: planned.plan.injections.map((i) => ({ ...i, path })) } };
}

/** An experiment problem's key moved to the pattern test's own (`…injection[0].latency` → `…fault_config.delay_ms`). */
function movedPath(p: Problem, path: string, targetPath: string, seedName: string, rename: Record<string, string> | undefined): string {
  const at = (p.path ?? '').replace(/^chaos\.experiment(\.injection\[0\])?/, '');
  if (p.code === 'chaos.unknown-fault' || at === '.fault') return `${path}.inject_fault`;
  if (at === '.target') return targetPath;
  if (at === '') return path;
  const key = at.slice(1);
  const original = Object.entries(rename ?? {}).find(([, ours]) => ours === key)?.[0] ?? key;
  return SEED_PATTERN_FAULTS[seedName]?.params?.[key] !== undefined ? `${path}.inject_fault` : `${path}.fault_config.${original}`;
}

/** The services whose fault proxy the patterns' proxy faults need (the runner puts it in front of them). */
export function patternProxiedServices(tests: readonly PlannedPatternTest[]): string[] {
  return [...new Set(tests.flatMap((t) => t.plan.injections.filter((i) => i.family === 'proxy').map((i) => i.service)))];
}
