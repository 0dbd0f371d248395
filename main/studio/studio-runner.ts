// Runs tests for the studio: `runTest` starts main/runner's runTests in the background on the
// studio's own store (so the run's spans appear live) under a run id chosen here and answered at once
// (the same id the runner tags every span with and keys the run's history by), forwards every runner
// event (typed, shared/run/events.ts) as `runEvent` and turns its summary (via ./runner-adapter) into
// `runFinished`; `cancelRun` aborts one run (the runner removes what it created); `dispose` cancels
// every run and waits for their clean-up.
import { resolve } from 'node:path';
import { StudioError, toProblem } from '../../shared/errors';
import type { CallArgs, EventPayload } from '../../shared/ipc/contract';
import { newId } from '../docker';
import { runTests } from '../runner';
import type { TraceStore } from '../store';
import type { EventHub } from './events';
import type { StudioRunner } from './handlers';
import { runOutcome } from './runner-adapter';
import { plainProblem } from './trace-files';

type RunTestsFn = typeof runTests;

/** Longest wait on quit for runs to remove their containers after being cancelled. */
const DISPOSE_WAIT_MS = 30_000;

export function createStudioRunner(deps: { store: TraceStore; hub: EventHub; cwd: string; env: Record<string, string | undefined>; runTestsImpl?: RunTestsFn }): StudioRunner {
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const runImpl = deps.runTestsImpl ?? runTests;

  const execute = async (runId: string, file: string, controller: AbortController): Promise<void> => {
    const started = Date.now();
    let finished: EventPayload<'runFinished'>;
    try {
      const summary = await runImpl({
        sources: [{ file }],
        cwd: deps.cwd,
        env: deps.env,
        store: deps.store,
        signal: controller.signal,
        runId,
        origin: 'studio',
        onEvent: (event) => void deps.hub.emit('runEvent', event),
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
      finished = { runId, file, passed: false, cancelled: controller.signal.aborted, durationMs: Date.now() - started, verdicts: [], traceIds: [], executionIds: [], problem: plainProblem(toProblem(error)) };
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
      const runId = newId();
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
