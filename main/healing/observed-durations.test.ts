// The duration-bound repair's distribution from a real store (in memory): the spans a failed bound
// names, per recent execution of the same test and scenario; and `clnrm heal`'s proposal made from it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Classification } from '../../shared/healing';
import type { ExecutionRecord } from '../../shared/run/records';
import { parseTestFile } from '../../shared/spec';
import { openStore, type TraceStore } from '../store';
import { makeSpan, resourceFor } from '../store/test-spans';
import { healRun } from './heal';
import { KnowledgeStore } from './knowledge-store';
import { observedDurations } from './observed-durations';

const SOURCE = `[meta]
name = "bounded"
version = "1"

[[scenario]]
name = "main"
run = "true"

[[expect.span]]
name = "db.*"
duration_ms = { max = 100 }
`;

const environment = { host: 'h', platform: 'linux', engine: 'e', clnrmVersion: '0', ci: false };
const flaky: Classification = { class: 'flaky_test', confidence: 0.75, evidence: [{ kind: 'history', detail: 'flipped' }] };
/** Durations of `db.query` per execution; the last one failed its bound. */
const DURATIONS = [[90], [104], [88, 150], [112]];

let root: string;
let file: string;
let store: TraceStore;
let failed: ExecutionRecord;

async function execution(i: number, scenario: string, ms: number[], last: boolean): Promise<ExecutionRecord> {
  const runId = `r${String(i).padStart(11, '0')}`;
  await store.recordRun({ id: runId, origin: 'cli', startedAt: i * 1000, environment, files: [file], passed: 0, failed: 1, errors: 0, skipped: 0 });
  const expectations = [{ expectation: 'expect.span[0]', kind: 'span', passed: !last, message: last ? 'no span matched' : 'ok', spans: [] }];
  const evidence = { steps: [], containers: [], expectations, problems: [], traceHash: '', spanCount: ms.length, ...(last ? { classification: flaky } : {}) };
  const e: ExecutionRecord = { id: `e${String(i).padStart(11, '0')}`, runId, testFile: file, testFileHash: '', testName: 'bounded', scenario, iteration: 1, startedAt: i * 1000, verdict: last ? 'failed' : 'passed', failedExpectations: last ? 1 : 0, failedSteps: 0, evidence };
  await store.recordExecution(e);
  const resource = resourceFor('api', { 'clnrm.run_id': runId, 'clnrm.execution_id': e.id });
  store.ingest(ms.map((d, k) => makeSpan({ trace: i + 1, span: i * 10 + k + 1, name: 'db.query', resource, startMs: 1_700_000_000_000 + i * 1000, durationMs: d })));
  store.ingest([makeSpan({ trace: i + 1, span: i * 10 + 9, name: 'GET /', resource, durationMs: 999 })]);
  return e;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'clnrm-durations-'));
  file = join(root, 'bounded.clnrm.toml');
  await writeFile(file, SOURCE);
  store = await openStore({ inMemory: true });
  for (const [i, ms] of DURATIONS.entries()) {
    const e = await execution(i, 'main', ms, i === DURATIONS.length - 1);
    if (i === DURATIONS.length - 1) failed = e;
  }
  // Another scenario's slow span and a later execution are not this failure's history.
  await execution(7, 'other', [900], false);
  await execution(9, 'main', [5], false);
  store.flush();
});
afterEach(async () => {
  await store.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('observed durations', () => {
  it('gives the named spans of each earlier execution of the same test and scenario, oldest first', async () => {
    const test = parseTestFile(SOURCE, { file }).tests[0];
    expect(await observedDurations(store, failed, test)).toEqual([{ expectation: 'expect.span[0]', executions: DURATIONS }]);
  });

  it('clnrm heal proposes the widened bound from them', async () => {
    const knowledge = new KnowledgeStore(join(root, '.clnrm'));
    const entry = (await store.getRun(failed.runId))!;
    const deps = { knowledge, env: {}, now: new Date(0), observe: (e: ExecutionRecord, t: Parameters<typeof observedDurations>[2]) => observedDurations(store, e, t), verify: async () => ({ runs: 1, passed: 1 }) };
    const [failure] = await healRun(deps, entry);
    expect(failure!.patches).toMatchObject([{ kind: 'widen-duration-bound', verified: true }]);
    expect(failure!.patches[0]!.diff).toMatch(/^\+duration_ms = \{ max = 180 \}$/m);
  });
});
