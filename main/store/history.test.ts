// Run history in a real DuckDB file: runs with their executions and container stats survive closing and
// reopening the store, every listRuns filter narrows, bad records are refused, spans are found by run and
// by execution, and a database of schema 2 (where a "run" was an execution) is upgraded in place, one of
// schema 4 gains the disk bytes columns.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, blobValue } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionRecord, RunRecord } from '../../shared/run/records';
import { openStore, type TraceStore } from './index';
import { toRowBatch } from './row-batch';
import { CREATE_TABLES, resourceInfo, scopeJson } from './schema';
import { hexId, makeSpan, resourceFor } from './test-spans';
import { writerThreadEntry } from './writer-thread';

const dirs: string[] = [];
const stores: TraceStore[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clnrm-history-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const HOUR = 3_600_000;
const environment = { host: 'h', platform: 'linux 6', engine: 'unix:///var/run/docker.sock', clnrmVersion: '0.1.0', ci: false };

function run(id: string, startedAt: number, extra: Partial<RunRecord> = {}): RunRecord {
  return { id, origin: 'cli', startedAt, environment, files: ['/t/a.clnrm.toml'], passed: 0, failed: 0, errors: 0, skipped: 0, ...extra };
}
function execution(id: string, runId: string, extra: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    id,
    runId,
    testFile: '/t/a.clnrm.toml',
    testFileHash: 'ab'.repeat(32),
    testName: 'a',
    scenario: 'main',
    iteration: 1,
    startedAt: T0,
    failedExpectations: 0,
    failedSteps: 0,
    ...extra,
  };
}
const evidence = {
  steps: [{ name: 's', target: 'box', command: ['echo', 'hi'], verdict: 'passed' as const, exitCode: 0, expectedExitCode: 0, timedOut: false, durationMs: 12.5, stdoutTail: 'hi\n', stderrTail: '' }],
  containers: [],
  expectations: [{ expectation: 'expect.counts', kind: 'counts', passed: true, message: 'ok', spans: ['00000000000000aa'] }],
  problems: [],
  traceHash: 'f'.repeat(64),
  spanCount: 3,
};

describe.each([
  ['in this thread', {}],
  ['in a writer thread', { writerThread: writerThreadEntry() }],
] as const)('run history %s', (_mode, modeOptions) => {
  const open = async (dataDir: string): Promise<TraceStore> => {
    const s = await openStore({ dataDir, ...modeOptions });
    stores.push(s);
    return s;
  };

  it('keeps runs, executions with typed evidence, and container stats across a restart', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.recordRun(run('r1', T0, { commit: 'abcdef1234' }));
    await store.recordExecution(execution('e1', 'r1'));
    await store.recordExecution(execution('e2', 'r1', { iteration: 2, startedAt: T0 + 1 }));
    await store.finishExecution('e1', { endedAt: T0 + 500, verdict: 'passed', evidence });
    await store.finishExecution('e2', { endedAt: T0 + 900, verdict: 'failed', failedExpectations: 2 });
    await store.addContainerStats([
      { executionId: 'e1', service: 'box', at: T0 + 100.5, cpuPercent: 12.5, memoryBytes: 1e6, memoryLimitBytes: 2e9, networkRxBytes: 10, networkTxBytes: 20, diskReadBytes: 4096, diskWriteBytes: 33554432 },
      { executionId: 'e1', service: 'box', at: T0 + 200, cpuPercent: 3, memoryBytes: 2e6, memoryLimitBytes: 2e9, networkRxBytes: 11, networkTxBytes: 21 },
    ]);
    const finished = await store.finishRun('r1', { endedAt: T0 + 1000, verdict: 'failed', passed: 0, failed: 1 });
    await store.dispose();
    stores.pop();

    const again = await open(dir);
    const entry = await again.getRun('r1');
    expect(entry?.run).toEqual(finished);
    expect(entry?.executions.map((e) => [e.id, e.iteration, e.verdict, e.failedExpectations])).toEqual([
      ['e1', 1, 'passed', 0],
      ['e2', 2, 'failed', 2],
    ]);
    expect(entry?.executions[0]?.evidence).toEqual(evidence);
    expect(entry?.executions[1]?.evidence).toBeUndefined();
    expect((await again.containerStats('e1')).map((r) => [r.at, r.cpuPercent, r.networkTxBytes, r.diskReadBytes, r.diskWriteBytes])).toEqual([
      [T0 + 100.5, 12.5, 20, 4096, 33554432],
      [T0 + 200, 3, 21, undefined, undefined],
    ]);
    // Absent, not zero: a row without disk bytes reads back without the keys.
    expect(Object.keys((await again.containerStats('e1'))[1]!)).not.toContain('diskReadBytes');
    expect(await again.getRun('missing')).toBeUndefined();
  });

  it('refuses records that do not fit their schema, and finishing what was never recorded', async () => {
    const store = await open(tempDir());
    await expect(store.recordRun(run('Bad Id!', T0))).rejects.toMatchObject({ code: 'store.invalid', message: expect.stringMatching(/id:/) });
    await expect(store.recordExecution({ ...execution('e1', 'r1'), iteration: 0 })).rejects.toMatchObject({ code: 'store.invalid', message: expect.stringMatching(/iteration/) });
    await expect(store.finishExecution('nope', { verdict: 'passed' })).rejects.toMatchObject({ code: 'store.not-found' });
    await store.recordRun(run('r1', T0));
    await expect(store.finishRun('r1', { verdict: 'great' as never })).rejects.toMatchObject({ code: 'store.invalid', message: expect.stringMatching(/verdict/) });
    expect((await store.getRun('r1'))?.run.verdict).toBeUndefined();
    await expect(store.listRuns({ limit: 0 })).rejects.toMatchObject({ code: 'store.invalid' });
  });
});

describe('listRuns', () => {
  it('narrows by test file, test name, verdict, commit prefix and time, newest first, bounded', async () => {
    const store = await openStore({ inMemory: true });
    stores.push(store);
    const runs = [
      run('r1', T0, { verdict: 'passed', commit: 'aaaa1111' }),
      run('r2', T0 + HOUR, { verdict: 'failed', commit: 'bbbb2222' }),
      run('r3', T0 + 2 * HOUR, { verdict: 'passed', commit: 'aaaa1111', origin: 'studio' }),
    ];
    for (const r of runs) await store.recordRun(r);
    await store.recordExecution(execution('e1', 'r1'));
    await store.recordExecution(execution('e2', 'r2', { testFile: '/t/b.clnrm.toml', testName: 'b' }));
    await store.recordExecution(execution('e3', 'r3', { testFile: '/t/b.clnrm.toml', testName: 'b', scenario: 'one' }));
    await store.recordExecution(execution('e4', 'r3', { testFile: '/t/b.clnrm.toml', testName: 'b', scenario: 'two', startedAt: T0 + 5 }));
    const ids = async (q: Parameters<TraceStore['listRuns']>[0]) => (await store.listRuns(q)).map((e) => e.run.id);
    expect(await ids({})).toEqual(['r3', 'r2', 'r1']);
    expect(await ids({ testFile: '/t/b.clnrm.toml' })).toEqual(['r3', 'r2']);
    expect(await ids({ testName: 'a' })).toEqual(['r1']);
    expect(await ids({ verdict: 'passed' })).toEqual(['r3', 'r1']);
    expect(await ids({ commit: 'AAAA' })).toEqual(['r3', 'r1']);
    expect(await ids({ since: T0 + HOUR })).toEqual(['r3', 'r2']);
    expect(await ids({ until: T0 + HOUR })).toEqual(['r2', 'r1']);
    expect(await ids({ verdict: 'passed', testName: 'b', since: T0 })).toEqual(['r3']);
    expect(await ids({ limit: 1 })).toEqual(['r3']);
    const [newest] = await store.listRuns({ limit: 1 });
    expect(newest?.executions.map((e) => e.scenario)).toEqual(['one', 'two']);
  });
});

describe('spans of a run and of an execution', () => {
  it('are found by the run tag, by an execution of the run, and by execution ids', async () => {
    const store = await openStore({ inMemory: true });
    stores.push(store);
    await store.recordRun(run('r1', T0));
    await store.recordExecution(execution('e1', 'r1'));
    // The runner's own span (run tag only), a system span (both tags), and one tagged only with its execution.
    store.ingest([makeSpan({ trace: 1, span: 1, resource: resourceFor('clnrm', { 'clnrm.run_id': 'r1' }) })]);
    store.ingest([makeSpan({ trace: 2, span: 2, resource: resourceFor('api', { 'clnrm.run_id': 'r1', 'clnrm.execution_id': 'e1' }) })]);
    store.ingest([makeSpan({ trace: 3, span: 3, resource: resourceFor('inner', { 'clnrm.execution_id': 'e1' }) })]);
    store.ingest([makeSpan({ trace: 4, span: 4, resource: resourceFor('other', { 'clnrm.run_id': 'r2', 'clnrm.execution_id': 'e9' }) })]);
    const traces = async (q: Parameters<TraceStore['listTraces']>[0]) => (await store.listTraces(q)).traces.map((t) => t.traceId).sort();
    expect(await traces({ runId: 'r1' })).toEqual([hexId(1, 32), hexId(2, 32), hexId(3, 32)]);
    expect(await traces({ executionId: 'e1' })).toEqual([hexId(2, 32), hexId(3, 32)]);
    expect(await traces({ executionIds: ['e1', 'e9'] })).toEqual([hexId(2, 32), hexId(3, 32), hexId(4, 32)]);
    expect((await store.spanStats({ runId: 'r1' })).reduce((n, s) => n + s.count, 0)).toBe(3);
    expect(store.liveSpans({ executionId: 'e1' }).map((s) => s.serviceName).sort()).toEqual(['api', 'inner']);
    expect(store.liveSpans({ runId: 'r1' }).map((s) => s.serviceName).sort()).toEqual(['api', 'clnrm']);
  });
});

// Schema 2 as that version created it: `runs` rows were executions, spans had no execution_id.
const V2_TABLES = `
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE spans (seq BIGINT, trace_id VARCHAR, span_id VARCHAR, parent_span_id VARCHAR, name VARCHAR, kind VARCHAR,
  status_code VARCHAR, service VARCHAR, start_us DOUBLE, end_us DOUBLE, duration_us DOUBLE, run_id VARCHAR, scenario VARCHAR,
  origin_id INTEGER, body BLOB, bytes INTEGER);
CREATE TABLE origins (id INTEGER PRIMARY KEY, resource VARCHAR, scope VARCHAR);
CREATE TABLE runs (id VARCHAR PRIMARY KEY, test_file VARCHAR, test_name VARCHAR, scenario VARCHAR, iteration INTEGER,
  commit_sha VARCHAR, started_at VARCHAR, ended_at VARCHAR, verdict VARCHAR, evidence VARCHAR);
INSERT INTO meta VALUES ('schema', '2');`;

describe('a database of schema 2', () => {
  it('is upgraded in place: old runs become executions in runs of their own, spans gain their execution id', async () => {
    const dir = tempDir();
    const res = resourceFor('api', { 'clnrm.run_id': '3f896034e86a', 'clnrm.scenario': 'main' });
    const span = makeSpan({ trace: 1, span: 1, name: 'GET /', resource: res });
    const batch = toRowBatch([span], undefined, 1, () => 1);
    const db = await DuckDBInstance.create(join(dir, 'traces.duckdb'));
    const conn = await db.connect();
    await conn.run(V2_TABLES);
    await conn.run('INSERT INTO origins VALUES (1, ?, ?)', [resourceInfo(res).json, scopeJson(span.scope)]);
    await conn.run(`INSERT INTO spans VALUES (1, ?, ?, NULL, 'GET /', 'internal', 'unset', 'api', ?, ?, ?, '3f896034e86a', 'main', 1, ?, 100)`, [
      span.traceId,
      span.spanId,
      span.startUs,
      span.startUs + span.durationUs,
      span.durationUs,
      blobValue(batch.data.slice(batch.ranges[0], batch.ranges[1])),
    ]);
    const oldEvidence = { ...evidence, stats: [{ service: 'box', at: T0 + 1, cpuPercent: 5, memoryBytes: 3, memoryLimitBytes: 4, networkRxBytes: 1, networkTxBytes: 2 }] };
    const insertRun = `INSERT INTO runs VALUES (?, '/t/a.clnrm.toml', 'a', 'main', 1, 'abc123', ?, ?, ?, ?)`;
    await conn.run(insertRun, ['3f896034e86a', new Date(T0).toISOString(), new Date(T0 + 750).toISOString(), JSON.stringify({ verdict: 'failed', failedExpectations: 1, failedSteps: 0 }), JSON.stringify(oldEvidence)]);
    await conn.run(insertRun, ['0123456789ab', 'not a time', null, null, null]);
    conn.closeSync();
    db.closeSync();

    const store = await openStore({ dataDir: dir });
    stores.push(store);
    expect(store.notice).toMatch(/upgraded to schema 3: 1 earlier run record\(s\) are now executions.*1 unreadable record/);
    const entry = await store.getRun('3f896034e86a');
    expect(entry?.run).toMatchObject({ id: '3f896034e86a', startedAt: T0, endedAt: T0 + 750, commit: 'abc123', verdict: 'failed', failed: 1, files: ['/t/a.clnrm.toml'] });
    expect(entry?.executions).toEqual([
      expect.objectContaining({ id: '3f896034e86a', runId: '3f896034e86a', scenario: 'main', verdict: 'failed', failedExpectations: 1, evidence }),
    ]);
    expect(await store.containerStats('3f896034e86a')).toEqual([{ executionId: '3f896034e86a', ...oldEvidence.stats[0] }]);
    expect((await store.listTraces({ executionId: '3f896034e86a' })).total).toBe(1);
    expect((await store.listTraces({ runId: '3f896034e86a' })).total).toBe(1);
    expect(JSON.parse(JSON.stringify(await store.getTrace(span.traceId)))).toEqual(JSON.parse(JSON.stringify([span])));
    // New spans go on being written after the added column; the next open has nothing to upgrade.
    store.ingest([makeSpan({ trace: 2, span: 2, resource: resourceFor('web', { 'clnrm.execution_id': 'e2' }) })]);
    await store.dispose();
    stores.pop();
    const again = await openStore({ dataDir: dir });
    stores.push(again);
    expect(again.notice).toBeUndefined();
    expect((await again.listTraces({ executionId: 'e2' })).total).toBe(1);
    expect((await again.listRuns()).map((e) => e.run.id)).toEqual(['3f896034e86a']);
  });
});

describe('a database of schema 4', () => {
  it('gains the disk bytes columns when opened: its samples read back without them, new ones keep them', async () => {
    const dir = tempDir();
    const db = await DuckDBInstance.create(join(dir, 'traces.duckdb'));
    const conn = await db.connect();
    const v4 = CREATE_TABLES.split('\n').filter((line) => !line.startsWith('ALTER TABLE container_stats')).join('\n');
    expect(v4).not.toContain('disk_read_bytes');
    await conn.run(v4);
    await conn.run(`INSERT INTO meta VALUES ('schema', '4')`);
    await conn.run(`INSERT INTO container_stats VALUES ('e1', 'box', ${T0}, 5, 3, 4, 1, 2)`);
    conn.closeSync();
    db.closeSync();

    const store = await openStore({ dataDir: dir });
    stores.push(store);
    expect(store.notice).toBeUndefined();
    await store.addContainerStats([{ executionId: 'e1', service: 'box', at: T0 + 1000, cpuPercent: 6, memoryBytes: 3, memoryLimitBytes: 4, networkRxBytes: 1, networkTxBytes: 2, diskReadBytes: 0, diskWriteBytes: 512 }]);
    expect(await store.containerStats('e1')).toEqual([
      { executionId: 'e1', service: 'box', at: T0, cpuPercent: 5, memoryBytes: 3, memoryLimitBytes: 4, networkRxBytes: 1, networkTxBytes: 2 },
      { executionId: 'e1', service: 'box', at: T0 + 1000, cpuPercent: 6, memoryBytes: 3, memoryLimitBytes: 4, networkRxBytes: 1, networkTxBytes: 2, diskReadBytes: 0, diskWriteBytes: 512 },
    ]);
  });
});
