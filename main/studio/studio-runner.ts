// Runs tests for the studio: `runTest` starts main/runner's runTests in the background on the
// studio's own store (so the run's spans appear live), turns the runner's events into the
// contract's `runProgress` and its summary (via ./runner-adapter) into `runFinished`; `cancelRun` aborts one run (the
// runner removes what it created); `dispose` cancels every run and waits for their clean-up.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { StudioError, toProblem } from '../../shared/errors';
import type { CallArgs, EventPayload } from '../../shared/ipc/contract';
import { runTests, type RunEvent } from '../runner';
import type { TraceStore } from '../store';
import type { EventHub } from './events';
import type { StudioRunner } from './handlers';
import { runOutcome } from './runner-adapter';
import { plainProblem } from './trace-files';

type Phase = EventPayload<'runProgress'>['phase'];
type RunTestsFn = typeof runTests;

/** Longest wait on quit for runs to remove their containers after being cancelled. */
const DISPOSE_WAIT_MS = 30_000;

function describe(event: RunEvent): { phase: Phase; message: string } | undefined {
  switch (event.type) {
    case 'run-started':
      return { phase: 'starting', message: `${event.tests} test(s); receiver at ${event.receiver}` };
    case 'test-started':
      return { phase: 'starting', message: `test ${event.test}` };
    case 'execution-started':
      return { phase: 'services', message: `scenario ${event.scenario}${event.iterations > 1 ? ` (iteration ${event.iteration}/${event.iterations})` : ''}: starting services` };
    case 'phase':
      return event.phase === 'services' && event.state === 'end' ? { phase: 'scenario', message: `services ready in ${Math.round(event.durationMs ?? 0)} ms` } : undefined;
    case 'step-finished': {
      const step = event.result;
      return { phase: 'scenario', message: `step ${step.name}: ${step.verdict}${step.exitCode !== null ? ` (exit ${step.exitCode})` : ''}${step.message ? ` — ${step.message}` : ''}` };
    }
    case 'execution-finished':
      return { phase: 'checking', message: `scenario ${event.scenario}: ${event.verdict}, ${event.spanCount} spans, ${event.expectations} expectation(s)` };
    case 'test-finished':
      return { phase: 'cleanup', message: `test ${event.test}: ${event.verdict}` };
    default:
      return undefined;
  }
}

export function createStudioRunner(deps: { store: TraceStore; hub: EventHub; cwd: string; env: Record<string, string | undefined>; runTestsImpl?: RunTestsFn }): StudioRunner {
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const runImpl = deps.runTestsImpl ?? runTests;

  const execute = async (runId: string, file: string, controller: AbortController): Promise<void> => {
    const started = Date.now();
    let lastPhase: Phase = 'starting';
    const progress = (phase: Phase, message: string): void => {
      lastPhase = phase;
      void deps.hub.emit('runProgress', { runId, file, phase, message, atMs: Date.now() });
    };
    progress('starting', `loading ${file}`);
    let finished: EventPayload<'runFinished'>;
    try {
      const summary = await runImpl({
        sources: [{ file }],
        cwd: deps.cwd,
        env: deps.env,
        store: deps.store,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'warning') return progress(lastPhase, `warning: ${event.message}`);
          const d = describe(event);
          if (d) progress(d.phase, d.message);
        },
      });
      const passed = !summary.environmentProblem && summary.tests.length > 0 && summary.tests.every((t) => t.verdict === 'passed');
      finished = {
        runId,
        file,
        passed,
        cancelled: controller.signal.aborted,
        durationMs: Date.now() - started,
        ...(await runOutcome(summary, deps.store)),
        ...(summary.environmentProblem ? { problem: plainProblem(summary.environmentProblem) } : {}),
      };
    } catch (error) {
      finished = { runId, file, passed: false, cancelled: controller.signal.aborted, durationMs: Date.now() - started, verdicts: [], traceIds: [], scenarioRunIds: [], problem: plainProblem(toProblem(error)) };
    }
    // Finished runs are no longer cancellable by the time the UI hears they finished.
    running.delete(runId);
    await deps.hub.emit('runFinished', finished);
  };

  return {
    async start(request: CallArgs<'runTest'>) {
      // The runner takes whole files; refusing is better than silently running more than was asked.
      if (request.scenario !== undefined) {
        throw new StudioError({ code: 'cli.usage', message: 'Running a single scenario is not supported yet: run the whole file.', details: { scenario: request.scenario } });
      }
      if (Object.keys(request.vars).length > 0) {
        throw new StudioError({ code: 'cli.usage', message: 'Overriding [vars] from the studio is not supported yet: edit the file or use environment variables.' });
      }
      const file = resolve(deps.cwd, request.path);
      const runId = `studio-${randomBytes(6).toString('hex')}`;
      const controller = new AbortController();
      // Registered before it starts: a run that fails at once still removes itself afterwards.
      const entry = { controller, done: Promise.resolve() };
      running.set(runId, entry);
      entry.done = execute(runId, file, controller);
      return { runId };
    },
    async cancel(runId: string) {
      const run = running.get(runId);
      if (!run) return false;
      run.controller.abort();
      return true;
    },
    async dispose() {
      const runs = [...running.values()];
      for (const r of runs) r.controller.abort();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((r) => (timer = setTimeout(r, DISPOSE_WAIT_MS)));
      await Promise.race([Promise.all(runs.map((r) => r.done)), timeout]);
      clearTimeout(timer);
    },
  };
}
