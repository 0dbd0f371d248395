// `[release.criteria]` and `[expect.suite]` entries, each judged from what the run recorded for the
// suite's scenarios (verdicts, expectation results, trace hashes, the engine's cleanup records, step
// commands). A criterion nothing in the run measures is "not checked" with the reason — never a pass.
import type { CriterionValue } from '../../shared/spec';
import type { ScenarioInput, SuiteScenarioOutcome } from './suite-verdict';
import type { ScenarioExecution } from './types';

export type CriterionStatus = 'passed' | 'failed' | 'not-checked';

export interface CriterionCheck {
  readonly status: CriterionStatus;
  readonly detail: string;
}

export interface CriteriaContext {
  readonly scenarios: readonly SuiteScenarioOutcome[];
  readonly inputs: readonly ScenarioInput[];
}

type Check = (expected: CriterionValue, ctx: CriteriaContext) => CriterionCheck;

const notChecked = (detail: string): CriterionCheck => ({ status: 'not-checked', detail });
const outcome = (ok: boolean, detail: string): CriterionCheck => ({ status: ok ? 'passed' : 'failed', detail });
const executions = (ctx: CriteriaContext): ScenarioExecution[] => ctx.inputs.flatMap((i) => i.results.flatMap((r) => r.executions));
const results = (ctx: CriteriaContext) => executions(ctx).flatMap((e) => e.expectations);

/** A `true` criterion: `false` requires nothing, anything else is a mistake in the file. */
function whenTrue(check: (ctx: CriteriaContext) => CriterionCheck): Check {
  return (expected, ctx) => {
    if (expected === false) return notChecked('set to false: nothing is required');
    if (expected !== true) return notChecked(`expects true or false, not ${JSON.stringify(expected)}`);
    return check(ctx);
  };
}

function scenariosWhere(ctx: CriteriaContext, bad: (s: SuiteScenarioOutcome) => boolean, what: string): CriterionCheck {
  const offending = ctx.scenarios.filter(bad);
  const total = ctx.scenarios.length;
  return outcome(offending.length === 0, offending.length === 0 ? `${total}/${total} scenarios ${what}` : `${total - offending.length}/${total} scenarios ${what} (${offending.map((s) => `${s.name}: ${s.verdict}`).join(', ')})`);
}

/** Expectation results of the given kinds across the suite; "not checked" when no scenario has any. */
function allResults(ctx: CriteriaContext, pick: (kind: string, expectation: string) => boolean, none: string): CriterionCheck {
  const picked = results(ctx).filter((r) => pick(r.kind, r.expectation));
  if (picked.length === 0) return notChecked(none);
  const failed = picked.filter((r) => !r.passed);
  return outcome(failed.length === 0, `${picked.length - failed.length}/${picked.length} passed${failed.length > 0 ? ` (${failed.slice(0, 3).map((r) => r.expectation).join(', ')})` : ''}`);
}

/** Errors (not failures): executions that could not run, and tests that never got to run one. */
function errorCount(ctx: CriteriaContext): number {
  return ctx.inputs.flatMap((i) => i.results).reduce((n, r) => n + (r.executions.length === 0 && r.verdict === 'error' ? 1 : r.executions.filter((e) => e.verdict === 'error').length), 0);
}

/** "5/5": the determinism scenario ran 5 executions and all 5 had the same normalized trace hash. */
function determinismHashMatch(expected: CriterionValue, ctx: CriteriaContext): CriterionCheck {
  const ratio = typeof expected === 'string' ? /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(expected) : null;
  if (!ratio) return notChecked(`expects a ratio like "5/5", not ${JSON.stringify(expected)}`);
  const want = Number(ratio[1]);
  const of = Number(ratio[2]);
  const chosen = ctx.inputs.map((input, i) => ({ input, scenario: ctx.scenarios[i]! })).filter((x) => x.input.declaresDeterminism);
  if (chosen.length !== 1) return notChecked(chosen.length === 0 ? 'no scenario file declares [expect.determinism]' : `${chosen.length} scenario files declare [expect.determinism]; the criterion names one`);
  const { input, scenario } = chosen[0]!;
  const runs = input.results.flatMap((r) => r.executions);
  const counts = new Map<string, number>();
  for (const e of runs) counts.set(e.traceHash, (counts.get(e.traceHash) ?? 0) + 1);
  const same = Math.max(0, ...counts.values());
  const detail = `${scenario.name}: ${same}/${runs.length} executions had the same normalized trace hash`;
  return outcome(runs.length === of && same === want, detail);
}

function cleanupVerified(ctx: CriteriaContext): CriterionCheck {
  const runs = executions(ctx);
  const recorded = runs.filter((e) => e.cleanup);
  if (recorded.length === 0) return notChecked('no execution has an engine cleanup record');
  const leaking = recorded.filter((e) => !e.cleanup!.removed || e.cleanup!.leftovers.containers.length + e.cleanup!.leftovers.networks.length + e.cleanup!.leftovers.volumes.length > 0);
  if (leaking.length > 0) return outcome(false, `${leaking.length} execution(s) left resources behind (${leaking.slice(0, 3).map((e) => `${e.scenario}: ${[...e.cleanup!.leftovers.containers, ...e.cleanup!.leftovers.networks].slice(0, 2).join(', ') || e.cleanup!.keptBy}`).join('; ')})`);
  if (recorded.length < runs.length) return notChecked(`${runs.length - recorded.length} of ${runs.length} executions ended before their cleanup was listed; the other ${recorded.length} left nothing`);
  return outcome(true, `the engine holds nothing of the ${runs.length} executions after cleanup`);
}

function selfTestPasses(ctx: CriteriaContext): CriterionCheck {
  const steps = executions(ctx).flatMap((e) => e.steps).filter((s) => /\bclnrm\s+self-test\b/.test(s.command.join(' ')));
  if (steps.length === 0) return notChecked('no step of the suite runs `clnrm self-test`');
  const failed = steps.filter((s) => s.verdict !== 'passed');
  return outcome(failed.length === 0, `${steps.length - failed.length}/${steps.length} \`clnrm self-test\` steps passed`);
}

const CHECKS: Record<string, Check> = {
  all_scenarios_pass: whenTrue((ctx) => scenariosWhere(ctx, (s) => s.verdict !== 'passed', 'passed')),
  zero_failures: whenTrue((ctx) => scenariosWhere(ctx, (s) => s.verdict === 'failed', 'without failures')),
  zero_errors: whenTrue((ctx) => scenariosWhere(ctx, (s) => s.verdict === 'error', 'without errors')),
  errors_total: (expected, ctx) => {
    if (typeof expected !== 'number') return notChecked(`expects a number, not ${JSON.stringify(expected)}`);
    const n = errorCount(ctx);
    return outcome(n <= expected, `${n} error(s) (executions that could not run), at most ${expected} allowed`);
  },
  zero_hermetic_violations: whenTrue((ctx) => allResults(ctx, (kind) => kind === 'hermeticity' || kind === 'engine', 'no scenario file checks hermeticity or isolation')),
  span_validations_pass: whenTrue((ctx) => allResults(ctx, (kind) => kind !== 'engine' && kind !== 'scenario' && kind !== 'performance', 'no scenario file has span expectations')),
  graph_acyclic: whenTrue((ctx) => allResults(ctx, (_, expectation) => expectation === 'expect.graph.acyclic', 'no scenario file sets [expect.graph] acyclic')),
  determinism_hash_match: determinismHashMatch,
  container_cleanup_verified: whenTrue(cleanupVerified),
  self_test_passes: whenTrue(selfTestPasses),
  homebrew_install_succeeds: () => notChecked('no Homebrew install step here: the image cleanroom/clnrm:latest already holds clnrm'),
  otel_validation_passes: () => notChecked('clnrm gives it no definition a run can measure; span_validations_pass covers the span checks'),
};


export function criterionCheck(name: string, expected: CriterionValue, ctx: CriteriaContext): CriterionCheck {
  const check = CHECKS[name];
  return check ? check(expected, ctx) : notChecked('nothing in the run measures this criterion');
}
