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

describe('tests slice: a folder is validated as it opens, and runs all at once', () => {
  const file = (name: string) => ({ path: `/t/${name}.clnrm.toml`, name, sizeBytes: 1, modifiedMs: 0 });
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 1));
  };

  it('validates every file after listing, warnings included', async () => {
    const warning = { code: 'toml.unknown-key' as const, message: 'unknown key "atrs" (did you mean "attrs"?)', line: 7, column: 1 };
    const api = fakeApi({
      listTestFiles: async () => ({ files: [file('a'), file('b')] }),
      validateFile: async ({ path }: { path: string }) => ({ ok: true, problems: [], warnings: path.includes('/b.') ? [warning] : [] }),
    });
    await useStudio.getState().openTestFolderAt(api, '/t');
    await until(() => Object.keys(useStudio.getState().validations).length === 2);
    expect(useStudio.getState().validations['/t/b.clnrm.toml']).toEqual({ ok: true, problems: [], warnings: [warning] });
    expect(useStudio.getState().validations['/t/a.clnrm.toml']!.warnings).toEqual([]);
  });

  it('"Run all" starts every file that is not running yet', async () => {
    const started: string[] = [];
    const api = fakeApi({ runTest: async ({ path }: { path: string }) => (started.push(path), { runId: `run-${started.length}` }) });
    useStudio.setState({ testFiles: [file('a'), file('b'), file('c')], runs: { r0: { runId: 'r0', file: '/t/b.clnrm.toml', progress: [], finished: null } } });
    await useStudio.getState().runAllTestFiles(api);
    expect(started).toEqual(['/t/a.clnrm.toml', '/t/c.clnrm.toml']);
  });
});
