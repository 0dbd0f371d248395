// The end of an execution as the engine sees it: remove its resources (or keep them, as the cleanup
// policy says for its outcome), then judge leakage and isolation against what the engine still
// holds. Called by scenario.ts after the span expectations; results join the execution's.
import type Docker from 'dockerode';
import type { ExpectationResult } from '../../shared/expect';
import type { ScenarioSpec, TestFile } from '../../shared/spec';
import type { ServiceSetPort } from './service-port';
import { cleanupDecision, leakageResults, listLeftovers, wantsLeakageCheck, type CleanupRecord } from './cleanup-check';
import { isolationResults, wantsIsolation, type ContainerIsolation } from './isolation';

export interface EngineChecks {
  readonly results: ExpectationResult[];
  readonly cleanup?: CleanupRecord;
  readonly isolation?: { readonly containers: ContainerIsolation[]; readonly results: ExpectationResult[] };
  /** Said in progress when resources were kept. */
  readonly note?: string;
}

export interface EngineCheckInput {
  readonly docker: Docker;
  readonly test: TestFile;
  readonly scenario: ScenarioSpec;
  /** The set, when its removal waited for the verdict (a cleanup policy other than "always"). */
  readonly deferredSet?: ServiceSetPort;
  readonly executionId: string;
  readonly network: string;
  readonly passed: boolean;
  /** The run this execution belongs to (unique_container_ids compares within it). */
  readonly run: object;
  readonly inspected: ContainerIsolation[];
}

export async function finishWithEngine(input: EngineCheckInput): Promise<EngineChecks> {
  const { test, scenario } = input;
  const decision = cleanupDecision(test, scenario, input.passed);
  if (input.deferredSet && decision.remove) await input.deferredSet.dispose();
  const note = decision.remove ? undefined : `kept the containers, network and volumes of execution ${input.executionId} (${decision.keptBy}); the next \`clnrm run\` reaps them once this process has exited`;
  const leakage = wantsLeakageCheck(test);
  const isolation = wantsIsolation(test);
  if (!leakage && !isolation) return { results: [], note };
  const left = await listLeftovers(input.docker, input.executionId);
  const leakResults = leakageResults(test, left, decision.keptBy);
  const isoResults = isolation ? isolationResults(test, input.run, input.network, input.inspected, left) : [];
  return {
    results: [...leakResults, ...isoResults],
    ...(leakage ? { cleanup: { removed: decision.remove, ...(decision.keptBy ? { keptBy: decision.keptBy } : {}), leftovers: left, results: leakResults } } : {}),
    ...(isolation ? { isolation: { containers: input.inspected, results: isoResults } } : {}),
    note,
  };
}
