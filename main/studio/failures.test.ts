// The Failures view's back end without Docker: a stored determinism failure listed with its class,
// evidence span and output; its repair reviewed, verified (reruns injected), applied byte-exactly and
// undone; a failed verification writes nothing; files outside the opened folders are refused; reject
// sticks; the quarantine list carries each test's P/F history. One call goes through the contract.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Classification } from '../../shared/healing';
import type { CallResponse } from '../../shared/ipc/contract';
import { handleCall } from '../../shared/ipc/validate';
import type { ExecutionRecord } from '../../shared/run/records';
import { KnowledgeStore } from '../healing/knowledge-store';
import type { Verification } from '../healing/verify';
import { openStore, type TraceStore } from '../store';
import { hexId, makeSpan, resourceFor } from '../store/test-spans';
import { StudioFailures } from './failures';
import { createStudioHandlers } from './handlers';
import { UserPaths } from './user-paths';

const FILE = `# kept as written
[meta]
name = "nd"
version = "1"

[determinism]
iterations = 2   # two runs

[[steps]]
name = "s"
command = ["true"]
`;
const EVIDENCE_SPAN = hexId(7, 16);
const classification: Classification = {
  class: 'determinism_violation',
  confidence: 0.9,
  evidence: [
    { kind: 'determinism', detail: 'iteration 2 differs from iteration 1 (1 differences)' },
    { kind: 'determinism', detail: 'order.create: attribute order.token changed from "a" to "b"', ref: EVIDENCE_SPAN },
  ],
};
const environment = { host: 'h', platform: 'linux', engine: 'e', clnrmVersion: '0', ci: false };

let root: string;
let file: string;
let store: TraceStore;
let paths: UserPaths;
let verifyResult: Verification;
let verified: string[];
let failures: StudioFailures;

async function record(runId: string, executionId: string, testFile: string, at: number, verdict: 'passed' | 'failed', c?: Classification): Promise<void> {
  await store.recordRun({ id: runId, origin: 'cli', startedAt: at, environment, files: [testFile], passed: 0, failed: 1, errors: 0, skipped: 0 });
  const steps = [{ name: 's', target: 'fresh:busybox', command: ['true'], verdict: 'passed' as const, exitCode: 0, expectedExitCode: 0, timedOut: false, durationMs: 1, stdoutTail: 'hello\n', stderrTail: '' }];
  const evidence = { steps, containers: [], expectations: [], problems: [], traceHash: '', spanCount: 1, ...(c ? { classification: c } : {}) };
  const e: ExecutionRecord = { id: executionId, runId, testFile, testFileHash: '', testName: 'nd', scenario: 's', iteration: 2, startedAt: at, verdict, failedExpectations: 0, failedSteps: 0, evidence };
  await store.recordExecution(e);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'clnrm-failures-'));
  file = join(root, 'nd.clnrm.toml');
  await writeFile(file, FILE);
  store = await openStore({ inMemory: true });
  paths = new UserPaths(root);
  await paths.addRoot(root);
  verifyResult = { runs: 2, passed: 2 };
  verified = [];
  const knowledge = new KnowledgeStore(join(root, 'db', '.clnrm'));
  failures = new StudioFailures({ store, paths, knowledge, env: {}, now: () => new Date('2026-01-01T00:00:00Z'), verify: async (_f, text) => (verified.push(text), verifyResult) });
  await record('run000000001', 'exec00000001', file, 1000, 'passed', classification);
  store.ingest([makeSpan({ trace: 3, span: 7, name: 'order.create', resource: resourceFor('app', { 'clnrm.run_id': 'run000000001', 'clnrm.execution_id': 'exec00000001' }) })]);
  await store.commit();
});
afterEach(async () => {
  await store.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('Failures view back end', () => {
  it('lists a stored failure with its class, the evidence span it names and the execution output (through the contract)', async () => {
    const handlers = createStudioHandlers({ store, paths, env: {}, runner: { start: async () => ({ runId: 'x' }), cancel: async () => false, dispose: async () => undefined } });
    const reply = await handleCall(handlers, 'listFailures', {});
    if (!reply.ok) throw new Error(reply.error.message);
    const { failures: listed } = reply.value as CallResponse<'listFailures'>;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      executionId: 'exec00000001',
      path: file,
      classification: { class: 'determinism_violation', confidence: 0.9 },
      evidenceSpans: [{ traceId: hexId(3, 32), spanId: EVIDENCE_SPAN, name: 'order.create' }],
      logLines: ['s stdout: hello'],
    });
  });

  it('reviews the repair as hunks, verifies it, writes only its lines, and undoes to the original bytes', async () => {
    const { repairs, applied } = await failures.repairs({ runId: 'run000000001' });
    expect(applied).toEqual([]);
    const [proposal] = repairs[0]!.proposals;
    expect(proposal).toMatchObject({ path: file, kind: 'exclude-nondeterministic-attributes' });
    expect(proposal!.hunks).toHaveLength(1);
    expect(proposal!.hunks[0]!.lines).toContain('+exclude_fields = ["order.token"]');

    const result = await failures.apply({ id: proposal!.id, hunks: [0], verify: 2 });
    expect(result).toMatchObject({ applied: true, verification: { runs: 2, passed: 2 } });
    expect(verified[0]).toContain('exclude_fields = ["order.token"]');
    const repaired = FILE.replace('iterations = 2   # two runs\n', 'iterations = 2   # two runs\nexclude_fields = ["order.token"]\n');
    expect(await readFile(file, 'utf8')).toBe(repaired);
    expect((await failures.repairs({ runId: 'run000000001' })).applied).toMatchObject([{ id: proposal!.id, path: file }]);

    await failures.undo({ id: proposal!.id });
    expect(await readFile(file, 'utf8')).toBe(FILE);
  });

  it('a verification rerun that fails writes nothing and says how far it got', async () => {
    verifyResult = { runs: 1, passed: 0, note: 'rerun 1 failed' };
    const id = (await failures.repairs({ runId: 'run000000001' })).repairs[0]!.proposals[0]!.id;
    expect(await failures.apply({ id, hunks: [0], verify: 2 })).toMatchObject({ applied: false, diff: '', verification: { runs: 1, passed: 0, note: 'rerun 1 failed' } });
    expect(await readFile(file, 'utf8')).toBe(FILE);
  });

  it('a rejected repair is not proposed again', async () => {
    const id = (await failures.repairs({ runId: 'run000000001' })).repairs[0]!.proposals[0]!.id;
    await failures.reject({ id });
    expect((await failures.repairs({ runId: 'run000000001' })).repairs[0]!.proposals).toEqual([]);
    expect(JSON.parse(await readFile(join(root, 'db', '.clnrm', 'decisions.json'), 'utf8'))).toMatchObject({ rejected: [{ id }] });
  });

  it('a file outside the opened folders is neither read nor written', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'clnrm-failures-out-'));
    try {
      const outside = join(elsewhere, 'nd.clnrm.toml');
      await writeFile(outside, FILE);
      await record('run000000002', 'exec00000002', outside, 2000, 'passed', classification);
      const { repairs } = await failures.repairs({ runId: 'run000000002' });
      expect(repairs).toMatchObject([{ executionId: 'exec00000002', proposals: [], note: expect.stringMatching(/outside the folders you opened/) }]);
      // A proposal for it made elsewhere (`clnrm heal` in a terminal) is refused before the file is read.
      const theirs = new UserPaths(elsewhere);
      await theirs.addRoot(elsewhere);
      const opened = new StudioFailures({ store, paths: theirs, knowledge: new KnowledgeStore(join(root, 'db', '.clnrm')), env: {}, verify: async () => verifyResult });
      const id = (await opened.repairs({ runId: 'run000000002' })).repairs[0]!.proposals[0]!.id;
      await expect(failures.apply({ id, hunks: [0], verify: 0 })).rejects.toMatchObject({ problem: { code: 'studio.path-denied' } });
      expect(await readFile(outside, 'utf8')).toBe(FILE);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('the quarantine list carries each test’s pass/fail history and quarantine state', async () => {
    await record('run000000003', 'exec00000003', file, 3000, 'failed');
    await mkdir(join(root, 'db', '.clnrm'), { recursive: true });
    await writeFile(join(root, 'db', '.clnrm', 'quarantine.json'), JSON.stringify({ version: 1, tests: [{ file: '../nd.clnrm.toml', test: 'nd', since: '2026-01-01T00:00:00Z', reason: 'flaky', consecutivePasses: 0 }] }));
    const { tests } = await failures.quarantine();
    expect(tests).toMatchObject([{ path: file, test: 'nd', scenario: 's', outcomes: 'PF', quarantine: { reason: 'flaky', consecutivePasses: 0 } }]);
  });
});
