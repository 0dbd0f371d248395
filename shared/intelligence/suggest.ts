// The whole mining pipeline, pure: group the runs, mine invariants, keep the confident ones that say
// something new, compose them into suggestions, and check them with the engine on the same runs.
import { evaluateExpectations, type EvaluationConfig } from '../expect';
import { digestRuns } from './digest';
import { errorPatterns, groupByStructure, type ErrorPattern, type StructureGroup } from './grouping';
import { mineSpans } from './mine-spans';
import { mineOrder, mineSiblingOrder, mineTopology, mineTotals, mineWindows } from './mine-relations';
import { mineTracing } from './mine-tracing';
import { againstExisting, passesThresholds, withoutRedundant } from './filter';
import { compose } from './compose';
import { configOf, failuresOn } from './verify';
import { DEFAULT_BUFFER_FACTOR, DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_SUPPORT, type Invariant, type MiningOptions, type MiningRun, type Suggestion } from './types';

/** An expectation already in the file that some of the runs contradict. */
export interface ExistingConflict {
  readonly expectation: string;
  readonly failedRuns: readonly string[];
  readonly message: string;
}

export interface SuggestionReport {
  /** Runs mined (after --service and --group). */
  readonly runs: number;
  readonly spans: number;
  /** Structure groups of all runs given (before --group). */
  readonly groups: readonly StructureGroup[];
  readonly errorPatterns: readonly ErrorPattern[];
  readonly suggestions: readonly Suggestion[];
  /** Mined but under the confidence threshold or the minimum support. */
  readonly belowThreshold: number;
  /** Would fail a run they were mined from (a mining bug): dropped, listed here. */
  readonly dropped: readonly { readonly id: string; readonly runs: readonly string[] }[];
  readonly conflicts: readonly ExistingConflict[];
}

export interface ExistingTest {
  /** The file's parsed TOML (raw tables), to skip what it already asserts. */
  readonly raw: unknown;
  /** Its expectations, to report those the runs contradict. */
  readonly config: EvaluationConfig;
}

/** Every invariant the runs support, before thresholds. */
export function mineInvariants(runs: readonly MiningRun[], bufferFactor = DEFAULT_BUFFER_FACTOR): { invariants: Invariant[]; names: string[] } {
  const digest = digestRuns(runs);
  const invariants = [...mineSpans(digest, bufferFactor), ...mineOrder(digest), ...mineSiblingOrder(digest), ...mineWindows(digest), ...mineTotals(digest), ...mineTopology(digest), ...mineTracing(runs, bufferFactor)];
  return { invariants, names: digest.names.map((n) => n.name) };
}

/** The runs of the groups whose id starts with `group` (mining one structure: "per group"). */
function runsOfGroup(runs: readonly MiningRun[], groups: readonly StructureGroup[], group: string): MiningRun[] {
  const ids = new Set(groups.filter((g) => g.id.startsWith(group.toLowerCase())).flatMap((g) => g.runs));
  return runs.filter((r) => ids.has(r.id));
}

function existingConflicts(runs: readonly MiningRun[], config: EvaluationConfig): ExistingConflict[] {
  const byPath = new Map<string, { failedRuns: string[]; message: string }>();
  for (const run of runs) {
    for (const r of evaluateExpectations(run.spans, config)) {
      if (r.passed || r.kind === 'engine' || r.kind === 'scenario') continue;
      const c = byPath.get(r.expectation);
      if (c) c.failedRuns.push(run.id);
      else byPath.set(r.expectation, { failedRuns: [run.id], message: r.message });
    }
  }
  return [...byPath.entries()].map(([expectation, c]) => ({ expectation, ...c }));
}

export function suggestAssertions(allRuns: readonly MiningRun[], options: MiningOptions = {}, existing?: ExistingTest): SuggestionReport {
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const minSupport = options.minSupport ?? DEFAULT_MIN_SUPPORT;
  const ofService = options.service === undefined ? allRuns : allRuns.map((r) => ({ id: r.id, spans: r.spans.filter((s) => s.serviceName === options.service) }));
  const groups = groupByStructure(ofService);
  const runs = options.group === undefined ? ofService : runsOfGroup(ofService, groups, options.group);
  const { invariants, names } = mineInvariants(runs, options.bufferFactor ?? DEFAULT_BUFFER_FACTOR);
  const kept = invariants.filter((i) => passesThresholds(i, minConfidence, minSupport));
  let suggestions = compose(withoutRedundant(kept, names));
  if (existing) suggestions = againstExisting(suggestions, existing.raw);
  const failures = failuresOn(configOf(suggestions.filter((s) => !s.conflict)), runs);
  const dropped = [...failures.entries()].map(([id, failed]) => ({ id, runs: failed }));
  return {
    runs: runs.length,
    spans: runs.reduce((n, r) => n + r.spans.length, 0),
    groups,
    errorPatterns: errorPatterns(runs),
    suggestions: suggestions.filter((s) => !failures.has(s.id)),
    belowThreshold: invariants.length - kept.length,
    dropped,
    conflicts: existing ? existingConflicts(runs, existing.config) : [],
  };
}
