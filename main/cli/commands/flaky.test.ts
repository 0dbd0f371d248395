// `clnrm flaky` over a history written into a real data folder: scores per test and per expectation,
// the quarantine state from the knowledge store, and a broken knowledge file as a clear error.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../../shared/run/records';
import { openStore } from '../../store';
import { runCli } from '../testing';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const environment = { host: 'h', platform: 'linux', engine: 'unix:///var/run/docker.sock', clnrmVersion: '0.1.0', ci: false };
const evidence = (passed: boolean): ExecutionRecord['evidence'] => ({
  steps: [], containers: [], problems: [], traceHash: '', spanCount: 0,
  expectations: [{ expectation: 'span.toss', kind: 'span', passed, message: '', spans: [] }, { expectation: 'span.start', kind: 'span', passed: true, message: '', spans: [] }],
});

/** coin: F P F P (flaky); steady: P P P P. */
async function history(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'clnrm-cli-flaky-'));
  dirs.push(dir);
  const store = await openStore({ dataDir: join(dir, 'db') });
  const coin = [false, true, false, true];
  for (let i = 0; i < 4; i++) {
    const runId = `r${i}r${i}r${i}r${i}`;
    await store.recordRun({ id: runId, origin: 'cli', startedAt: 1000 * i, environment, files: [], passed: 0, failed: 0, errors: 0, skipped: 0 });
    const exec = (id: string, file: string, name: string, passed: boolean): ExecutionRecord => ({
      id, runId, testFile: join(dir, file), testFileHash: '', testName: name, scenario: 'main', iteration: 1, startedAt: 1000 * i, verdict: passed ? 'passed' : 'failed', failedExpectations: passed ? 0 : 1, failedSteps: 0, evidence: evidence(passed),
    });
    await store.recordExecution(exec(`c${i}c${i}c${i}c${i}`, 'coin.clnrm.toml', 'coin', coin[i]!));
    await store.recordExecution(exec(`s${i}s${i}s${i}s${i}`, 'steady.clnrm.toml', 'steady', true));
  }
  await store.dispose();
  return dir;
}

describe('clnrm flaky', () => {
  it('scores tests and expectations from the history, flakiest first, with the quarantine state', async () => {
    const dir = await history();
    mkdirSync(join(dir, 'db', '.clnrm'));
    writeFileSync(join(dir, 'db', '.clnrm', 'quarantine.json'), JSON.stringify({ version: 1, tests: [{ file: '../coin.clnrm.toml', test: 'coin', since: '2026-01-01T00:00:00.000Z', reason: 'flaky', consecutivePasses: 1 }] }));
    const json = await runCli(['flaky', '--data-dir', 'db', '--format', 'json'], { cwd: dir });
    expect(json.code).toBe(0);
    const { tests } = JSON.parse(json.stdout) as { tests: { test: string; score: number; flaky: boolean; outcomes: string; quarantine: unknown; expectations: { expectation: string; score: number }[] }[] };
    expect(tests.map((t) => [t.test, t.outcomes, t.score, t.flaky])).toEqual([['coin', 'FPFP', 1, true], ['steady', 'PPPP', 0, false]]);
    expect(tests[0]!.quarantine).toMatchObject({ consecutivePasses: 1 });
    expect(tests[0]!.expectations).toEqual([expect.objectContaining({ expectation: 'span.toss', score: 1 }), expect.objectContaining({ expectation: 'span.start', score: 0 })]);
    const human = await runCli(['flaky', '--data-dir', 'db'], { cwd: dir });
    expect(human.stdout).toMatch(/^1\.00 +FPFP +coin › main .*2\/4 failed, 3 flips +QUARANTINED since 2026-01-01/m);
    expect(human.stdout).toMatch(/1\.00 +expectation span\.toss: 2\/4 failed, 3 flips/);
  });

  it('a broken quarantine list is an error that names the file (exit 2)', async () => {
    const dir = await history();
    mkdirSync(join(dir, 'db', '.clnrm'));
    writeFileSync(join(dir, 'db', '.clnrm', 'quarantine.json'), '{"version": 2}');
    const r = await runCli(['flaky', '--data-dir', 'db'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/healing\.knowledge|quarantine\.json does not have the shape of quarantine\.json: version/);
  });
});
