// Which spans an execution's expectations judge, and the judging itself (see shared/expect/SEMANTICS.md,
// "Which spans a test judges"):
// - the system's spans of the execution (those it sent over OTLP and those a step printed as NDJSON);
// - the runner's own spans of the execution with `clnrm.run` and `clnrm.test` as they are now, when an
//   expectation names a runner span (`clnrm.*`), as clnrm's self-testing files do;
// - but not the runner's own when the collected spans come from an inner clnrm (a scenario running
//   `clnrm self-test` and collecting its spans): then those are the `clnrm.*` spans the file means, and
//   the outer runner's are kept apart as evidence (the trace is still in the store).
import { buildTraceIndex, evaluateWithIndex, normalizedTraceHashOfIndex, normalizedTraceHash, type ExpectationResult } from '../../shared/expect';
import type { Span } from '../../shared/model';
import type { ScenarioSpec, TestFile } from '../../shared/spec';

/** Span names the runner itself emits (self-trace.ts, execution-trace.ts). */
export const RUNNER_SPAN_NAME = /"clnrm\.(run|test|step:[^"]*|service\.start|container\.[a-z]+|cleanup|recovery|plugin\.registry)"/;

/** Whether any expectation of the test names one of the runner's own spans. */
export function expectsRunnerSpans(test: TestFile): boolean {
  return RUNNER_SPAN_NAME.test(JSON.stringify([test.expect ?? {}, test.orchestration?.temporal ?? {}]));
}

/** The system's spans include an inner clnrm's own run (collected from a step's output). */
export function hasInnerClnrm(system: readonly Span[]): boolean {
  return system.some((s) => s.name === 'clnrm.run' && s.serviceName.startsWith('clnrm'));
}

export interface Judgement {
  readonly expectations: ExpectationResult[];
  /** Names of the evidence spans, so reports read well. */
  readonly spanNames: Record<string, string>;
  /** Normalized hash of the system's spans (determinism, digest). */
  readonly traceHash: string;
  /** Whether the runner's own spans were judged. */
  readonly withRunnerSpans: boolean;
}

/** `scenario` adds its own services (known hosts) and `[[scenario.expect.cross_service]]`. */
export function judge(test: TestFile, system: readonly Span[], runner: () => Span[], includeRunnerSpans: boolean, scenario?: ScenarioSpec): Judgement {
  const withRunnerSpans = (includeRunnerSpans || expectsRunnerSpans(test)) && !hasInnerClnrm(system);
  const judged = withRunnerSpans ? [...system, ...runner()] : [...system];
  const index = buildTraceIndex(judged);
  const knownHosts = [...Object.keys(test.services), ...(scenario?.services ?? []).map((s) => s.id)]
    .flatMap((id) => [id, id.replace(/[_.]/g, '-')])
    .concat('host.docker.internal');
  const expectations = evaluateWithIndex(index, {
    expect: test.expect,
    temporal: test.orchestration?.temporal,
    distributed: test.orchestration?.distributed_tracing,
    knownHosts,
    scenarioCrossService: scenario && scenario.crossService.length > 0 ? { path: `scenario[${test.scenarios.filter((s) => !s.implicit).indexOf(scenario)}].expect.cross_service`, rules: scenario.crossService } : undefined,
  });
  const names = new Map<string, string>();
  for (const s of judged) names.set(s.spanId, s.name);
  const spanNames: Record<string, string> = {};
  for (const r of expectations) for (const id of r.spans) if (names.has(id)) spanNames[id] = names.get(id)!;
  // Without the runner's spans the judged spans are the hashed ones: one index serves both.
  const normalize = { excludeAttributes: test.determinism?.exclude_fields };
  const traceHash = withRunnerSpans ? normalizedTraceHash([...system], normalize) : normalizedTraceHashOfIndex(index, normalize);
  return { expectations, spanNames, traceHash, withRunnerSpans };
}
