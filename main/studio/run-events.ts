// The runner's progress events as the contract's typed run events (shared/run/events.ts), for the `runEvent`
// IPC event. The runner reports per test; a run event names its execution, so the execution each test is
// in (tests run their scenarios one after another) and each execution's step count are followed here.
import type { RunEvent as SharedRunEvent } from '../../shared/run/events';
import { runVerdict, type RunEvent as RunnerEvent, type RunSummary } from '../runner';

export interface RunEventTranslator {
  /** The run events one runner event stands for (none for events that carry nothing new). */
  translate(event: RunnerEvent): SharedRunEvent[];
}

export function createRunEventTranslator(runId: string, now: () => number = () => performance.timeOrigin + performance.now()): RunEventTranslator {
  const executionOf = new Map<string, string>();
  const stepsOf = new Map<string, number>();
  return {
    translate(event) {
      const at = now();
      switch (event.type) {
        case 'run-start':
          return [{ type: 'run-started', at, runId, files: event.files, tests: event.tests, receiver: event.receiver }];
        case 'test-start':
          return [{ type: 'test-started', at, runId, test: event.test, file: event.file }];
        case 'scenario-start': {
          executionOf.set(event.test, event.runId);
          stepsOf.set(event.runId, 0);
          const ids = { at, runId, test: event.test, executionId: event.runId };
          return [
            { type: 'execution-started', ...ids, scenario: event.scenario, iteration: event.iteration, iterations: event.iterations },
            { type: 'phase', ...ids, phase: 'services', state: 'start' },
          ];
        }
        case 'services-ready': {
          const executionId = executionOf.get(event.test);
          if (executionId === undefined) return [];
          const ids = { at, runId, test: event.test, executionId };
          return [
            { type: 'phase', ...ids, phase: 'services', state: 'end', durationMs: event.durationMs },
            ...event.services.map((service) => ({ type: 'service' as const, ...ids, service, state: 'ready' as const })),
          ];
        }
        case 'step-end': {
          const executionId = executionOf.get(event.test);
          if (executionId === undefined) return [];
          const index = stepsOf.get(executionId) ?? 0;
          stepsOf.set(executionId, index + 1);
          const step = event.step;
          return [{ type: 'step-finished', at, runId, test: event.test, executionId, index, result: { ...step, command: [...step.command] } }];
        }
        case 'scenario-end': {
          const e = event.execution;
          const ids = { at, runId, test: event.test, executionId: e.runId };
          executionOf.delete(event.test);
          stepsOf.delete(e.runId);
          return [
            ...e.expectations.map((x) => ({ type: 'verdict' as const, ...ids, expectation: x.expectation, kind: x.kind, passed: x.passed, message: x.message })),
            {
              type: 'execution-finished',
              ...ids,
              scenario: e.scenario,
              iteration: e.iteration,
              verdict: e.verdict,
              spanCount: e.spanCount,
              expectations: e.expectations.length,
              failedExpectations: e.expectations.filter((x) => !x.passed).length,
              durationMs: e.durationMs,
              problems: e.problems.map((p) => p.message),
            },
          ];
        }
        case 'test-end': {
          const r = event.result;
          const reason = r.problems[0]?.message;
          return [{ type: 'test-finished', at, runId, test: r.name, file: r.file, verdict: r.verdict, durationMs: r.durationMs, ...(reason !== undefined ? { reason } : {}) }];
        }
        case 'warning':
          return [{ type: 'warning', at, runId, message: event.message }];
        case 'log':
          return [{ type: 'log', at, runId, source: event.source, message: event.message }];
      }
    },
  };
}

/** The run's last event, from its summary. */
export function runFinishedEvent(runId: string, summary: RunSummary, at: number): SharedRunEvent {
  return { type: 'run-finished', at, runId, verdict: runVerdict(summary), passed: summary.passed, failed: summary.failed, errors: summary.errors, skipped: summary.skipped, durationMs: summary.durationMs };
}
