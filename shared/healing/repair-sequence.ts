// The concurrency repair: a scenario whose steps run at once (`concurrent = true`) and fail together,
// or flip in their history, is proposed to run its steps in sequence (`concurrent = false`); the
// verification reruns then show whether they pass one after another. Pure.
import { setKey } from '../spec/writer';
import { edited, refSuffix, scenarioNamed, tables, type Repair, type RepairInput, type TomlTable } from './repair-kit';

/** Classes a race between concurrent steps shows up as: flips, timing, a peer not there yet, a wrong result. */
const RACE_CLASSES: ReadonlySet<string> = new Set(['flaky_test', 'timing_sensitivity', 'transient_network_error', 'assertion_failure']);

export function runInSequence(input: RepairInput, parsed: TomlTable): Repair | undefined {
  const c = input.classification;
  const scenario = scenarioNamed(parsed, input.scenario);
  if (!scenario || scenario.value.concurrent !== true || !RACE_CLASSES.has(c.class)) return undefined;
  const own = new Set(tables(scenario.value, 'steps').map((s) => s.value.name).filter((n): n is string => typeof n === 'string'));
  const failedTogether = (input.failedSteps ?? []).filter((s) => own.has(s));
  // One step failing alone in a steady failure is the step's own fault; together, or flipping, a race is likelier.
  if (c.class !== 'flaky_test' && failedTogether.length < 2) return undefined;
  const edit = setKey(input.source, scenario.path, 'concurrent', false, input.file);
  if (!edit.ok) return undefined;
  const evidence = [
    `scenario \`${input.scenario}\` runs its ${own.size} steps at once (concurrent = true)`,
    ...(failedTogether.length >= 2 ? [`${failedTogether.length} of them failed in the same execution: ${failedTogether.map((s) => `\`${s}\``).join(', ')}`] : []),
    ...c.evidence.filter((e) => e.kind === 'history' || e.kind === 'retry').map((e) => `${e.detail}${refSuffix(e.ref)}`),
  ];
  return edited('run-steps-in-sequence', input, edit.text, `run scenario \`${input.scenario}\`'s steps one after another ([${scenario.path}] concurrent = false)`, evidence);
}
