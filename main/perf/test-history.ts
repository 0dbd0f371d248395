// A stored history for the performance layer's tests: eight runs of one test file whose `db.query`
// takes 10 ms in the first four runs and 25 ms in the last four (a step change), each run also
// executing another test file, with the runner's own `clnrm.run` trace holding spans of both
// executions (so a history must pick spans by their execution, not by trace), and container stats.
import type { ExecutionRecord, RunRecord } from '../../shared/run/records';
import type { TraceStore } from '../store';
import { makeSpan, resourceFor } from '../store/test-spans';

export const T0 = 1_700_000_000_000;
export const RUNS = 8;
export const STEP_AT = 4;
export const runIdAt = (i: number): string => `a${String(i).padStart(11, '0')}`;
const environment = { host: 'h', platform: 'linux', engine: 'unix:///var/run/docker.sock', clnrmVersion: '0.1.0', ci: false };

export async function writeStepHistory(store: TraceStore, testFile: string, otherFile: string): Promise<void> {
  let span = 1;
  for (let i = 0; i < RUNS; i++) {
    const runId = runIdAt(i);
    const at = T0 + i * 60_000;
    const run: RunRecord = { id: runId, origin: 'cli', startedAt: at, endedAt: at + 5000, commit: `c0ffee${i}`.padEnd(40, '0'), environment, files: [testFile, otherFile], verdict: 'passed', passed: 2, failed: 0, errors: 0, skipped: 0 };
    await store.recordRun(run);
    const exec = (id: string, file: string, name: string): ExecutionRecord => ({
      id, runId, testFile: file, testFileHash: '', testName: name, scenario: 'main', iteration: 1, startedAt: at, endedAt: at + 4000, verdict: 'passed', failedExpectations: 0, failedSteps: 0,
    });
    const mine = `e${String(i).padStart(11, '0')}`;
    const other = `f${String(i).padStart(11, '0')}`;
    await store.recordExecution(exec(mine, testFile, 'slow_db'));
    await store.recordExecution(exec(other, otherFile, 'other'));
    const api = resourceFor('api', { 'clnrm.run_id': runId, 'clnrm.execution_id': mine });
    for (let t = 0; t < 3; t++) {
      const trace = 1000 * (i + 1) + t;
      const root = span++;
      const dbMs = (i < STEP_AT ? 10 : 25) * (1 + 0.01 * ((i + t) % 3));
      store.ingest([
        makeSpan({ trace, span: root, name: 'GET /items/:id', resource: api, startMs: at + 100 * t, durationMs: 40 + dbMs }),
        makeSpan({ trace, span: span++, parent: root, name: 'db.query', resource: api, startMs: at + 100 * t + 5, durationMs: dbMs }),
      ]);
    }
    // The runner's trace: its root, a step of each execution (the other one with a huge duration).
    const runner = (execution?: string) => resourceFor('clnrm', { 'clnrm.run_id': runId, ...(execution ? { 'clnrm.execution_id': execution } : {}) });
    const root = span++;
    store.ingest([
      makeSpan({ trace: 1000 * (i + 1) + 99, span: root, name: 'clnrm.run', resource: runner(), startMs: at, durationMs: 5000 }),
      makeSpan({ trace: 1000 * (i + 1) + 99, span: span++, parent: root, name: 'db.query', resource: runner(other), startMs: at + 1, durationMs: 900 }),
    ]);
    await store.addContainerStats([0, 1, 2].map((k) => ({
      executionId: mine, service: 'db', at: at + 1000 * k, cpuPercent: 10 * k, memoryBytes: 1e6 * (k + 1), memoryLimitBytes: 1e9, networkRxBytes: 0, networkTxBytes: 0,
    })));
  }
}
