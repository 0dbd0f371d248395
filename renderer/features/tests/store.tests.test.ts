import { afterEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/errors';
import { useStudio } from '../../app/store';
import { fakeApi, resetStudioBeforeEach } from '../../app/store-testing';

const resetStudio = resetStudioBeforeEach();
/** The studio's openFolder: a typed relative path comes back absolute. */
const openFolder = async ({ path }: { path: string }) => ({ folder: path.startsWith('/') ? path : `/started/here/${path}` });

describe('tests slice: opening a known folder', () => {
  it('lists the folder the demo or the desktop menu names', async () => {
    const api = fakeApi({ openFolder, listTestFiles: async ({ folder }: { folder: string }) => ({ files: [{ path: `${folder}/a.clnrm.toml`, name: 'a', sizeBytes: 1, modifiedMs: 0 }] }) });
    await useStudio.getState().openTestFolderAt(api, '/x/examples');
    expect(useStudio.getState()).toMatchObject({ testFolder: '/x/examples', testsLoading: false, testsProblem: null });
    expect(useStudio.getState().testFiles.map((f) => f.name)).toEqual(['a']);
  });

  it('opens a typed folder through openFolder and lists the folder it answers', async () => {
    const asked: string[] = [];
    const api = fakeApi({ openFolder, listTestFiles: async ({ folder }: { folder: string }) => (asked.push(folder), { files: [] }) });
    await useStudio.getState().openTestFolderAt(api, 'examples');
    expect(asked).toEqual(['/started/here/examples']);
    expect(useStudio.getState().testFolder).toBe('/started/here/examples');
  });

  it('shows the refusal when the studio will not open the folder', async () => {
    const denied = () => Promise.reject(new StudioError({ code: 'studio.path-denied', message: '/etc is outside the folders you opened' }));
    await useStudio.getState().openTestFolderAt(fakeApi({ openFolder: denied }), '/etc');
    expect(useStudio.getState()).toMatchObject({ testFolder: null, testsProblem: { code: 'studio.path-denied' } });
  });

  it('keeps the problem when the folder cannot be read', async () => {
    const api = fakeApi({ openFolder, listTestFiles: () => Promise.reject(new StudioError({ code: 'io.read', message: 'No such folder: /nope' })) });
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
    const api = fakeApi({ openFolder, listTestFiles: async ({ folder }: { folder: string }) => ({ files: [{ path: `${folder}/a.clnrm.toml`, name: 'a', sizeBytes: 1, modifiedMs: 0 }] }) });
    await useStudio.getState().openTestFolderAt(api, '/x/examples');
    expect(items.get('cleanroom.testFolder')).toBe('/x/examples');
    resetStudio();
    await useStudio.getState().restoreTestFolder(api);
    expect(useStudio.getState()).toMatchObject({ testFolder: '/x/examples', testsLoading: false, testsProblem: null });
  });

  it('forgets a folder that is gone, without showing a problem', async () => {
    const items = fakeStorage();
    items.set('cleanroom.testFolder', '/gone');
    await useStudio.getState().restoreTestFolder(fakeApi({ openFolder, listTestFiles: () => Promise.reject(new StudioError({ code: 'io.read', message: 'No such folder: /gone' })) }));
    expect(useStudio.getState()).toMatchObject({ testFolder: null, testsLoading: false, testsProblem: null });
    expect(items.has('cleanroom.testFolder')).toBe(false);
  });
});
