import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useStudio } from '../../app/store';
import { fakeApi, resetStudioBeforeEach } from '../../app/store-testing';
import { MAX_REMEMBERED, isConfirmed, rememberConfirmed } from './host-access-consent';

resetStudioBeforeEach();
let items: Map<string, string>;
beforeEach(() => {
  items = new Map();
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
});
afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

const socket = { service: 'app', kind: 'mount' as const, hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock', readOnly: false, risk: 'engine socket' };
const hash = (c: string) => c.repeat(64);

/** An API whose files have the given content hash and mounts, recording the runs it starts. */
function files(contents: Record<string, { contentHash: string; mounts: (typeof socket)[] }>) {
  const started: string[] = [];
  const api = fakeApi({
    validateFile: async ({ path }: { path: string }) => ({ ok: true, problems: [], warnings: [], hostAccess: contents[path]!.mounts, contentHash: contents[path]!.contentHash }),
    runTest: async ({ path }: { path: string }) => (started.push(path), { runId: `run00000000${started.length}` }),
  });
  return { api, started };
}

describe('host access: asked once per file content before a run', () => {
  it('asks before a first run; Cancel starts nothing; Run anyway starts it and is remembered', async () => {
    const f = { '/t/a.clnrm.toml': { contentHash: hash('1'), mounts: [socket] } };
    const { api, started } = files(f);
    await useStudio.getState().runTestFile(api, '/t/a.clnrm.toml');
    expect(useStudio.getState().hostAccessPending).toEqual({ files: [{ path: '/t/a.clnrm.toml', contentHash: hash('1'), hostAccess: [socket] }], paths: ['/t/a.clnrm.toml'] });
    useStudio.getState().cancelHostAccess();
    expect(useStudio.getState().hostAccessPending).toBeNull();
    expect(started).toEqual([]);

    await useStudio.getState().runTestFile(api, '/t/a.clnrm.toml');
    await useStudio.getState().confirmHostAccess(api);
    expect(started).toEqual(['/t/a.clnrm.toml']);
    expect(isConfirmed('/t/a.clnrm.toml', hash('1'))).toBe(true);

    // Confirmed: the next run starts straight away.
    await useStudio.getState().runTestFile(api, '/t/a.clnrm.toml');
    expect(useStudio.getState().hostAccessPending).toBeNull();
    expect(started).toHaveLength(2);

    // New content: asked again; the old content's confirmation is replaced once confirmed.
    f['/t/a.clnrm.toml'].contentHash = hash('2');
    await useStudio.getState().runTestFile(api, '/t/a.clnrm.toml');
    expect(useStudio.getState().hostAccessPending?.files.map((x) => x.contentHash)).toEqual([hash('2')]);
    expect(started).toHaveLength(2);
    await useStudio.getState().confirmHostAccess(api);
    expect(started).toHaveLength(3);
    expect(isConfirmed('/t/a.clnrm.toml', hash('1'))).toBe(false);
  });

  it('never asks about a file without host access', async () => {
    const { api, started } = files({ '/t/plain.clnrm.toml': { contentHash: hash('3'), mounts: [] } });
    await useStudio.getState().runTestFile(api, '/t/plain.clnrm.toml');
    expect(useStudio.getState().hostAccessPending).toBeNull();
    expect(started).toEqual(['/t/plain.clnrm.toml']);
  });

  it('Run all asks once, listing every file that needs it, and starts all of them or none', async () => {
    const { api, started } = files({
      '/t/a.clnrm.toml': { contentHash: hash('1'), mounts: [socket] },
      '/t/b.clnrm.toml': { contentHash: hash('2'), mounts: [] },
      '/t/c.clnrm.toml': { contentHash: hash('3'), mounts: [{ ...socket, hostPath: '/', containerPath: '/host', readOnly: true, risk: 'whole disk' }] },
    });
    const file = (name: string) => ({ path: `/t/${name}.clnrm.toml`, name, sizeBytes: 1, modifiedMs: 0 });
    useStudio.setState({ testFiles: [file('a'), file('b'), file('c')] });
    await useStudio.getState().runAllTestFiles(api);
    expect(useStudio.getState().hostAccessPending?.files.map((x) => x.path)).toEqual(['/t/a.clnrm.toml', '/t/c.clnrm.toml']);
    expect(started).toEqual([]);
    useStudio.getState().cancelHostAccess();
    expect(started).toEqual([]);

    await useStudio.getState().runAllTestFiles(api);
    await useStudio.getState().confirmHostAccess(api);
    expect(started).toEqual(['/t/a.clnrm.toml', '/t/b.clnrm.toml', '/t/c.clnrm.toml']);
  });

  it('ignores stored confirmations it cannot read, and keeps at most MAX_REMEMBERED files', () => {
    items.set('cleanroom.hostAccessConfirmed', '{"not":"a list"');
    expect(isConfirmed('/t/a.clnrm.toml', hash('1'))).toBe(false);
    items.set('cleanroom.hostAccessConfirmed', JSON.stringify([['/t/a.clnrm.toml', 7], 'x', ['/t/b.clnrm.toml', hash('2')]]));
    expect(isConfirmed('/t/a.clnrm.toml', '7')).toBe(false);
    expect(isConfirmed('/t/b.clnrm.toml', hash('2'))).toBe(true);
    rememberConfirmed(Array.from({ length: MAX_REMEMBERED + 1 }, (_, i) => ({ path: `/t/${i}.clnrm.toml`, contentHash: hash('4'), hostAccess: [] })));
    expect(isConfirmed('/t/0.clnrm.toml', hash('4'))).toBe(false);
    expect(isConfirmed(`/t/${MAX_REMEMBERED}.clnrm.toml`, hash('4'))).toBe(true);
    expect(JSON.parse(items.get('cleanroom.hostAccessConfirmed')!)).toHaveLength(MAX_REMEMBERED);
  });
});
