import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudioApi } from '../../../shared/ipc/contract';
import { StudioError } from '../../../shared/errors';
import { useStudio } from '../../app/store';

/** Only the calls under test; anything else fails the test loudly. */
function fakeApi(over: Partial<Record<keyof StudioApi, unknown>>): StudioApi {
  return new Proxy(over, {
    get: (target, name) => target[name as keyof StudioApi] ?? (() => Promise.reject(new Error(`unexpected call ${String(name)}`))),
  }) as unknown as StudioApi;
}

const initial = useStudio.getState();
beforeEach(() => useStudio.setState(initial, true));

describe('tests slice: opening a known folder', () => {
  it('lists the folder the demo or the desktop menu names', async () => {
    const api = fakeApi({ listTestFiles: async ({ folder }: { folder: string }) => ({ files: [{ path: `${folder}/a.clnrm.toml`, name: 'a', sizeBytes: 1, modifiedMs: 0 }] }) });
    await useStudio.getState().openTestFolderAt(api, '/x/examples');
    expect(useStudio.getState()).toMatchObject({ testFolder: '/x/examples', testsLoading: false, testsProblem: null });
    expect(useStudio.getState().testFiles.map((f) => f.name)).toEqual(['a']);
  });

  it('keeps the problem when the folder cannot be read', async () => {
    const api = fakeApi({ listTestFiles: () => Promise.reject(new StudioError({ code: 'io.read', message: 'No such folder: /nope' })) });
    await useStudio.getState().openTestFolderAt(api, '/nope');
    expect(useStudio.getState()).toMatchObject({ testFolder: null, testsLoading: false, testsProblem: { code: 'io.read' } });
  });

  it('cancels a run through cancelRun and shows a refusal as a problem', async () => {
    const asked: string[] = [];
    await useStudio.getState().cancelTestRun(fakeApi({ cancelRun: async ({ runId }: { runId: string }) => (asked.push(runId), { cancelled: true }) }), 'run-1');
    expect(asked).toEqual(['run-1']);
    expect(useStudio.getState().testsProblem).toBeNull();
    await useStudio.getState().cancelTestRun(fakeApi({ cancelRun: () => Promise.reject(new StudioError({ code: 'internal', message: 'runner gone' })) }), 'run-2');
    expect(useStudio.getState().testsProblem).toMatchObject({ message: 'runner gone' });
  });
});

describe('tests slice: the last folder is reopened next session', () => {
  function fakeStorage() {
    const items = new Map<string, string>();
    const storage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    };
    (globalThis as { localStorage?: unknown }).localStorage = storage;
    return items;
  }
  afterEach(() => {
    delete (globalThis as { localStorage?: unknown }).localStorage;
  });

  it('remembers an opened folder and lists it again on restore', async () => {
    const items = fakeStorage();
    const api = fakeApi({ listTestFiles: async ({ folder }: { folder: string }) => ({ files: [{ path: `${folder}/a.clnrm.toml`, name: 'a', sizeBytes: 1, modifiedMs: 0 }] }) });
    await useStudio.getState().openTestFolderAt(api, '/x/examples');
    expect(items.get('cleanroom.testFolder')).toBe('/x/examples');
    useStudio.setState(initial, true);
    await useStudio.getState().restoreTestFolder(api);
    expect(useStudio.getState()).toMatchObject({ testFolder: '/x/examples', testsLoading: false, testsProblem: null });
  });

  it('forgets a folder that is gone, without showing a problem', async () => {
    const items = fakeStorage();
    items.set('cleanroom.testFolder', '/gone');
    await useStudio.getState().restoreTestFolder(fakeApi({ listTestFiles: () => Promise.reject(new StudioError({ code: 'io.read', message: 'No such folder: /gone' })) }));
    expect(useStudio.getState()).toMatchObject({ testFolder: null, testsLoading: false, testsProblem: null });
    expect(items.has('cleanroom.testFolder')).toBe(false);
  });
});
