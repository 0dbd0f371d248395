// clnrm heal's bookkeeping without Docker: proposals from a stored run (verification injected), ids that
// stay the same for the same diff, apply / undo keeping every other byte, a stale patch refused, and a
// rejected proposal not offered again.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Classification } from '../../shared/healing';
import { unifiedDiff } from '../../shared/spec';
import type { RunHistoryEntry } from '../store';
import { applyProposal, healRun, proposalId, rejectProposal, undoProposal, type HealDeps } from './heal';
import { KnowledgeStore } from './knowledge-store';

const FILE = `# a comment the patch must keep
[meta]
name = "nd"
version = "1"

[determinism]
iterations = 2   # two runs

[[steps]]
name = "s"
command = ["true"]
`;
const determinism: Classification = {
  class: 'determinism_violation',
  confidence: 0.9,
  evidence: [{ kind: 'determinism', detail: 'iteration 2 differs from iteration 1 (1 differences)' }, { kind: 'determinism', detail: 'x: x: attribute order.token changed from "a" to "b"' }],
};

let root: string;
let file: string;
let deps: HealDeps & { verified: string[] };
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'clnrm-heal-unit-'));
  file = join(root, 'nd.clnrm.toml');
  await writeFile(file, FILE);
  const verified: string[] = [];
  deps = { knowledge: new KnowledgeStore(join(root, '.clnrm')), env: {}, now: new Date('2026-01-01T00:00:00Z'), verified, verify: async (_f, text) => (verified.push(text), { runs: 2, passed: 2 }) };
});
afterEach(() => rm(root, { recursive: true, force: true }));

function run(): RunHistoryEntry {
  const evidence = { steps: [], containers: [], expectations: [], problems: [], traceHash: '', spanCount: 0, classification: determinism };
  return {
    run: { id: 'r1', origin: 'cli', startedAt: 0, environment: { host: 'h', platform: 'linux', engine: 'e', clnrmVersion: '0', ci: false }, files: [file], passed: 0, failed: 1, errors: 0, skipped: 0 },
    executions: [{ id: 'e2', runId: 'r1', testFile: file, testFileHash: '', testName: 'nd', scenario: 's', iteration: 2, startedAt: 1, verdict: 'passed', failedExpectations: 0, failedSteps: 0, evidence }],
  };
}

describe('heal', () => {
  it('proposes the verified patch, saves it, applies it byte-exactly, and undoes it', async () => {
    const [failure] = await healRun(deps, run());
    const patch = failure!.patches[0]!;
    expect(patch).toMatchObject({ file: 'nd.clnrm.toml', kind: 'exclude-nondeterministic-attributes', verified: true, verification: { runs: 2, passed: 2 } });
    expect(patch.id).toBe(proposalId('nd.clnrm.toml', patch.kind, patch.diff));
    expect(deps.verified[0]).toContain('exclude_fields = ["order.token"]');
    expect(await readFile(file, 'utf8')).toBe(FILE);
    expect((await deps.knowledge.read('proposals')).proposals.map((p) => p.id)).toEqual([patch.id]);

    await applyProposal(deps.knowledge, patch.id, deps.now);
    expect(await readFile(file, 'utf8')).toBe(FILE.replace('iterations = 2   # two runs\n', 'iterations = 2   # two runs\nexclude_fields = ["order.token"]\n'));
    await undoProposal(deps.knowledge, patch.id);
    expect(await readFile(file, 'utf8')).toBe(FILE);
    await expect(undoProposal(deps.knowledge, patch.id)).rejects.toMatchObject({ problem: { code: 'healing.no-proposal' } });
  });

  it('a patch whose lines changed since is refused as stale; an unknown id is healing.no-proposal', async () => {
    const [failure] = await healRun(deps, run());
    await writeFile(file, FILE.replace('iterations = 2   # two runs', 'iterations = 3'));
    await expect(applyProposal(deps.knowledge, failure!.patches[0]!.id, deps.now)).rejects.toMatchObject({ problem: { code: 'healing.patch-stale' } });
    await expect(applyProposal(deps.knowledge, '00000000', deps.now)).rejects.toMatchObject({ problem: { code: 'healing.no-proposal' } });
  });

  it('a rejected proposal is not offered again', async () => {
    const [failure] = await healRun(deps, run());
    await rejectProposal(deps.knowledge, failure!.patches[0]!.id, deps.now);
    const [again] = await healRun(deps, run());
    expect(again!.patches).toEqual([]);
    expect((await deps.knowledge.read('decisions')).rejected).toMatchObject([{ id: failure!.patches[0]!.id, kind: 'exclude-nondeterministic-attributes' }]);
  });

  it('a patch that fails a rerun is not verified', async () => {
    const [failure] = await healRun({ ...deps, verify: async () => ({ runs: 1, passed: 0, note: 'rerun 1 failed' }) }, run());
    expect(failure!.patches[0]).toMatchObject({ verified: false, verification: { runs: 1, passed: 0, note: 'rerun 1 failed' } });
  });

  it('applies only the chosen hunks, undoes exactly those, and refuses a choice naming no hunk', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => `# line ${i + 1}`);
    const text = `${lines.join('\n')}\n${FILE}`;
    await writeFile(file, text);
    const both = text.replace('# line 2\n', '# line 2 changed\n').replace('iterations = 2   # two runs\n', 'iterations = 2   # two runs\nexclude_fields = ["x"]\n');
    const diff = unifiedDiff(text, both, 'nd.clnrm.toml');
    const base = { file: 'nd.clnrm.toml', test: 'nd', kind: 'k', description: 'd', reason: 'r', evidence: [], classification: determinism, verified: false, verification: { runs: 0, passed: 0 }, runId: 'r1', createdAt: '' };
    await deps.knowledge.write('proposals', { version: 1, proposals: [{ ...base, id: 'abcdef01', diff }] });

    await expect(applyProposal(deps.knowledge, 'abcdef01', deps.now, [])).rejects.toMatchObject({ problem: { code: 'healing.hunks' } });
    await expect(applyProposal(deps.knowledge, 'abcdef01', deps.now, [2])).rejects.toMatchObject({ problem: { code: 'healing.hunks' } });
    expect(await readFile(file, 'utf8')).toBe(text);

    // The second hunk alone: the first one's line stays as it was.
    const applied = await applyProposal(deps.knowledge, 'abcdef01', deps.now, [1]);
    expect(await readFile(file, 'utf8')).toBe(text.replace('iterations = 2   # two runs\n', 'iterations = 2   # two runs\nexclude_fields = ["x"]\n'));
    expect(applied.applied).not.toContain('line 2 changed');
    expect((await deps.knowledge.read('decisions')).applied).toMatchObject([{ id: 'abcdef01', diff: applied.applied }]);
    await undoProposal(deps.knowledge, 'abcdef01');
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});
