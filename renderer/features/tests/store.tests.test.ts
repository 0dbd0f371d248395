import { afterEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/errors';
import { useStudio } from '../../app/store';
import { fakeApi, resetStudioBeforeEach } from '../../app/store-testing';
import { runEventText } from './run-event-text';
import { runsOfFile } from './RunHistory';
import { HISTORY_LIMIT, MAX_RUN_EVENTS } from './store.tests';

const resetStudio = resetStudioBeforeEach();
/** A valid file that mounts nothing from the host. */
const plainValidation = { ok: true, problems: [], warnings: [], hostAccess: [], contentHash: 'a'.repeat(64) };
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

describe('tests slice: a folder is validated as it opens, and runs all at once', () => {
  const file = (name: string) => ({ path: `/t/${name}.clnrm.toml`, name, sizeBytes: 1, modifiedMs: 0 });
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 1));
  };

  it('validates every file after listing, warnings included', async () => {
    const warning = { code: 'toml.unknown-key' as const, message: 'unknown key "atrs" (did you mean "attrs"?)', line: 7, column: 1 };
    const api = fakeApi({
      openFolder: async ({ path }: { path: string }) => ({ folder: path }),
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
    const api = fakeApi({ validateFile: async () => plainValidation, runTest: async ({ path }: { path: string }) => (started.push(path), { runId: `run-${started.length}` }) });
    useStudio.setState({ testFiles: [file('a'), file('b'), file('c')], runs: { r0: { runId: 'r0', file: '/t/b.clnrm.toml', events: [], finished: null } } });
    await useStudio.getState().runAllTestFiles(api);
    expect(started).toEqual(['/t/a.clnrm.toml', '/t/c.clnrm.toml']);
  });
});

describe('tests slice: run events and run history', () => {
  const event = (type: 'test-started' | 'warning', runId: string, extra: Record<string, unknown> = {}) =>
    ({ type, at: 1, runId, ...(type === 'test-started' ? { test: 't', file: '/x/a.clnrm.toml' } : { message: 'w' }), ...extra }) as never;

  it('keeps the events of a run started here under its id, bounded, and the verdict after them', async () => {
    await useStudio.getState().runTestFile(fakeApi({ validateFile: async () => plainValidation, runTest: async () => ({ runId: 'abc123abc123' }) }), '/x/a.clnrm.toml');
    const { onRunEvent, onRunFinished } = useStudio.getState();
    onRunEvent(event('test-started', 'abc123abc123'));
    for (let k = 0; k < MAX_RUN_EVENTS + 5; k++) onRunEvent(event('warning', 'abc123abc123', { message: `w${k}` }));
    const run = useStudio.getState().runs['abc123abc123']!;
    expect(run.file).toBe('/x/a.clnrm.toml');
    expect(run.events).toHaveLength(MAX_RUN_EVENTS);
    expect(run.events.at(-1)).toMatchObject({ type: 'warning', message: `w${MAX_RUN_EVENTS + 4}` });
    onRunFinished({ runId: 'abc123abc123', file: '/x/a.clnrm.toml', passed: true, cancelled: false, durationMs: 5, verdicts: [], traceIds: [], executionIds: ['e1'] });
    expect(useStudio.getState().runs['abc123abc123']!.finished).toMatchObject({ passed: true, executionIds: ['e1'] });
  });

  it('reads the stored history, and shows a failure to read it as a problem', async () => {
    const entry = { run: { id: 'r1', origin: 'cli', startedAt: 1, environment: {}, files: ['/x/a.clnrm.toml'], passed: 1, failed: 0, errors: 0, skipped: 0 }, executions: [] };
    const asked: unknown[] = [];
    await useStudio.getState().loadRunHistory(fakeApi({ listRuns: async (q: unknown) => (asked.push(q), { runs: [entry] }) }));
    expect(asked).toEqual([{ limit: HISTORY_LIMIT }]);
    expect(useStudio.getState().runHistory).toEqual([entry]);
    expect(runsOfFile(useStudio.getState().runHistory, '/x/a.clnrm.toml')).toEqual([entry]);
    expect(runsOfFile(useStudio.getState().runHistory, '/x/b.clnrm.toml')).toEqual([]);
    await useStudio.getState().loadRunHistory(fakeApi({ listRuns: () => Promise.reject(new StudioError({ code: 'store.failed', message: 'disk gone' })) }));
    expect(useStudio.getState().testsProblem).toMatchObject({ code: 'store.failed' });
  });
});

describe('run event text', () => {
  it('says what each event means in one line', () => {
    const result = { name: 'probe', target: 'api', command: ['wget'], verdict: 'failed' as const, exitCode: 1, expectedExitCode: 0, timedOut: false, durationMs: 3, message: 'exit 1', stdoutTail: '', stderrTail: '' };
    const ids = { at: 1, runId: 'r', test: 't', executionId: 'e' };
    expect(runEventText({ type: 'step-finished', ...ids, index: 0, result })).toBe('step probe: failed (exit 1) — exit 1');
    expect(runEventText({ type: 'phase', ...ids, phase: 'services', state: 'end', durationMs: 1500 })).toBe('services done in 1.5 s');
    expect(runEventText({ type: 'execution-started', ...ids, scenario: 's', iteration: 2, iterations: 3 })).toBe('scenario s (iteration 2/3): starting services');
  });
});
