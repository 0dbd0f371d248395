// The Chaos view's calls through the contract's validation, as a transport makes them, on real files:
// the timeline of examples/chaos/db-paused-cache-serves with its lanes and catalog, a moved fault's
// diff shown first and then saved (every byte outside the injection table kept, the file still valid),
// undo, and every refusal with its code.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moveBlock } from '../../shared/chaos/timeline';
import type { CallResponse, StudioHandlers } from '../../shared/ipc/contract';
import { handleCall } from '../../shared/ipc/validate';
import { parseTestFile } from '../../shared/spec';
import { StudioChaos } from './chaos-experiments';
import { UserPaths } from './user-paths';

const EXAMPLE = join(__dirname, '../../examples/chaos/db-paused-cache-serves.clnrm.toml');
let dir: string;
let file: string;

async function open() {
  const paths = new UserPaths(dir);
  await paths.addRoot(join(dir, 'tests'));
  const chaos = new StudioChaos({ paths, env: {} });
  const handlers = {
    chaosExperiment: (q) => chaos.experiment(q),
    chaosPreview: (q) => chaos.preview(q),
    chaosSave: (q) => chaos.save(q),
    chaosUndo: (q) => chaos.undo(q),
  } as Partial<StudioHandlers> as StudioHandlers;
  const call = (name: string, payload: unknown) => handleCall(handlers, name, JSON.parse(JSON.stringify(payload)));
  return {
    async ok<N extends 'chaosExperiment' | 'chaosPreview' | 'chaosSave' | 'chaosUndo'>(name: N, payload: unknown): Promise<CallResponse<N>> {
      const reply = await call(name, payload);
      if (!reply.ok) throw new Error(`${name} failed: ${reply.error.code} ${reply.error.message}`);
      return reply.value as CallResponse<N>;
    },
    async refusal(name: string, payload: unknown): Promise<{ code: string; message: string }> {
      const reply = await call(name, payload);
      return reply.ok ? { code: 'ok', message: '' } : reply.error;
    },
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chaos-view-'));
  mkdirSync(join(dir, 'tests'));
  file = join(dir, 'tests', 'db.clnrm.toml');
  copyFileSync(EXAMPLE, file);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the Chaos view back end', () => {
  it('gives the file as lanes, the catalog and its experiment as a timeline', async () => {
    const api = await open();
    const r = await api.ok('chaosExperiment', { path: file });
    expect(r.services).toEqual(['db', 'cache', 'worker', 'api']);
    expect(r.faults.length).toBeGreaterThanOrEqual(29);
    expect(r.faults.find((f) => f.id === 'container_pause')).toMatchObject({ family: 'container', revertible: true });
    expect(r.timeline).toMatchObject({ name: 'db_paused', steadyMs: 3000, recoveryMs: 3000 });
    expect(r.timeline.blocks).toMatchObject([{ fault: 'container_pause', service: 'db', startMs: 3000, durationMs: 3000, timing: 'after_steady_state' }]);
    expect(r.notEditable).toBeUndefined();
  });

  it('shows the diff first, saves only the experiment, and undoes', async () => {
    const api = await open();
    const before = readFileSync(file, 'utf8');
    const { timeline } = await api.ok('chaosExperiment', { path: file });
    const edited = { ...timeline, blocks: [{ ...moveBlock(timeline.blocks[0]!, 1000, 500), durationMs: 4500 }] };
    const { diff } = await api.ok('chaosPreview', { path: file, timeline: edited });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(diff.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual(['-timing = "after_steady_state"', '-duration_s = 3', '+timing = "after_steady_state_1s"', '+duration_s = 4.5']);
    const saved = await api.ok('chaosSave', { path: file, timeline: edited, diff });
    const after = readFileSync(file, 'utf8');
    expect(after).toBe(before.replace('timing = "after_steady_state"\nduration_s = 3\n', 'timing = "after_steady_state_1s"\nduration_s = 4.5\n'));
    expect(parseTestFile(after, { file }).errors).toEqual([]);
    const undone = await api.ok('chaosUndo', { token: saved.undoToken });
    expect(undone.diff).toContain('+duration_s = 3');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect((await api.refusal('chaosUndo', { token: saved.undoToken })).code).toBe('chaos.undo-unavailable');
  });

  it('refuses a save whose diff is not the one shown, an invalid timeline and a path not chosen', async () => {
    const api = await open();
    const { timeline } = await api.ok('chaosExperiment', { path: file });
    const edited = { ...timeline, blocks: [moveBlock(timeline.blocks[0]!, 2000, 500)] };
    const { diff } = await api.ok('chaosPreview', { path: file, timeline: edited });
    writeFileSync(file, `# edited meanwhile\n${readFileSync(file, 'utf8')}`);
    const stale = await api.refusal('chaosSave', { path: file, timeline: edited, diff });
    expect(stale).toMatchObject({ code: 'chaos.not-saved', message: expect.stringContaining('changed since its diff was shown') });
    const bad = { ...timeline, blocks: [{ ...timeline.blocks[0]!, params: { no_such: 1 } }] };
    const invalid = await api.refusal('chaosPreview', { path: file, timeline: bad });
    expect(invalid).toMatchObject({ code: 'chaos.not-saved', message: expect.stringMatching(/no longer validate.*db\.clnrm\.toml:\d+:\d+: .*no parameter "no_such"/) });
    const range = await api.refusal('chaosPreview', { path: file, timeline: { ...timeline, blocks: [{ ...timeline.blocks[0]!, fault: 'cpu_pressure', params: { workers: 10_000 } }] } });
    expect(range.code).toBe('chaos.not-saved');
    expect((await api.refusal('chaosPreview', { path: file, timeline: { ...timeline, blocks: [] } })).message).toMatch(/at least one fault/);
    expect((await api.refusal('chaosExperiment', { path: join(dir, 'elsewhere.clnrm.toml') })).code).not.toBe('ok');
  });

  it('says a template file is not editable and refuses to save it', async () => {
    writeFileSync(file, readFileSync(EXAMPLE, 'utf8').replace('name = "db_paused"', 'name = "{{ \'db_paused\' }}"'));
    const api = await open();
    const r = await api.ok('chaosExperiment', { path: file });
    expect(r.notEditable).toMatch(/templates/);
    expect((await api.refusal('chaosPreview', { path: file, timeline: r.timeline })).code).toBe('chaos.not-saved');
  });
});
