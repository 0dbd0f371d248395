import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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

  it('says clearly when the samples folder is missing', async () => {
    backend = await StudioBackend.open({ inMemory: true, httpPort: false, grpcPort: false, cwd: '/', env: {}, demo: { samplesDir: '/nonexistent/samples', examplesDir: '/x' } });
    await expect(backend.loadDemo()).rejects.toThrow(/bundled samples are missing/);
  });
});
