import { afterEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/errors';
import { useStudio } from '../../app/store';
import { fakeApi, resetStudioBeforeEach } from '../../app/store-testing';

const resetStudio = resetStudioBeforeEach();

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
    resetStudio();
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
