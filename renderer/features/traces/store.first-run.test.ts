import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/errors';
import { useStudio } from '../../app/store';
import { fakeApi, resetStudioBeforeEach } from '../../app/store-testing';

const TRACE_A = 'a'.repeat(32);
const TRACE_B = 'b'.repeat(32);

resetStudioBeforeEach();

describe('first-run slice', () => {
  it('knows an empty store and loads the demo, keeping where the example tests are', async () => {
    let stored = 0;
    const api = fakeApi({
      storeStatus: async () => ({ empty: stored === 0, traceCount: stored, receiver: { http: 'http://127.0.0.1:4318' } }),
      loadDemo: async () => {
        stored = 2;
        return {
          imported: [
            { file: 'a.otlp.json', format: 'otlp-json', spanCount: 5, traceIds: [TRACE_A], warnings: [] },
            { file: 'b.otlp.json', format: 'otlp-json', spanCount: 3, traceIds: [TRACE_A, TRACE_B], warnings: [] },
          ],
          problems: [],
          examplesFolder: '/opt/studio/examples',
        };
      },
      listTraces: async () => ({ traces: [], total: stored }),
    });
    await useStudio.getState().checkStoreStatus(api);
    expect(useStudio.getState().storeEmpty).toBe(true);
    expect(useStudio.getState().receiver).toEqual({ http: 'http://127.0.0.1:4318' });
    await useStudio.getState().loadDemo(api);
    expect(useStudio.getState().demo).toEqual({ status: 'done', spanCount: 8, traceCount: 2, examplesFolder: '/opt/studio/examples', refused: [] });
    expect(useStudio.getState().storeEmpty).toBe(false);
    expect(useStudio.getState().tracesTotal).toBe(2);
    useStudio.getState().dismissDemo();
    expect(useStudio.getState().demo.status).toBe('idle');
  });

  it('shows why the demo could not be loaded, with its code', async () => {
    const api = fakeApi({ loadDemo: () => Promise.reject(new StudioError({ code: 'io.read', message: 'The bundled samples are missing' })) });
    await useStudio.getState().loadDemo(api);
    expect(useStudio.getState().demo).toMatchObject({ status: 'error', problem: { code: 'io.read', message: 'The bundled samples are missing' } });
  });

  it('does not offer the demo when it cannot tell whether the store is empty', async () => {
    await useStudio.getState().checkStoreStatus(fakeApi({ storeStatus: () => Promise.reject(new Error('socket closed')) }));
    expect(useStudio.getState().storeEmpty).toBeNull();
  });
});
