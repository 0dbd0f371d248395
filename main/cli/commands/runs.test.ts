// `clnrm runs` over a history written into a real data folder (the store closed, then the CLI opens it
// the way it opens any folder), and `clnrm traces --run` finding every trace of a run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionRecord, RunRecord } from '../../../shared/run/records';
import { openStore } from '../../store';
import { hexId, makeSpan, resourceFor } from '../../store/test-spans';
import { runCli } from '../testing';
import { parseTimeBound } from './runs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const NOW = Date.now();
const HOUR = 3_600_000;
const environment = { host: 'h', platform: 'linux', engine: 'unix:///var/run/docker.sock', clnrmVersion: '0.1.0', ci: false };

/** A data folder holding two runs: an old passing one of a.clnrm.toml, a recent failing one of b.clnrm.toml. */
async function history(): Promise<{ dir: string; file: (name: string) => string }> {
  const dir = mkdtempSync(join(tmpdir(), 'clnrm-cli-runs-'));
  dirs.push(dir);
  const file = (name: string) => join(dir, name);
  const store = await openStore({ dataDir: join(dir, 'db') });
  const run = (id: string, startedAt: number, extra: Partial<RunRecord>): RunRecord => ({ id, origin: 'cli', startedAt, endedAt: startedAt + 2500, environment, files: [], passed: 0, failed: 0, errors: 0, skipped: 0, ...extra });
  const exec = (id: string, runId: string, testFile: string, testName: string, extra: Partial<ExecutionRecord>): ExecutionRecord => ({
    id, runId, testFile, testFileHash: '', testName, scenario: 'main', iteration: 1, startedAt: NOW, failedExpectations: 0, failedSteps: 0, ...extra,
  });
  await store.recordRun(run('a0a0a0a0a0a0', NOW - 3 * 24 * HOUR, { verdict: 'passed', passed: 1, commit: 'c0ffee0123456789', files: [file('a.clnrm.toml')] }));
  await store.recordExecution(exec('e0e0e0e0e0e1', 'a0a0a0a0a0a0', file('a.clnrm.toml'), 'alpha', { verdict: 'passed', endedAt: NOW + 1200 }));
  await store.recordRun(run('b1b1b1b1b1b1', NOW - HOUR, { verdict: 'failed', failed: 1, files: [file('b.clnrm.toml')] }));
  await store.recordExecution(exec('e1e1e1e1e1e1', 'b1b1b1b1b1b1', file('b.clnrm.toml'), 'beta', { verdict: 'passed' }));
  await store.recordExecution(exec('e1e1e1e1e1e2', 'b1b1b1b1b1b1', file('b.clnrm.toml'), 'beta', { iteration: 2, verdict: 'failed', failedExpectations: 2 }));
  // The run's traces: the runner's own (run tag) and the system's (run and execution tags); another run's.
  store.ingest([makeSpan({ trace: 1, span: 1, name: 'clnrm.run', resource: resourceFor('clnrm', { 'clnrm.run_id': 'b1b1b1b1b1b1' }) })]);
  store.ingest([makeSpan({ trace: 2, span: 2, name: 'GET /', resource: resourceFor('api', { 'clnrm.run_id': 'b1b1b1b1b1b1', 'clnrm.execution_id': 'e1e1e1e1e1e2' }) })]);
  store.ingest([makeSpan({ trace: 3, span: 3, name: 'GET /', resource: resourceFor('api', { 'clnrm.run_id': 'a0a0a0a0a0a0', 'clnrm.execution_id': 'e0e0e0e0e0e1' }) })]);
  await store.dispose();
  return { dir, file };
}

describe('clnrm runs', () => {
  it('lists runs newest first with their executions, for people and as JSON', async () => {
    const { dir, file } = await history();
    const human = await runCli(['runs', '--data-dir', 'db'], { cwd: dir });
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^b1b1b1b1b1b1  \d{4}-\d\d-\d\dT.*Z  failed   0 passed, 1 failed, 0 errors, 0 skipped  \(cli, 2\.5 s\)$/);
    expect(lines[1]).toBe(`  ✓ beta › main  passed  execution e1e1e1e1e1e1  ${file('b.clnrm.toml')}`);
    expect(lines[2]).toBe(`  ✗ beta › main #2  failed  execution e1e1e1e1e1e2  (0 failed step(s), 2 failed expectation(s))  ${file('b.clnrm.toml')}`);
    expect(lines[3]).toMatch(/^a0a0a0a0a0a0  .*  passed   1 passed, .*  commit c0ffee0123  \(cli, 2\.5 s\)$/);
    expect(lines[4]).toBe(`  ✓ alpha › main  passed  1.2 s  execution e0e0e0e0e0e1  ${file('a.clnrm.toml')}`);
    expect(lines.at(-1)).toMatch(/^2 run\(s\), newest first/);

    const json = await runCli(['runs', '--data-dir', 'db', '--format', 'json'], { cwd: dir });
    const parsed = JSON.parse(json.stdout) as { runs: Array<{ run: RunRecord; executions: ExecutionRecord[] }> };
    expect(parsed.runs.map((r) => [r.run.id, r.run.verdict, r.executions.map((e) => [e.id, e.iteration, e.verdict])])).toEqual([
      ['b1b1b1b1b1b1', 'failed', [['e1e1e1e1e1e1', 1, 'passed'], ['e1e1e1e1e1e2', 2, 'failed']]],
      ['a0a0a0a0a0a0', 'passed', [['e0e0e0e0e0e1', 1, 'passed']]],
    ]);
  });

  it('filters by test name or file, status, time, commit and limit', async () => {
    const { dir } = await history();
    const ids = async (...args: string[]) => {
      const r = await runCli(['runs', '--data-dir', 'db', '--format', 'json', ...args], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { runs: Array<{ run: RunRecord }> }).runs.map((x) => x.run.id);
    };
    expect(await ids('--test', 'alpha')).toEqual(['a0a0a0a0a0a0']);
    expect(await ids('--test', 'b.clnrm.toml')).toEqual(['b1b1b1b1b1b1']);
    expect(await ids('--status', 'passed')).toEqual(['a0a0a0a0a0a0']);
    expect(await ids('--since', '2d')).toEqual(['b1b1b1b1b1b1']);
    expect(await ids('--until', new Date(NOW - 2 * 24 * HOUR).toISOString())).toEqual(['a0a0a0a0a0a0']);
    expect(await ids('--commit', 'C0FFEE')).toEqual(['a0a0a0a0a0a0']);
    expect(await ids('--limit', '1')).toEqual(['b1b1b1b1b1b1']);
    const none = await runCli(['runs', '--data-dir', 'db', '--test', 'gamma'], { cwd: dir });
    expect(none.stdout).toMatch(/^No runs match \(database: .*traces\.duckdb\)\./);
  });

  it('refuses bad filters with what to give instead', async () => {
    const { dir } = await history();
    for (const [args, why] of [
      [['--since', 'yesterday'], /ISO 8601 time .* or an age such as 30m/],
      [['--status', 'green'], /use one of: passed, failed, error, skipped/],
      [['--commit', 'xyz'], /hex digits/],
      [['--limit', '0'], /whole number from 1/],
    ] as const) {
      const r = await runCli(['runs', '--data-dir', 'db', ...args], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(why);
    }
    expect(parseTimeBound('90m', 10_000_000)).toBe(10_000_000 - 90 * 60_000);
  });
});

describe('clnrm traces --run', () => {
  it("finds the run's own trace and its system's traces, and --execution narrows to one execution", async () => {
    const { dir } = await history();
    const list = async (...args: string[]) =>
      (JSON.parse((await runCli(['traces', '--data-dir', 'db', '--format', 'json', ...args], { cwd: dir })).stdout) as { traces: Array<{ traceId: string }> }).traces.map((t) => t.traceId).sort();
    expect(await list('--run', 'b1b1b1b1b1b1')).toEqual([hexId(1, 32), hexId(2, 32)]);
    expect(await list('--execution', 'e1e1e1e1e1e2')).toEqual([hexId(2, 32)]);
    expect(await list('--run', 'a0a0a0a0a0a0')).toEqual([hexId(3, 32)]);
  });
});
