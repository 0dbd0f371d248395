// Quarantine of flaky tests: a quarantined test still runs and reports, but its failure does not fail
// the run; it leaves quarantine after N consecutive passes. `[self_healing] mode` decides who acts:
// `autonomous` quarantines a test whose failure is classified flaky_test, `supervised` (the default)
// only proposes it, `disabled` does nothing (a quarantine list entry is not applied either). The seed's
// `retry_before_quarantine` (on a flaky_test classifier) is how many failures the test's history window
// must hold before it is quarantined: the chances it gets first. Pure: the list lives in main/healing.
import type { SelfHealingSection } from '../spec/schema/v2';
import type { VerdictValue } from '../run/records';
import type { Classification } from './classes';

export type HealingMode = 'autonomous' | 'supervised' | 'disabled';

export interface QuarantineSettings {
  readonly mode: HealingMode;
  /** Consecutive passes that release a test. */
  readonly releaseAfterPasses: number;
  /** Failures in the history window (this one included) before a flaky test is quarantined. */
  readonly failuresBeforeQuarantine: number;
}

export const DEFAULT_RELEASE_AFTER_PASSES = 3;

export function healingMode(section: SelfHealingSection | undefined): HealingMode {
  if (section?.enabled === false) return 'disabled';
  const mode = section?.mode?.toLowerCase();
  return mode === 'autonomous' || mode === 'disabled' ? mode : 'supervised';
}

export function quarantineSettings(section: SelfHealingSection | undefined): QuarantineSettings {
  const flakyPattern = section?.patterns?.classifier?.find((c) => c.pattern === 'flaky_test' && c.retry_before_quarantine !== undefined);
  return {
    mode: healingMode(section),
    releaseAfterPasses: section?.quarantine_release_after ?? DEFAULT_RELEASE_AFTER_PASSES,
    failuresBeforeQuarantine: Math.max(1, flakyPattern?.retry_before_quarantine ?? 1),
  };
}

/** One test on the quarantine list (a file a team commits). */
export interface QuarantineEntry {
  /** The test file, relative to the knowledge folder's parent, `/`-separated. */
  readonly file: string;
  /** The test's `[meta] name`. */
  readonly test: string;
  /** ISO time it entered quarantine. */
  readonly since: string;
  /** Why: the classification that put it there, in words. */
  readonly reason: string;
  /** Passes in a row since it entered (or since its last failure). */
  readonly consecutivePasses: number;
}

export type QuarantineState = 'quarantined' | 'proposed' | 'released';

/** What quarantine did with one test in one run, for the report. */
export interface QuarantineNote {
  readonly state: QuarantineState;
  readonly reason: string;
  readonly consecutivePasses: number;
  readonly releaseAfterPasses: number;
}

export interface TestOutcome {
  readonly verdict: VerdictValue;
  /** A flaky_test classification of one of its executions, if any. */
  readonly flaky?: Classification;
  /** Failures in the test's history window, this run's included. */
  readonly failuresInWindow: number;
}

export interface QuarantineStep {
  /** The entry after this run (undefined: not on the list). */
  readonly entry?: QuarantineEntry;
  readonly note?: QuarantineNote;
}

const failed = (v: VerdictValue): boolean => v === 'failed' || v === 'error';

/** One run's effect on one test's place on the quarantine list. */
export function quarantineStep(where: { file: string; test: string }, entry: QuarantineEntry | undefined, outcome: TestOutcome, settings: QuarantineSettings, now: Date): QuarantineStep {
  if (settings.mode === 'disabled') return entry ? { entry } : {};
  const releaseAfterPasses = settings.releaseAfterPasses;
  if (entry) {
    if (outcome.verdict === 'skipped') return { entry };
    const passes = outcome.verdict === 'passed' ? entry.consecutivePasses + 1 : 0;
    if (passes >= releaseAfterPasses) return { note: { state: 'released', reason: `${passes} passes in a row`, consecutivePasses: passes, releaseAfterPasses } };
    const kept = { ...entry, consecutivePasses: passes };
    return { entry: kept, note: { state: 'quarantined', reason: entry.reason, consecutivePasses: passes, releaseAfterPasses } };
  }
  if (!failed(outcome.verdict) || !outcome.flaky || outcome.failuresInWindow < settings.failuresBeforeQuarantine) return {};
  const reason = `flaky_test (${Math.round(outcome.flaky.confidence * 100)} %): ${outcome.flaky.evidence[0]?.detail ?? 'from its history'}`;
  if (settings.mode === 'supervised') return { note: { state: 'proposed', reason, consecutivePasses: 0, releaseAfterPasses } };
  const added: QuarantineEntry = { ...where, since: now.toISOString(), reason, consecutivePasses: 0 };
  return { entry: added, note: { state: 'quarantined', reason, consecutivePasses: 0, releaseAfterPasses } };
}

/** `quarantined (1 of 3 passes to leave): flaky_test (90 %): …` — one line for people. */
export function describeQuarantine(note: QuarantineNote): string {
  switch (note.state) {
    case 'quarantined':
      return `quarantined, does not fail the run (${note.consecutivePasses} of ${note.releaseAfterPasses} passes in a row to leave): ${note.reason}`;
    case 'proposed':
      return `proposed for quarantine (mode = "supervised"; "autonomous" would quarantine it): ${note.reason}`;
    case 'released':
      return `left quarantine after ${note.reason}`;
  }
}
