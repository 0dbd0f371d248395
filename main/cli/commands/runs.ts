// `clnrm runs`: the run history (every `clnrm run` and studio Run, with each execution of each test),
// filtered by test, verdict, time and commit, as lines for people or JSON for tools.
import { isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { RunQuery } from '../../../shared/run/records';
import type { RunHistoryEntry } from '../../store';
import type { CliContext } from '../context';
import { withStore } from '../with-store';

interface RunsOptions {
  dataDir?: string;
  test?: string;
  status?: 'passed' | 'failed' | 'error' | 'skipped';
  since?: number;
  until?: number;
  commit?: string;
  limit: number;
  format: 'human' | 'json';
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** An ISO 8601 time, or an age such as `90m`, `2h`, `3d`, `1w` (that long before now). */
export function parseTimeBound(value: string, now = Date.now()): number {
  const age = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(value.trim());
  if (age) return now - Number(age[1]) * UNIT_MS[age[2]!]!;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new InvalidArgumentError('give an ISO 8601 time (2026-01-31T12:00:00Z) or an age such as 30m, 2h, 3d, 1w.');
  return t;
}

function positive(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 10_000) throw new InvalidArgumentError('give a whole number from 1 to 10000.');
  return Number(value);
}

function commitSha(value: string): string {
  if (!/^[0-9a-fA-F]{4,40}$/.test(value)) throw new InvalidArgumentError('give 4 to 40 hex digits of a commit, e.g. 3f89603.');
  return value.toLowerCase();
}

function choice<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`use one of: ${allowed.join(', ')}.`);
    return value as T;
  };
}

/** `--test` names a test file when it looks like a path, else a test (`[meta] name`). */
export function testFilter(value: string, cwd: string): Pick<RunQuery, 'testFile' | 'testName'> {
  const looksLikePath = value.includes('/') || value.includes('\\') || value.endsWith('.toml');
  return looksLikePath ? { testFile: isAbsolute(value) ? value : resolve(cwd, value) } : { testName: value };
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const MARK = { passed: '✓', failed: '✗', error: '!', skipped: '-' } as const;

/** Lines for one run: a head line, then one line per execution. */
export function runLines(entry: RunHistoryEntry): string[] {
  const { run, executions } = entry;
  const verdict = run.verdict ?? (run.endedAt === undefined ? 'running' : 'unknown');
  const took = run.endedAt !== undefined ? `, ${seconds(run.endedAt - run.startedAt)}` : '';
  const commit = run.commit ? `  commit ${run.commit.slice(0, 10)}` : '';
  const counts = `${run.passed} passed, ${run.failed} failed, ${run.errors} errors, ${run.skipped} skipped`;
  const lines = [`${run.id}  ${new Date(run.startedAt).toISOString()}  ${verdict.padEnd(7)}  ${counts}${commit}  (${run.origin}${took})`];
  for (const e of executions) {
    const mark = e.verdict ? MARK[e.verdict] : '…';
    const iteration = e.iteration > 1 ? ` #${e.iteration}` : '';
    const took = e.endedAt !== undefined ? `  ${seconds(e.endedAt - e.startedAt)}` : '';
    const failures = e.failedSteps + e.failedExpectations > 0 ? `  (${e.failedSteps} failed step(s), ${e.failedExpectations} failed expectation(s))` : '';
    lines.push(`  ${mark} ${e.testName} › ${e.scenario}${iteration}  ${e.verdict ?? 'running'}${took}  execution ${e.id}${failures}  ${e.testFile}`);
  }
  return lines;
}

export function registerRuns(program: Command, ctx: CliContext): void {
  program
    .command('runs')
    .description('List the run history: each clnrm run / studio Run with its executions')
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder)')
    .option('--test <name|file>', 'runs that executed this test (its [meta] name) or this test file')
    .option('--status <verdict>', 'runs with this verdict: passed, failed, error or skipped', choice(['passed', 'failed', 'error', 'skipped'] as const))
    .option('--since <iso|age>', 'runs started at or after this time (ISO 8601, or an age: 30m, 2h, 3d, 1w)', (v) => parseTimeBound(v))
    .option('--until <iso|age>', 'runs started at or before this time', (v) => parseTimeBound(v))
    .option('--commit <sha>', 'runs of this git commit (a prefix of 4+ hex digits is enough)', commitSha)
    .option('--limit <n>', 'most runs to show, newest first', positive, 20)
    .option('--format <format>', 'human or json', choice(['human', 'json'] as const), 'human')
    .action(async (options: RunsOptions) => {
      await withStore(ctx, 'runs', options.dataDir, async (store) => {
        const query: RunQuery = {
          limit: options.limit,
          ...(options.test !== undefined ? testFilter(options.test, ctx.cwd) : {}),
          ...(options.status !== undefined ? { verdict: options.status } : {}),
          ...(options.since !== undefined ? { since: options.since } : {}),
          ...(options.until !== undefined ? { until: options.until } : {}),
          ...(options.commit !== undefined ? { commit: options.commit } : {}),
        };
        const runs = await store.listRuns(query);
        if (options.format === 'json') ctx.out(JSON.stringify({ runs }, null, 2));
        else if (runs.length === 0) ctx.out(`No runs match (database: ${store.path}).`);
        else {
          for (const entry of runs) for (const line of runLines(entry)) ctx.out(line);
          ctx.out(`${runs.length} run(s), newest first. \`clnrm traces --run ID\` lists a run's traces.`);
        }
      });
    });
}
