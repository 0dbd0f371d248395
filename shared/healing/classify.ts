// The built-in classifier: a failed execution's records → one failure class, a confidence and the
// evidence that decided it. Rules run from the most specific cause to the least (the engine gone, a
// broken definition, a wrong image or command, memory, a container that died starting, a wait that
// ran out, the network, a determinism diff, flakiness from history, the assertion itself); the first
// rule with evidence wins. User patterns (`[self_healing.patterns]`) are checked before these.
import type { Span } from '../model';
import type { ContainerStatsRow, ExecutionEvidence, VerdictValue } from '../run/records';
import type { Classification, EvidenceItem, FailureClass } from './classes';
import { describeFlakiness, expectationFlakiness, flakiness, isFlaky } from './history';
import { matchPatterns, type ClassifierPattern } from './patterns';
import { COMMAND_SIGNATURE, ENGINE_SIGNATURE, MEMORY_SIGNATURE, NETWORK_SIGNATURE, clip, failureTexts, matching, spanErrors, type FailureText } from './signals';

export interface DeterminismFinding {
  readonly passed: boolean;
  /** `spanA`/`spanB`: the differing span in iteration 1 / the differing iteration, when it exists there. */
  readonly differences: readonly { readonly path: string; readonly message: string; readonly spanA?: string; readonly spanB?: string }[];
  readonly differingIteration?: number;
}

export interface ClassifyInput {
  readonly verdict: VerdictValue;
  readonly evidence: Pick<ExecutionEvidence, 'steps' | 'containers' | 'expectations' | 'problems'>;
  /** The system's spans of the execution (span errors, user patterns). */
  readonly spans?: readonly Span[];
  /** The test's `[determinism]` comparison, when it ran one. */
  readonly determinism?: DeterminismFinding;
  /** Verdicts of earlier executions of the same test and scenario, oldest first. */
  readonly history?: readonly VerdictValue[];
  /** The expectation results of those executions, oldest first (flakiness per expectation). */
  readonly expectationHistory?: readonly (readonly { readonly expectation: string; readonly passed: boolean }[])[];
  /** A retry of this very execution passed with nothing changed. */
  readonly notReproduced?: boolean;
  readonly stats?: readonly ContainerStatsRow[];
  readonly patterns?: readonly ClassifierPattern[];
}

interface Facts {
  readonly input: ClassifyInput;
  readonly texts: readonly FailureText[];
  readonly codes: ReadonlySet<string>;
}

type Rule = (facts: Facts) => Classification | undefined;

const decided = (cls: FailureClass, confidence: number, evidence: EvidenceItem[]): Classification | undefined => (evidence.length > 0 ? { class: cls, confidence, evidence } : undefined);

const problemsWith = (f: Facts, test: (code: string, message: string) => boolean): EvidenceItem[] =>
  f.input.evidence.problems.filter((p) => test(p.code, p.message)).map((p) => ({ kind: 'problem', detail: clip(p.message), ref: p.code }));

const engineGone: Rule = (f) =>
  decided('infrastructure_failure', 0.95, [...problemsWith(f, (code, message) => code === 'docker.unavailable' || ENGINE_SIGNATURE.test(message))]);

const DEFINITION_CODES = /^(toml\.|template\.|spec\.)/;
const brokenDefinition: Rule = (f) => decided('invalid_test_definition', 0.95, problemsWith(f, (code) => DEFINITION_CODES.test(code)));

const configuration: Rule = (f) => {
  const evidence = problemsWith(f, (code, message) => code === 'docker.image-missing' || code === 'docker.bad-command' || code === 'runner.limit' || (code === 'docker.failed' && COMMAND_SIGNATURE.test(message)));
  for (const s of f.input.evidence.steps) {
    // 126: found but not executable; 127: not found — the file names a command the image lacks.
    if (s.verdict !== 'passed' && (s.exitCode === 126 || s.exitCode === 127) && s.expectedExitCode !== s.exitCode) {
      evidence.push({ kind: 'step', detail: `exit code ${s.exitCode} (${s.exitCode === 127 ? 'command not found' : 'not executable'})${s.stderrTail ? `: ${clip(s.stderrTail.trim())}` : ''}`, ref: s.name });
    }
  }
  return decided('configuration_error', 0.9, evidence);
};

const memory: Rule = (f) => {
  // The flag is the engine's record of an OOM kill in the container: of its main process (exit 137) or of
  // a process a step ran in it (the step's exit 137), after which the container may still have exited 0.
  const killed: EvidenceItem[] = f.input.evidence.containers
    .filter((c) => c.oomKilled)
    .map((c) => ({ kind: 'container', detail: c.exitCode === 137 ? 'OOM killed (exit 137)' : 'the engine recorded an OOM kill in this container', ref: c.service }));
  const said = matching(f.texts, MEMORY_SIGNATURE);
  const exit137 = f.input.evidence.steps.filter((s) => s.verdict !== 'passed' && s.exitCode === 137).map((s): EvidenceItem => ({ kind: 'step', detail: 'exit code 137 (killed)', ref: s.name }));
  if (killed.length > 0) return decided('resource_exhaustion', 0.97, [...killed, ...exit137, ...said]);
  if (said.length > 0) return decided('resource_exhaustion', exit137.length > 0 ? 0.85 : 0.75, [...said, ...exit137]);
  return undefined;
};

const STOPPED_STARTING = /stopped before it was ready|could not start its container|is not running|is restarting/i;
const startup: Rule = (f) => {
  const evidence = problemsWith(f, (code, message) => code === 'docker.failed' && STOPPED_STARTING.test(message));
  for (const s of f.input.evidence.steps) if (s.verdict === 'error' && STOPPED_STARTING.test(s.message ?? '')) evidence.push({ kind: 'step', detail: clip(s.message ?? ''), ref: s.name });
  if (evidence.length === 0) return undefined;
  const exited = f.input.evidence.containers.filter((c) => !c.running && c.exitCode !== null && c.exitCode !== 0);
  const logs = exited.flatMap((c) => c.logTail.slice(-2).map((line): EvidenceItem => ({ kind: 'log', detail: clip(line), ref: c.service })));
  return decided('container_startup_failure', 0.9, [...evidence, ...exited.map((c): EvidenceItem => ({ kind: 'container', detail: `exited with code ${c.exitCode}`, ref: c.service })), ...logs]);
};

const timing: Rule = (f) => {
  const evidence = problemsWith(f, (code) => code === 'docker.wait-timeout' || code === 'runner.timeout');
  for (const s of f.input.evidence.steps) if (s.timedOut && s.verdict !== 'passed') evidence.push({ kind: 'step', detail: `timed out after ${Math.round(s.durationMs)} ms`, ref: s.name });
  return decided('timing_sensitivity', f.codes.has('docker.wait-timeout') ? 0.9 : 0.75, evidence);
};

const network: Rule = (f) => {
  const evidence = matching(f.texts, NETWORK_SIGNATURE);
  const sources = new Set(evidence.map((e) => e.kind)).size;
  return decided('transient_network_error', sources > 1 ? 0.9 : 0.85, evidence);
};

const determinism: Rule = (f) => {
  const d = f.input.determinism;
  if (!d || d.passed) return undefined;
  // The ref is the span in the differing iteration (the execution this class is written into), so the studio can mark it.
  const first = d.differences.slice(0, 3).map((x): EvidenceItem => {
    const ref = x.spanB ?? x.spanA;
    return { kind: 'determinism', detail: clip(`${x.path}: ${x.message}`), ...(ref !== undefined ? { ref } : {}) };
  });
  const head: EvidenceItem = { kind: 'determinism', detail: `iteration ${d.differingIteration ?? '?'} differs from iteration 1 (${d.differences.length} differences)` };
  return decided('determinism_violation', 0.9, [head, ...first]);
};

/** Failed expectations of this execution that flip in their own history (a test can flip through one of them). */
function flakyExpectations(f: Facts): EvidenceItem[] {
  const failed = new Set(f.input.evidence.expectations.filter((e) => !e.passed).map((e) => e.expectation));
  if (failed.size === 0 || !f.input.expectationHistory) return [];
  return expectationFlakiness([...f.input.expectationHistory, f.input.evidence.expectations])
    .filter((e) => failed.has(e.expectation) && isFlaky(e))
    .map((e): EvidenceItem => ({ kind: 'history', detail: `expectation: ${describeFlakiness(e)}`, ref: e.expectation }));
}

const flaky: Rule = (f) => {
  if (f.input.notReproduced) return { class: 'flaky_test', confidence: 0.85, evidence: [{ kind: 'retry', detail: 'a retry of the same execution passed with nothing changed: the failure did not reproduce' }] };
  if (!f.input.history) return undefined;
  const seen = flakiness(f.input.history, f.input.verdict);
  const expectations = flakyExpectations(f);
  if (!isFlaky(seen) && expectations.length === 0) return undefined;
  // The flip rate decides how sure: a test alternating every time (score 1) is surely flaky.
  const confidence = Math.round(Math.min(0.9, 0.6 + 0.3 * Math.max(seen.score, expectations.length > 0 ? 0.5 : 0)) * 100) / 100;
  return { class: 'flaky_test', confidence, evidence: [{ kind: 'history', detail: describeFlakiness(seen) }, ...expectations] };
};

const assertion: Rule = (f) => {
  const failedSteps = f.input.evidence.steps.filter((s) => s.verdict === 'failed').map((s): EvidenceItem => ({ kind: 'step', detail: clip(s.message ?? `exit code ${s.exitCode}`), ref: s.name }));
  const failedExpectations = f.input.evidence.expectations.filter((e) => !e.passed).map((e): EvidenceItem => ({ kind: 'expectation', detail: clip(e.message), ref: e.expectation }));
  const evidence = [...failedSteps, ...failedExpectations];
  if (evidence.length === 0) return undefined;
  const seen = f.input.history ? flakiness(f.input.history, f.input.verdict) : undefined;
  // Failing every time it ran recently: reproducible, so more surely the system's own failure.
  const steady = seen !== undefined && seen.runs >= 3 && seen.failures === seen.runs;
  return decided('assertion_failure', steady ? 0.9 : 0.8, steady ? [...evidence, { kind: 'history', detail: describeFlakiness(seen) }] : evidence);
};

/** An engine error no rule above explained. */
const engineError: Rule = (f) => decided('infrastructure_failure', 0.6, problemsWith(f, (code) => code === 'docker.failed' || code === 'internal'));

const RULES: readonly Rule[] = [engineGone, brokenDefinition, configuration, memory, startup, timing, network, determinism, flaky, assertion, engineError];

/** The class of one failed execution (or of a test's failed determinism comparison). */
export function classify(input: ClassifyInput): Classification {
  const errors = spanErrors(input.spans ?? []);
  const facts: Facts = { input, texts: failureTexts(input.evidence, errors), codes: new Set(input.evidence.problems.map((p) => p.code)) };
  const byPattern = input.patterns ? matchPatterns(input.patterns, input) : undefined;
  if (byPattern) return byPattern;
  for (const rule of RULES) {
    const found = rule(facts);
    if (found) return found;
  }
  const problems = input.evidence.problems.map((p): EvidenceItem => ({ kind: 'problem', detail: clip(p.message), ref: p.code }));
  return { class: problems.length > 0 ? 'infrastructure_failure' : 'assertion_failure', confidence: 0.3, evidence: problems.length > 0 ? problems : [{ kind: 'run', detail: `the execution ${input.verdict} with no more specific evidence` }] };
}

/** A test file that could not be loaded: its problems say why. */
export function classifyDefinition(problems: ClassifyInput['evidence']['problems']): Classification {
  return classify({ verdict: 'error', evidence: { steps: [], containers: [], expectations: [], problems } });
}

/** Share of a run's tests that must fail at once for a common cause to be likelier than many (Trunk's rule). */
export const RUN_FAILURE_SHARE = 0.8;
/** Below this many tests, one or two failures are not "most of the run". */
export const RUN_RULE_MIN_TESTS = 5;
const KEPT_UNDER_RUN_RULE: ReadonlySet<FailureClass> = new Set(['invalid_test_definition', 'configuration_error', 'infrastructure_failure']);

/**
 * When more than 80 % of a run's tests failed together, failures whose own evidence named no definite
 * cause in the file are put down to the infrastructure; the class they had stays in the evidence.
 */
export function applyRunRule(c: Classification, failedTests: number, totalTests: number): Classification {
  if (totalTests < RUN_RULE_MIN_TESTS || failedTests / totalTests <= RUN_FAILURE_SHARE || KEPT_UNDER_RUN_RULE.has(c.class)) return c;
  const share: EvidenceItem = { kind: 'run', detail: `${failedTests} of ${totalTests} tests of the run failed at once (over ${RUN_FAILURE_SHARE * 100} %); on its own this looked like ${c.class}` };
  return { class: 'infrastructure_failure', confidence: 0.7, evidence: [share, ...c.evidence] };
}
