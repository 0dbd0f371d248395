// Path escapes through every contract call that takes a path (security suite): `..`, absolute paths
// outside the user's folders, and symlinks inside them that lead out are refused with
// `studio.path-denied`, in browser mode (roots: the studio's folder and folders opened through the
// page's prompt) and on the desktop (only what its dialogs returned). Nothing outside is read,
// listed, run or written.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallArgs, CallName, CallResponse, StudioHandlers } from '../../shared/ipc/contract';
import { handleCall } from '../../shared/ipc/validate';
import { formatTraceFile } from '../../shared/otlp';
import { findTestFiles } from '../spec';
import { openStore, type TraceStore } from '../store';
import { makeTraces, resourceFor } from '../store/test-spans';
import { createStudioHandlers, type StudioRunner } from './handlers';
import { UserPaths } from './user-paths';

const TEST_FILE = '[meta]\nname = "t"\n[services.api]\nimage = "alpine:3"\n[[scenario]]\nname = "s"\nservice = "api"\nrun = "true"\n';

let home: string;
let project: string;
let outside: string;
let store: TraceStore;
let started: string[];

const runner: StudioRunner = {
  start: async (request: CallArgs<'runTest'>) => {
    started.push(request.path);
    return { runId: 'r1' };
  },
  cancel: async () => false,
  dispose: async () => undefined,
};

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'clnrm-paths-'));
  project = join(home, 'project');
  outside = join(home, 'outside');
  mkdirSync(join(project, 'tests'), { recursive: true });
  mkdirSync(join(outside, 'tests'), { recursive: true });
  const traces = formatTraceFile(makeTraces(1, 2, resourceFor('api')), 'otlp-json');
  for (const dir of [project, outside]) {
    writeFileSync(join(dir, 'traces.json'), traces);
    writeFileSync(join(dir, 'tests/t.clnrm.toml'), TEST_FILE);
  }
  symlinkSync(join(outside, 'traces.json'), join(project, 'link.json'));
  symlinkSync(join(outside, 'tests/t.clnrm.toml'), join(project, 'link.clnrm.toml'));
  symlinkSync(outside, join(project, 'elsewhere'));
  store = await openStore({ inMemory: true });
  started = [];
});
afterEach(async () => {
  await store.dispose();
  rmSync(home, { recursive: true, force: true });
});

async function handlersFor(roots: string[], pickFolder?: () => Promise<string | null>): Promise<{ handlers: StudioHandlers; paths: UserPaths }> {
  const paths = new UserPaths(project);
  for (const root of roots) await paths.addRoot(root);
  return { handlers: createStudioHandlers({ store, paths, env: {}, runner, ...(pickFolder ? { pickFolder } : {}) }), paths };
}

async function errorCode(handlers: StudioHandlers, call: string, request: unknown): Promise<string> {
  const reply = await handleCall(handlers, call, request);
  return reply.ok ? 'ok' : reply.error.code;
}

/** The call's answer (it must succeed). */
async function answer<N extends CallName>(handlers: StudioHandlers, call: N, request: unknown): Promise<CallResponse<N>> {
  const reply = await handleCall(handlers, call, request);
  if (!reply.ok) throw new Error(`${call} failed: ${reply.error.code} ${reply.error.message}`);
  return reply.value as CallResponse<N>;
}

/** Every shape of a path that leads out of `project`, given relative to it. */
const escapes = (file: string) => [`../outside/${file}`, join(outside, file), `elsewhere/${file}`, `tests/../../outside/${file}`];

describe('browser mode: only the studio folder and folders opened through the page', () => {
  it('refuses trace files outside through importFiles, and imports nothing', async () => {
    const { handlers } = await handlersFor([project]);
    const reply = await answer(handlers, 'importFiles', { paths: [...escapes('traces.json'), 'link.json'] });
    expect(reply.imported).toEqual([]);
    expect(reply.problems.map((p) => p.code)).toEqual(Array(5).fill('studio.path-denied'));
    expect(reply.problems[4]!.message).toContain(`leads to ${join(outside, 'traces.json')}`);
    expect((await store.listTraces({})).total).toBe(0);
    // Inside, it works.
    expect(await errorCode(handlers, 'importFiles', { paths: ['traces.json'] })).toBe('ok');
  });

  it('refuses test files outside through validateFile, testTopology and runTest', async () => {
    const { handlers } = await handlersFor([project]);
    for (const path of [...escapes('tests/t.clnrm.toml'), 'link.clnrm.toml']) {
      for (const call of ['validateFile', 'testTopology', 'runTest']) expect(await errorCode(handlers, call, { path }), `${call} ${path}`).toBe('studio.path-denied');
    }
    expect(started).toEqual([]);
    expect(await errorCode(handlers, 'validateFile', { path: 'tests/t.clnrm.toml' })).toBe('ok');
    expect(await errorCode(handlers, 'runTest', { path: 'tests/t.clnrm.toml' })).toBe('ok');
    expect(started).toEqual([join(project, 'tests/t.clnrm.toml')]);
  });

  it('refuses to list folders outside, and never walks a symlink out of an opened one', async () => {
    const { handlers } = await handlersFor([project]);
    for (const folder of ['..', '../outside', outside, 'elsewhere', '/']) expect(await errorCode(handlers, 'listTestFiles', { folder }), folder).toBe('studio.path-denied');
    const listed = await answer(handlers, 'listTestFiles', { folder: '.' });
    expect(listed.files.map((f) => f.path)).toEqual([join(project, 'tests/t.clnrm.toml')]);
  });

  it('lets the page prompt open a folder, which then is the user\'s', async () => {
    const { handlers } = await handlersFor([project]);
    expect(await errorCode(handlers, 'validateFile', { path: join(outside, 'tests/t.clnrm.toml') })).toBe('studio.path-denied');
    const opened = await handleCall(handlers, 'openFolder', { path: '../outside' });
    expect(opened).toEqual({ ok: true, value: { folder: outside } });
    expect(await errorCode(handlers, 'validateFile', { path: join(outside, 'tests/t.clnrm.toml') })).toBe('ok');
    expect(await errorCode(handlers, 'listTestFiles', { folder: outside })).toBe('ok');
  });

  it.skipIf(!existsSync('/proc/1'))('lists a folder whose sub-folders cannot be read (here /proc/1) instead of failing', async (ctx) => {
    // /proc/1/fdinfo and the like refuse even root in a container; where they do not, there is nothing to show.
    const strictWalkFails = await findTestFiles(['/proc/1'], '/').then(
      () => false,
      () => true,
    );
    if (!strictWalkFails) ctx.skip();
    const { handlers } = await handlersFor([project]);
    expect(await answer(handlers, 'openFolder', { path: '/proc/1' })).toEqual({ folder: '/proc/1' });
    expect(await answer(handlers, 'listTestFiles', { folder: '/proc/1' })).toEqual({ files: [] });
  });

  it('writes no file through exportTraces, whatever path the request names', async () => {
    const { handlers } = await handlersFor([project]);
    store.ingest(makeTraces(1, 2, resourceFor('api')));
    const [trace] = (await store.listTraces({})).traces;
    const before = readdirSync(outside).sort();
    const reply = await answer(handlers, 'exportTraces', { traceIds: [trace!.traceId], path: join(outside, '.bashrc') });
    expect(Object.keys(reply).sort()).toEqual(['spanCount', 'text']);
    expect(readdirSync(outside).sort()).toEqual(before);
  });
});

describe('desktop: only what the dialogs returned', () => {
  it('refuses typed folders and files until a dialog returned them', async () => {
    let chosen: string | null = null;
    const { handlers, paths } = await handlersFor([], async () => chosen);
    for (const path of [project, outside, '/']) expect(await errorCode(handlers, 'openFolder', { path }), path).toBe('studio.path-denied');
    expect(await errorCode(handlers, 'listTestFiles', { folder: project })).toBe('studio.path-denied');
    expect(await errorCode(handlers, 'validateFile', { path: join(project, 'tests/t.clnrm.toml') })).toBe('studio.path-denied');

    expect(await handleCall(handlers, 'openFolder', {})).toEqual({ ok: true, value: { folder: null } });
    chosen = project;
    expect(await handleCall(handlers, 'openFolder', {})).toEqual({ ok: true, value: { folder: project } });
    expect(await errorCode(handlers, 'openFolder', { path: join(project, 'tests') })).toBe('ok');
    expect(await errorCode(handlers, 'validateFile', { path: join(project, 'tests/t.clnrm.toml') })).toBe('ok');
    // Still nothing outside it, even through a link inside.
    expect(await errorCode(handlers, 'validateFile', { path: join(project, 'link.clnrm.toml') })).toBe('studio.path-denied');

    // Import: the files the file dialog returned, and no other.
    await paths.allowFiles([join(outside, 'traces.json')]);
    const reply = await answer(handlers, 'importFiles', { paths: [join(outside, 'traces.json'), join(outside, 'tests/t.clnrm.toml')] });
    expect(reply.imported.length).toBe(1);
    expect(reply.problems.map((p) => p.code)).toEqual(['studio.path-denied']);
  });
});
