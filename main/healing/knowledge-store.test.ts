import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/errors';
import { KnowledgeStore, knowledgeDir } from './knowledge-store';

let root: string;
let store: KnowledgeStore;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'clnrm-knowledge-'));
  store = new KnowledgeStore(join(root, '.clnrm'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('knowledge store', () => {
  it('lives in .clnrm/ of the working folder, or of --data-dir', () => {
    expect(knowledgeDir(undefined, '/p')).toBe('/p/.clnrm');
    expect(knowledgeDir('data', '/p')).toBe('/p/data/.clnrm');
    expect(knowledgeDir('/abs', '/p')).toBe('/abs/.clnrm');
  });

  it('reads an absent file as empty, writes plain JSON atomically and reads it back', async () => {
    expect(await store.read('quarantine')).toEqual({ version: 1, tests: [] });
    const value = { version: 1 as const, tests: [{ file: 'tests/a.clnrm.toml', test: 'a', since: '2026-01-01T00:00:00.000Z', reason: 'flaky', consecutivePasses: 1 }] };
    await store.write('quarantine', value);
    expect(JSON.parse(await readFile(join(root, '.clnrm', 'quarantine.json'), 'utf8'))).toEqual(value);
    expect(await store.read('quarantine')).toEqual(value);
    expect(await readdir(join(root, '.clnrm'))).toEqual(['quarantine.json']);
  });

  it('names test files relative to the folder holding .clnrm/', () => {
    expect(store.testFile(join(root, 'tests', 'a.clnrm.toml'))).toBe('tests/a.clnrm.toml');
  });

  it('a broken file is a healing.knowledge error naming the file and the place', async () => {
    await store.write('flakiness', { version: 1, tests: [] });
    await writeFile(store.path('flakiness'), '{"version": 1, "tests": [');
    await expect(store.read('flakiness')).rejects.toMatchObject({ problem: { code: 'healing.knowledge', message: expect.stringMatching(/flakiness\.json is not JSON/) } });
    await writeFile(store.path('flakiness'), JSON.stringify({ version: 1, tests: [{ file: 'a', test: 'a', scenario: 's', outcomes: 'PXF', score: 0, failureRate: 0, updatedAt: '' }] }));
    const error = await store.read('flakiness').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).problem.message).toMatch(/tests\.0\.outcomes: expected a string of P \(pass\) and F \(fail\)/);
  });

  it('refuses to write what would not read back', async () => {
    await expect(store.write('quarantine', { version: 1, tests: [{ file: '', test: 'a', since: '', reason: '', consecutivePasses: -1 }] })).rejects.toThrow();
  });
});
