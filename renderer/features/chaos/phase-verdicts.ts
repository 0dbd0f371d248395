// A Chaos run's verdicts per phase as the run panel lists them. While the run goes on: each phase's
// verdicts from the runner's `phase-verdict` events as they are decided (provisional: the execution's end
// judges again). Once it has finished: the final verdicts, each marked when it differs from the one shown
// while it ran; a phase decided while running that the end never judged (a stop, a failure) stays, unconfirmed.
import type { PhaseName } from '../../../shared/chaos/experiment-plan';
import type { EventPayload } from '../../../shared/ipc/contract';
import type { RunEvent, RunEventOf } from '../../../shared/run/events';

export interface PhaseVerdict {
  readonly phase: PhaseName | 'experiment';
  /** The expectation's path, e.g. `chaos.experiment.steady_state.assertion[0]`. */
  readonly name: string;
  readonly passed: boolean;
  readonly message: string;
  /** provisional: decided while the run goes on; final: the end's; unconfirmed: decided while running, not judged at the end. */
  readonly state: 'provisional' | 'final' | 'unconfirmed';
  /** Ms from the experiment's start when it was decided, for one decided while running. */
  readonly decidedAtMs?: number;
  /** A final verdict that differs from the one decided while running: that one's result and time. */
  readonly changed?: { readonly passed: boolean; readonly decidedAtMs: number };
}

/** Expectation verdicts are named `<scenario>[ #<iteration>] › <expectation path>` (main/studio/runner-adapter.ts). */
const SEPARATOR = ' › ';
const CHAOS_PATH = /^(chaos\.experiment|expect\.resilience|scenario\[\d+\]\.phase)/;

export function phaseVerdicts(events: readonly RunEvent[], finished: EventPayload<'runFinished'> | null, executionId: string | undefined): PhaseVerdict[] {
  const decided = events.filter((e): e is RunEventOf<'phase-verdict'> => e.type === 'phase-verdict' && e.executionId === executionId);
  const early: PhaseVerdict[] = decided.flatMap((e) => e.verdicts.map((v) => ({ phase: e.phase, name: v.path, passed: v.passed, message: v.message, state: 'provisional' as const, decidedAtMs: e.decidedAtMs })));
  if (!finished) return early;
  const where = scenarioOf(events, executionId);
  // Without its scenario's name (its start fell out of the kept events) the final ones cannot be matched: they stand alone.
  const byName = new Map(where === undefined ? [] : early.map((v) => [`${where}${SEPARATOR}${v.name}`, v]));
  const final = finished.verdicts.flatMap((v): PhaseVerdict[] => {
    const at = v.name.lastIndexOf(SEPARATOR);
    const path = at < 0 ? v.name : v.name.slice(at + SEPARATOR.length);
    if (v.kind !== 'expectation' || !CHAOS_PATH.test(path)) return [];
    const m = /^(steady_state|during_chaos|recovery): (.*)$/s.exec(v.message);
    const was = byName.get(v.name);
    byName.delete(v.name);
    const changed = was && was.passed !== v.passed ? { changed: { passed: was.passed, decidedAtMs: was.decidedAtMs! } } : {};
    return [{ phase: m ? (m[1] as PhaseName) : 'experiment', name: path, passed: v.passed, message: m ? m[2]! : v.message, state: 'final', ...changed }];
  });
  return [...final, ...[...byName.values()].map((v) => ({ ...v, state: 'unconfirmed' as const }))];
}

/** How the run's verdicts name the execution's scenario (its `execution-started` event says which). */
function scenarioOf(events: readonly RunEvent[], executionId: string | undefined): string | undefined {
  const started = events.find((e): e is RunEventOf<'execution-started'> => e.type === 'execution-started' && e.executionId === executionId);
  return started && (started.iteration > 1 ? `${started.scenario} #${started.iteration}` : started.scenario);
}
