import { describe, expect, it } from 'vitest';
import type { StudioApi } from '../../shared/ipc/contract';
import { paletteJumps } from './palette-jumps';
import { useStudio } from './store';
import { resetStudioBeforeEach } from './store-testing';

resetStudioBeforeEach();
const api = {} as StudioApi;
const summary = (services: string[]) => ({ traceId: 'a'.repeat(32), rootName: 'GET /', rootService: services[0]!, startUs: 0, durationUs: 1, spanCount: 1, errorCount: 0, services });

describe('paletteJumps', () => {
  it('offers the traces the store found for a short id, services, test files, in that order', () => {
    useStudio.setState({ traces: [summary(['api', 'worker']), summary(['worker', 'db'])], testFiles: [{ path: '/t/worker-jobs.clnrm.toml', name: 'worker-jobs', sizeBytes: 1, modifiedMs: 0 }] });
    const labels = paletteJumps(useStudio.getState(), api, 'work', []).map((j) => j.label);
    expect(labels).toEqual(['Traces of service worker', 'Test file worker-jobs', 'Chaos timeline of worker-jobs']);
    const ids = ['0af7651916cd43dd8448eb211c80319c'];
    expect(paletteJumps(useStudio.getState(), api, '0af76519', ids).map((j) => j.label)[0]).toBe(`Open trace ${ids[0]}`);
  });

  it('runs a jump against the store: a service filters the traces list', () => {
    useStudio.setState({ traces: [summary(['api'])], view: 'service-map' });
    paletteJumps(useStudio.getState(), api, 'api', [])[0]!.run(useStudio.getState());
    expect(useStudio.getState()).toMatchObject({ view: 'traces', tracesQuery: { service: 'api' } });
  });

  it('opens a test file on the Chaos timeline', () => {
    useStudio.setState({ testFiles: [{ path: '/t/db.clnrm.toml', name: 'db', sizeBytes: 1, modifiedMs: 0 }], view: 'traces' });
    paletteJumps(useStudio.getState(), api, 'db', []).find((j) => j.id === 'chaos:/t/db.clnrm.toml')!.run(useStudio.getState());
    expect(useStudio.getState()).toMatchObject({ view: 'chaos', chaosFile: '/t/db.clnrm.toml' });
  });

  it('offers an operation search only when nothing else matched', () => {
    expect(paletteJumps(useStudio.getState(), api, 'memdb', []).map((j) => j.label)).toEqual(['Traces with an operation containing “memdb”']);
    expect(paletteJumps(useStudio.getState(), api, 'reset zoom', [], true)).toEqual([]);
    expect(paletteJumps(useStudio.getState(), api, '  ', [])).toEqual([]);
  });
});
