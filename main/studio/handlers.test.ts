import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleCall } from '../../shared/ipc/validate';
import type { StudioHandlers } from '../../shared/ipc/contract';
import { formatTraceFile } from '../../shared/otlp';
import { openStore, type TraceStore } from '../store';
import { hexId, makeSpan, makeTraces, resourceFor } from '../store/test-spans';
import { buildSpan } from '../../shared/model';
import { RUNNER_SCOPE } from '../runner';
import { createStudioHandlers, type StudioRunner } from './handlers';
import { UserPaths } from './user-paths';

let dir: string;
let store: TraceStore;
let handlers: StudioHandlers;
/** A runner that starts nothing (runs are main/studio/studio-runner.test.ts's subject). */
const stillRunner: StudioRunner = {
  start: async () => ({ runId: '0123456789ab' }),
  cancel: async () => false,
  dispose: async () => undefined,
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clnrm-studio-h-'));
  store = await openStore({ inMemory: true });
  const paths = new UserPaths(dir);
  await paths.addRoot(dir);
  handlers = createStudioHandlers({ store, paths, env: {}, runner: stillRunner });
});
afterEach(async () => {
  await store.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** One call as a transport would make it: JSON in, validated, JSON out. */
async function call(name: string, payload: unknown) {
  return handleCall(handlers, name, JSON.parse(JSON.stringify(payload)));
}
async function ok<T = Record<string, unknown>>(name: string, payload: unknown): Promise<T> {
  const reply = await call(name, payload);
  if (!reply.ok) throw new Error(`${name} failed: ${reply.error.code} ${reply.error.message}`);
  return reply.value as T;
}

function apiTrace(trace: number, startMs: number, error = false) {
  const api = resourceFor('api');
  const db = resourceFor('db');
  return [
    makeSpan({ trace, span: trace * 10 + 1, name: 'GET /items', resource: api, startMs, durationMs: 30, kind: 'server', attrs: { 'http.route': '/items', tenant: 't1' } }),
    makeSpan({ trace, span: trace * 10 + 2, parent: trace * 10 + 1, name: 'SELECT items', resource: db, startMs: startMs + 5, durationMs: 10, kind: 'client', status: error ? 'error' : 'unset', attrs: { 'db.system': 'memdb' } }),
  ];
}

describe('studio handlers against a real store', () => {
  it('imports a file by path and by content, then lists, gets and graphs it', async () => {
    const path = join(dir, 'two.json');
    writeFileSync(path, formatTraceFile([...apiTrace(1, 1_700_000_000_000), ...apiTrace(2, 1_700_000_001_000, true)], 'otlp-json'));
    const byPath = await ok<{ imported: Array<{ spanCount: number; format: string; traceIds: string[] }>; problems: unknown[] }>('importFiles', { paths: ['two.json'] });
    expect(byPath.problems).toEqual([]);
    expect(byPath.imported[0]).toMatchObject({ format: 'otlp-json', spanCount: 4 });
    expect(byPath.imported[0]!.traceIds.sort()).toEqual([hexId(1, 32), hexId(2, 32)]);
    const byText = await ok<{ imported: Array<{ file: string; spanCount: number }> }>('importFiles', {
      files: [{ name: '../../etc/three.json', text: formatTraceFile(apiTrace(3, 1_700_000_002_000), 'otlp-json') }],
    });
    expect(byText.imported[0]).toMatchObject({ file: 'three.json', spanCount: 2 });
    // The same file again adds nothing: deduplicated exactly as `clnrm import` does.
    const again = await ok<{ imported: Array<{ spanCount: number; duplicates: number; traceIds: string[] }> }>('importFiles', { paths: ['two.json'] });
    expect(again.imported[0]).toMatchObject({ spanCount: 0, duplicates: 4 });
    expect(again.imported[0]!.traceIds).toHaveLength(2);

    const list = await ok<{ traces: Array<{ traceId: string; rootName: string; services: string[]; errorCount: number }>; total: number }>('listTraces', {});
    expect(list.total).toBe(3);
    expect(list.traces.map((t) => t.traceId)).toEqual([hexId(3, 32), hexId(2, 32), hexId(1, 32)]);
    expect(list.traces[0]).toMatchObject({ rootName: 'GET /items', services: ['api', 'db'] });
    const errors = await ok<{ traces: Array<{ traceId: string }> }>('listTraces', { status: 'error', sort: 'oldest' });
    expect(errors.traces.map((t) => t.traceId)).toEqual([hexId(2, 32)]);
    // "Operation contains": part of a span name, in any case; % and _ are plain characters.
    expect((await ok<{ total: number }>('listTraces', { spanName: 'select' })).total).toBe(3);
    expect((await ok<{ total: number }>('listTraces', { spanName: 'ITEMS' })).total).toBe(3);
    expect((await ok<{ total: number }>('listTraces', { spanName: 'GET%' })).total).toBe(0);
    const page = await ok<{ traces: Array<{ traceId: string }>; total: number }>('listTraces', { sort: 'oldest', limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 3, traces: [{ traceId: hexId(2, 32) }] });

    const trace = await ok<{ spans: Array<{ name: string; startTimeUnixNano: string }> }>('getTrace', { traceId: hexId(2, 32) });
    expect(trace.spans.map((s) => s.name)).toEqual(['GET /items', 'SELECT items']);
    expect(trace.spans[0]!.startTimeUnixNano).toBe('1700000001000000123');

    const graph = await ok<{ services: string[]; edges: Array<{ from: string; to: string; calls: number; errors: number }> }>('serviceGraph', {});
    expect(graph.services).toEqual(['api', 'db']);
    expect(graph.edges).toEqual([expect.objectContaining({ from: 'api', to: 'db', calls: 3, errors: 1 })]);
  });

  it('intersects several attribute filters', async () => {
    store.ingest([...apiTrace(1, 1_700_000_000_000), ...makeTraces(1, 2, resourceFor('solo'), 7)]);
    const both = await ok<{ traces: Array<{ traceId: string }> }>('listTraces', { attributes: [{ key: 'tenant', value: 't1' }, { key: 'db.system', value: 'memdb' }] });
    expect(both.traces.map((t) => t.traceId)).toEqual([hexId(1, 32)]);
    const none = await ok<{ traces: unknown[]; total: number }>('listTraces', { attributes: [{ key: 'tenant', value: 't1' }, { key: 'db.system', value: 'other' }] });
    expect(none).toEqual({ traces: [], total: 0 });
  });

  it('reports unreadable and malformed files as problems, not failures', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"resourceSpans": [');
    const r = await ok<{ imported: unknown[]; problems: Array<{ code: string; file: string }> }>('importFiles', { paths: ['bad.json', 'missing.json'] });
    expect(r.imported).toEqual([]);
    expect(r.problems.map((p) => p.code)).toEqual(['trace.invalid', 'io.read']);
    expect(r.problems[1]!.file).toBe(join(dir, 'missing.json'));
  });

  it('exports OTLP JSON as text only (never to a path), and names missing traces', async () => {
    store.ingest(apiTrace(1, 1_700_000_000_000));
    const asText = await ok<{ spanCount: number; text: string }>('exportTraces', { traceIds: [hexId(1, 32)] });
    expect(asText.spanCount).toBe(2);
    expect(JSON.parse(asText.text).resourceSpans).toHaveLength(2);
    // A path in the request is no instruction: the answer is the text, and nothing is written.
    const withPath = await ok<Record<string, unknown>>('exportTraces', { traceIds: [hexId(1, 32)], path: 'x.json' });
    expect(Object.keys(withPath).sort()).toEqual(['spanCount', 'text']);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
    const missing = await call('exportTraces', { traceIds: [hexId(1, 32), hexId(9, 32)] });
    expect(!missing.ok && missing.error).toMatchObject({ code: 'trace.not-found', details: { missing: [hexId(9, 32)] } });
  });

  it('clears everything and says how much went', async () => {
    store.ingest([...apiTrace(1, 1_700_000_000_000), ...apiTrace(2, 1_700_000_000_500)]);
    expect(await ok('clearAll', {})).toEqual({ removedTraces: 2, removedSpans: 4 });
    expect(await ok('listTraces', {})).toEqual({ traces: [], total: 0 });
    const gone = await call('getTrace', { traceId: hexId(1, 32) });
    expect(!gone.ok && gone.error.code).toBe('trace.not-found');
  });

  it('rejects invalid requests with ipc.invalid and unknown calls', async () => {
    const cases: Array<[string, unknown]> = [
      ['getTrace', { traceId: 'not-hex' }],
      ['listTraces', { limit: 0 }],
      ['listTraces', { minDurationMs: 5, maxDurationMs: 1 }],
      ['importFiles', {}],
      ['exportTraces', { traceIds: [] }],
      ['listTestFiles', { folder: '' }],
      ['getTrace', null],
      ['deleteEverything', {}],
    ];
    for (const [name, payload] of cases) {
      const reply = await handleCall(handlers, name, payload);
      expect(reply.ok, name).toBe(false);
      if (!reply.ok) expect(reply.error.code, name).toBe('ipc.invalid');
    }
  });

  it('opens folders, lists and validates test files', async () => {
    mkdirSync(join(dir, 'tests/nested'), { recursive: true });
    writeFileSync(join(dir, 'tests/good.clnrm.toml'), '[meta]\nname = "good"\nversion = "1.0"\n\n[service.api]\nplugin = "generic_container"\nimage = "alpine:3"\n\n[[scenario]]\nname = "s"\nservice = "api"\nrun = "true"\n');
    writeFileSync(join(dir, 'tests/nested/broken.clnrm.toml'), '[meta\nname = 1\n');
    writeFileSync(join(dir, 'tests/notes.txt'), 'not a test');
    expect(await ok('openFolder', { path: 'tests' })).toEqual({ folder: join(dir, 'tests') });
    const notDir = await call('openFolder', { path: 'tests/notes.txt' });
    expect(!notDir.ok && notDir.error.code).toBe('io.read');
    const picker = await call('openFolder', {});
    expect(!picker.ok && picker.error.code).toBe('ipc.unavailable');

    const files = await ok<{ files: Array<{ path: string; name: string; sizeBytes: number }> }>('listTestFiles', { folder: join(dir, 'tests') });
    expect(files.files.map((f) => f.name)).toEqual(['good', 'broken']);
    expect(files.files[0]!.sizeBytes).toBeGreaterThan(10);

    const broken = await ok<{ ok: boolean; problems: Array<{ code: string; line?: number }> }>('validateFile', { path: 'tests/nested/broken.clnrm.toml' });
    expect(broken.ok).toBe(false);
    expect(broken.problems[0]).toMatchObject({ code: 'toml.syntax', line: 1 });

    // What the file mounts, and the hash of the text validated: a confirmation holds for that content only.
    const mounting = readFileSync(join(dir, 'tests/good.clnrm.toml'), 'utf8').replace('image = "alpine:3"\n', 'image = "alpine:3"\nvolumes = ["/var/run/docker.sock:/var/run/docker.sock"]\n');
    writeFileSync(join(dir, 'tests/good.clnrm.toml'), mounting);
    const good = await ok<{ ok: boolean; hostAccess: Array<{ hostPath: string; risk?: string }>; contentHash: string }>('validateFile', { path: 'tests/good.clnrm.toml' });
    expect(good.hostAccess).toEqual([expect.objectContaining({ hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock', readOnly: false, risk: expect.stringContaining('socket') })]);
    expect(good.contentHash).toBe(createHash('sha256').update(mounting).digest('hex'));

    // The source, to show with its problems marked; never a file that is not a .toml test file.
    expect(await ok('readTestFile', { path: 'tests/nested/broken.clnrm.toml' })).toEqual({ path: join(dir, 'tests/nested/broken.clnrm.toml'), text: '[meta\nname = 1\n' });
    const other = await call('readTestFile', { path: 'tests/notes.txt' });
    expect(!other.ok && other.error.code).toBe('io.read');
    const gone = await call('readTestFile', { path: 'tests/gone.clnrm.toml' });
    expect(!gone.ok && gone.error.message).toMatch(/No such file/);
  });

  it('reads the topology a test file declares, and says why when the file is broken', async () => {
    writeFileSync(
      join(dir, 'shop.clnrm.toml'),
      '[meta]\nname = "shop"\n[services.db]\nimage = "d"\n[services.backend]\nimage = "b"\nenv = { OTEL_SERVICE_NAME = "api" }\ndepends_on = ["db"]\n[[scenario]]\nname = "s"\nservice = "backend"\nrun = "true"\n',
    );
    expect(await ok('testTopology', { path: 'shop.clnrm.toml' })).toEqual({
      testName: 'shop',
      services: [
        { id: 'db', name: 'db' },
        { id: 'backend', name: 'api' },
      ],
      edges: [{ from: 'api', to: 'db' }],
    });
    writeFileSync(join(dir, 'broken.clnrm.toml'), '[meta\n');
    const broken = await call('testTopology', { path: 'broken.clnrm.toml' });
    expect(!broken.ok && broken.error.code).toBe('toml.syntax');
    const missing = await call('testTopology', { path: 'nope.clnrm.toml' });
    expect(!missing.ok && missing.error.code).toBe('io.read');
  });

  it('graphs only the spans of the given executions', async () => {
    const tagged = (execution: string, trace: number) => {
      const api = resourceFor('api', { 'clnrm.execution_id': execution });
      const db = resourceFor('db', { 'clnrm.execution_id': execution });
      return [
        makeSpan({ trace, span: trace * 10 + 1, name: 'GET /', resource: api, kind: 'server' }),
        makeSpan({ trace, span: trace * 10 + 2, parent: trace * 10 + 1, name: 'query', resource: db }),
      ];
    };
    store.ingest([...tagged('run-a', 1), ...tagged('run-b', 2), ...tagged('run-c', 3)]);
    // The runner's own spans of execution run-a (tagged with it too) are no part of the system's map.
    const runner = resourceFor('clnrm', { 'clnrm.execution_id': 'run-a' });
    const own = (span: number, parent?: number) => buildSpan({ ...makeSpan({ trace: 9, span, parent, name: 'clnrm.step:x', resource: runner }), scope: { name: RUNNER_SCOPE } });
    store.ingest([own(91), own(92, 91), buildSpan({ ...makeSpan({ trace: 9, span: 93, parent: 92, name: 'GET /', resource: resourceFor('api', { 'clnrm.execution_id': 'run-a' }) }) })]);
    const g = await ok<{ services: string[]; edges: Array<{ from: string; to: string; calls: number }> }>('serviceGraph', { executionIds: ['run-a', 'run-c'] });
    expect(g.edges).toEqual([expect.objectContaining({ from: 'api', to: 'db', calls: 2 })]);
    expect(g.services).toEqual(['api', 'db']);
    const none = await ok<{ services: string[]; edges: unknown[] }>('serviceGraph', { executionIds: ['run-x'] });
    expect(none).toEqual({ services: [], edges: [] });
    const bad = await call('serviceGraph', { executionIds: [] });
    expect(!bad.ok && bad.error.code).toBe('ipc.invalid');
  });

  it('lists run history with its executions, filtered and bounded, and finds the traces of a run by its id', async () => {
    const environment = { host: 'h', platform: 'p', engine: 'e', clnrmVersion: '0.1.0', ci: false };
    for (const [id, at, verdict] of [['aaaaaaaaaaaa', 1000, 'passed'], ['bbbbbbbbbbbb', 2000, 'failed']] as const) {
      await store.recordRun({ id, origin: 'studio', startedAt: at, environment, files: ['/t/a.clnrm.toml'], verdict, passed: 1, failed: 0, errors: 0, skipped: 0 });
      await store.recordExecution({ id: `${id.slice(0, 6)}e1`, runId: id, testFile: '/t/a.clnrm.toml', testFileHash: '', testName: 'a', scenario: 's', iteration: 1, startedAt: at, verdict, failedExpectations: 0, failedSteps: 0 });
    }
    const all = await ok<{ runs: Array<{ run: { id: string }; executions: Array<{ id: string }> }> }>('listRuns', {});
    expect(all.runs.map((r) => [r.run.id, r.executions.map((e) => e.id)])).toEqual([
      ['bbbbbbbbbbbb', ['bbbbbbe1']],
      ['aaaaaaaaaaaa', ['aaaaaae1']],
    ]);
    expect((await ok<typeof all>('listRuns', { verdict: 'passed' })).runs.map((r) => r.run.id)).toEqual(['aaaaaaaaaaaa']);
    const tooMany = await call('listRuns', { limit: 100_000 });
    expect(!tooMany.ok && tooMany.error.code).toBe('ipc.invalid');
    // The system's spans carry the execution, the runner's the run: the run id finds both.
    store.ingest([makeSpan({ trace: 41, span: 1, resource: resourceFor('api', { 'clnrm.execution_id': 'aaaaaae1' }) })]);
    store.ingest([makeSpan({ trace: 42, span: 2, resource: resourceFor('clnrm', { 'clnrm.run_id': 'aaaaaaaaaaaa' }) })]);
    const traces = await ok<{ traces: Array<{ traceId: string }> }>('listTraces', { runId: 'aaaaaaaaaaaa' });
    expect(traces.traces.map((t) => t.traceId).sort()).toEqual([hexId(41, 32), hexId(42, 32)]);
  });
});
