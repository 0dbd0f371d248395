import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handleCall } from '../../shared/ipc/validate';
import { appPaths, findAppRoot } from './app-root';
import { StudioBackend } from './backend';

let backend: StudioBackend | undefined;
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
});

describe('first-start demo', () => {
  it('imports the bundled samples recorded from the demo system', async () => {
    const root = findAppRoot(import.meta.dirname);
    expect(root).toBeDefined();
    const paths = appPaths(root!);
    backend = await StudioBackend.open({ inMemory: true, httpPort: false, grpcPort: false, cwd: root!, env: {}, demo: { samplesDir: paths.samplesDir, examplesDir: paths.examplesDir } });
    expect(await backend.isEmpty()).toBe(true);
    const demo = await backend.loadDemo();
    expect(demo.problems).toEqual([]);
    expect(demo.examplesFolder).toBe(join(root!, 'examples'));
    expect(demo.imported.map((f) => f.file.split('/').pop())).toEqual(['demo-errors.otlp.json', 'demo-orders.otlp.json', 'demo-read-through.otlp.json']);
    expect(await backend.isEmpty()).toBe(false);
    const graph = await backend.handlers.serviceGraph({});
    expect(graph.services).toEqual(['api', 'cache', 'db', 'worker']);
    const edges = graph.edges.map((e) => `${e.from}->${e.to}`);
    expect(edges).toEqual(expect.arrayContaining(['api->cache', 'api->db', 'api->worker', 'worker->db']));
    const failed = await backend.handlers.listTraces({ status: 'error', attributes: [], sort: 'newest', limit: 10, offset: 0 });
    expect(failed.total).toBeGreaterThan(0);
  });

  it('answers storeStatus and loadDemo through the contract (what the first-run screen calls)', async () => {
    const root = findAppRoot(import.meta.dirname)!;
    const paths = appPaths(root);
    backend = await StudioBackend.open({ inMemory: true, httpPort: false, grpcPort: false, cwd: root, env: {}, demo: { samplesDir: paths.samplesDir, examplesDir: paths.examplesDir } });
    expect(await handleCall(backend.handlers, 'storeStatus', {})).toEqual({ ok: true, value: { empty: true, traceCount: 0, receiver: {} } });
    const reply = await handleCall(backend.handlers, 'loadDemo', {});
    if (!reply.ok) throw new Error(`loadDemo failed: ${reply.error.code} ${reply.error.message}`);
    const demo = reply.value as { imported: Array<{ traceIds: string[] }>; problems: unknown[]; examplesFolder: string };
    expect(demo.problems).toEqual([]);
    expect(demo.examplesFolder).toBe(paths.examplesDir);
    const traceCount = new Set(demo.imported.flatMap((f) => f.traceIds)).size;
    expect(traceCount).toBeGreaterThan(0);
    expect(await handleCall(backend.handlers, 'storeStatus', {})).toEqual({ ok: true, value: { empty: false, traceCount, receiver: {} } });
    const files = await handleCall(backend.handlers, 'listTestFiles', { folder: demo.examplesFolder });
    expect(files.ok && (files.value as { files: unknown[] }).files.length).toBeGreaterThan(0);
  });

  it('storeStatus names the receiver addresses an SDK should export to', async () => {
    backend = await StudioBackend.open({ inMemory: true, httpPort: 0, grpcPort: 0, cwd: '/', env: {} });
    const reply = await handleCall(backend.handlers, 'storeStatus', {});
    const { http, grpc } = backend.receiver!;
    expect(reply).toEqual({ ok: true, value: { empty: true, traceCount: 0, receiver: { http: `http://127.0.0.1:${http!.port}`, grpc: `http://127.0.0.1:${grpc!.port}` } } });
  });

  it('loadDemo without bundled samples is a coded error, not a crash', async () => {
    backend = await StudioBackend.open({ inMemory: true, httpPort: false, grpcPort: false, cwd: '/', env: {} });
    const reply = await handleCall(backend.handlers, 'loadDemo', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'io.read', message: expect.stringMatching(/without the bundled samples/) } });
  });

  it('says clearly when the samples folder is missing', async () => {
    backend = await StudioBackend.open({ inMemory: true, httpPort: false, grpcPort: false, cwd: '/', env: {}, demo: { samplesDir: '/nonexistent/samples', examplesDir: '/x' } });
    await expect(backend.loadDemo()).rejects.toThrow(/bundled samples are missing/);
  });
});
