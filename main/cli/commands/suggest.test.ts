// `clnrm suggest` end to end in-process: real files on disk, real trace codecs, the real store, the
// real writer and atomic write; the written file is then checked by `clnrm validate` and `clnrm analyze`.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diffLines } from 'diff';
import { parse } from 'smol-toml';
import { formatTraceFile } from '../../../shared/otlp';
import { syntheticRun, syntheticRuns } from '../../../shared/intelligence/synthetic';
import { knowledgeOf, mutateRun } from '../../../shared/intelligence/mutate';
import { mulberry32 } from '../../../shared/random';
import type { Span } from '../../../shared/model';
import type { ExecutionRecord, RunRecord } from '../../../shared/run/records';
import { openStore } from '../../store';
import { RUNNER_SCOPE } from '../../runner/self-trace';
import { runCli } from '../testing';

const TEST = `# Read-through cache service (comments and layout must survive)
[meta]
name   =  "orders"

[[scenario]]
name = "read"
run = "true"

[expect.status]
all = "OK"   # every span
`;

let dir: string;
let traces: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clnrm-suggest-'));
  await writeFile(join(dir, 'orders.clnrm.toml'), TEST);
  // 24 correct runs, half as OTLP JSON and half as OTLP JSONL: each file is one run.
  traces = [];
  for (const [k, run] of syntheticRuns(24, 21).entries()) {
    const name = k % 2 ? `run${k}.jsonl` : `run${k}.json`;
    await writeFile(join(dir, name), formatTraceFile(run.spans, k % 2 ? 'otlp-jsonl' : 'otlp-json'));
    traces.push(name);
  }
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface JsonSuggestion { id: string; kind: string; support: number; confidence: number; evidence: string[]; snippet: string; conditional: boolean }
const suggestJson = async (...extra: string[]) => {
  const r = await runCli(['suggest', 'orders.clnrm.toml', '--traces', ...traces, '--format', 'json', ...extra], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { runs: number; groups: { frequency: number }[]; suggestions: JsonSuggestion[]; written?: { ids: string[] } };
};

describe('clnrm suggest --traces', () => {
  it('lists suggestions grouped by kind with id, support, confidence, evidence and snippet', async () => {
    const r = await runCli(['suggest', 'orders.clnrm.toml', '--traces', ...traces], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Learned from 24 run(s)');
    expect(r.stdout).toMatch(/^span \(\d+\)$/m);
    expect(r.stdout).toMatch(/^order \(\d+\)$/m);
    expect(r.stdout).toMatch(/^ {2}span-[0-9a-f]{8} {2}every run has "cache.get" \(kind client, parent "api.get_item"\)$/m);
    expect(r.stdout).toMatch(/support 24\/24 runs, confidence 1\.0000/);
    expect(r.stdout).toMatch(/evidence: [0-9a-f]{16}/);
    const json = await suggestJson();
    expect(json.runs).toBe(24);
    expect(json.groups.reduce((n, g) => n + g.frequency, 0)).toBeCloseTo(1, 10);
    expect(json.suggestions.every((s) => s.confidence >= 0.99 && s.support >= 2 && /^[a-z]+-[0-9a-f]{8}$/.test(s.id))).toBe(true);
    // What the file already says (every span OK) is not suggested again.
    expect(json.suggestions.some((s) => s.snippet.includes('all = "OK"'))).toBe(false);
    expect(json.suggestions.some((s) => s.conditional && s.snippet.includes('must_precede_when_present'))).toBe(true);
  });

  it('--format toml prints every suggestion as TOML the schema accepts', async () => {
    const r = await runCli(['suggest', 'orders.clnrm.toml', '--traces', ...traces, '--format', 'toml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^# clnrm suggest: \d+ suggestion\(s\) from 24 run\(s\)/);
    await writeFile(join(dir, 'only.clnrm.toml'), `[meta]\nname = "x"\n\n[[scenario]]\nname = "s"\nrun = "true"\n\n${r.stdout}`);
    const v = await runCli(['validate', 'only.clnrm.toml'], { cwd: dir });
    expect(v.stdout).toContain('1 valid, 0 invalid (0 errors, 0 warnings)');
  });

  it('--accept writes two suggestions, keeping every other byte; analyze then passes on every run', async () => {
    const { suggestions } = await suggestJson();
    const ids = [suggestions.find((s) => s.kind === 'order')!.id, suggestions.find((s) => s.kind === 'duration')!.id];
    const r = await runCli(['suggest', 'orders.clnrm.toml', '--traces', ...traces, '--accept', ...ids], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Wrote 2 suggestion(s) to orders.clnrm.toml.');
    const after = await readFile(join(dir, 'orders.clnrm.toml'), 'utf8');
    expect(diffLines(TEST, after).filter((p) => p.removed)).toEqual([]);
    expect(diffLines(TEST, after).filter((p) => !p.added).map((p) => p.value).join('')).toBe(TEST);
    for (const t of traces.slice(0, 4)) expect((await runCli(['analyze', 'orders.clnrm.toml', '--traces', t], { cwd: dir })).code).toBe(0);
    const again = await suggestJson();
    expect(again.suggestions.map((s) => s.id)).not.toContain(ids[0]);
  });

  it('--write writes all, the file validates, a fresh run passes and a mutant fails', async () => {
    const before = await suggestJson();
    const w = await suggestJson('--write');
    expect(w.written!.ids).toHaveLength(before.suggestions.length);
    expect((await runCli(['validate', 'orders.clnrm.toml'], { cwd: dir })).code).toBe(0);
    await writeFile(join(dir, 'fresh.json'), formatTraceFile(syntheticRun(99, 0).spans, 'otlp-json'));
    const mutant = mutateRun(syntheticRun(99, 1), 'missing-event', knowledgeOf(syntheticRuns(24, 21)), mulberry32(1))!;
    await writeFile(join(dir, 'mutant.json'), formatTraceFile(mutant.spans, 'otlp-json'));
    expect((await runCli(['analyze', 'orders.clnrm.toml', '--traces', 'fresh.json'], { cwd: dir })).code).toBe(0);
    const caught = await runCli(['analyze', 'orders.clnrm.toml', '--traces', 'mutant.json'], { cwd: dir });
    expect(caught.code).toBe(1);
    expect(caught.stdout).toMatch(/✗ expect\.span\[\d+\] .*token\.verified/);
    expect((await suggestJson('--write')).written!.ids).toEqual([]);
    expect(Object.keys(parse(await readFile(join(dir, 'orders.clnrm.toml'), 'utf8')))).toEqual(['meta', 'scenario', 'expect', 'orchestration']);
  });
});

describe('clnrm suggest refuses bad input', () => {
  it('without a source, with both --write and --accept, with an unknown id or an unreadable trace file', async () => {
    const none = await runCli(['suggest', 'orders.clnrm.toml'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--traces FILE...');
    const both = await runCli(['suggest', 'orders.clnrm.toml', '--traces', traces[0]!, '--write', '--accept', 'x'], { cwd: dir });
    expect(both.code).toBe(2);
    const unknown = await runCli(['suggest', 'orders.clnrm.toml', '--traces', ...traces, '--accept', 'span-00000000'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('[suggest.unknown-id]');
    const missing = await runCli(['suggest', 'orders.clnrm.toml', '--traces', 'nope.json'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json');
    const confidence = await runCli(['suggest', 'orders.clnrm.toml', '--traces', traces[0]!, '--min-confidence', '2'], { cwd: dir });
    expect(confidence.code).toBe(2);
    const group = await runCli(['suggest', 'orders.clnrm.toml', '--traces', traces[0]!, '--group', 'zz'], { cwd: dir });
    expect(group.code).toBe(2);
    expect(await readFile(join(dir, 'orders.clnrm.toml'), 'utf8')).toBe(TEST);
  });

  it('--group mines one structure group', async () => {
    const all = (await suggestJson()) as unknown as { groups: { id: string; runs: string[] }[] };
    const [first] = all.groups;
    const one = (await suggestJson('--group', first!.id.slice(0, 8))) as unknown as { runs: number };
    expect(one.runs).toBe(first!.runs.length);
    const human = await runCli(['suggest', 'orders.clnrm.toml', '--traces', ...traces, '--group', first!.id.slice(0, 8)], { cwd: dir });
    expect(human.stdout).toContain(`Learned from ${first!.runs.length} run(s) of 24 (one structure group)`);
  });

  it('does not edit a template file', async () => {
    await writeFile(join(dir, 'tpl.clnrm.toml'), TEST.replace('"orders"', '"{{ name | default(value=\'orders\') }}"'));
    const r = await runCli(['suggest', 'tpl.clnrm.toml', '--traces', ...traces, '--write'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[suggest.not-written]');
  });
});

describe('clnrm suggest --runs', () => {
  const environment = { host: 'h', platform: 'linux', engine: 'unix:///var/run/docker.sock', clnrmVersion: '0.1.0', ci: false };
  const tagged = (spans: readonly Span[], execution: string): Span[] =>
    spans.map((s) => ({ ...s, resource: { attributes: [...s.resource.attributes, { key: 'clnrm.execution_id', value: { stringValue: execution } }] } }));

  it('learns from the passed executions of the last N stored runs of the test file, without the runner spans', async () => {
    const store = await openStore({ dataDir: join(dir, 'db') });
    const file = join(dir, 'orders.clnrm.toml');
    const runs = syntheticRuns(10, 31);
    for (const [k, run] of runs.entries()) {
      const runId = `r${k.toString().padStart(11, '0')}`;
      const execId = `e${k.toString().padStart(11, '0')}`;
      const record: RunRecord = { id: runId, origin: 'cli', startedAt: 1_000 + k, endedAt: 2_000 + k, environment, files: [file], passed: 1, failed: 0, errors: 0, skipped: 0 };
      await store.recordRun(record);
      const verdict = k === 9 ? 'failed' : 'passed';
      const exec: ExecutionRecord = { id: execId, runId, testFile: file, testFileHash: '', testName: 'orders', scenario: 'read', iteration: 1, startedAt: 1_000 + k, verdict, failedExpectations: 0, failedSteps: 0 };
      await store.recordExecution(exec);
      const runner = { ...run.spans[0]!, spanId: 'f'.repeat(15) + k.toString(16), parentSpanId: undefined, name: 'clnrm.step:read', scope: { name: RUNNER_SCOPE } };
      store.ingest(tagged([...run.spans, runner], execId));
    }
    await store.dispose();
    // The file also expects a runner span: stored runs are mined without them, so that is not a conflict.
    await writeFile(file, `${TEST}\n[[expect.span]]\nname = "clnrm.step:read"\n`);
    const r = await runCli(['suggest', 'orders.clnrm.toml', '--runs', '8', '--data-dir', 'db', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { runs: number; suggestions: JsonSuggestion[]; conflicts: unknown[] };
    expect(report.conflicts).toEqual([]);
    expect(r.stderr).toContain("1 expectation(s) about the runner's own spans (clnrm.*) were not checked");
    // The last 8 runs hold executions 2..9; 9 failed.
    expect(report.runs).toBe(7);
    expect(r.stderr).toContain('1 execution(s) that did not pass were left out');
    expect(report.suggestions.some((s) => s.snippet.includes('clnrm.step'))).toBe(false);
    expect(report.suggestions.some((s) => s.snippet.includes('"cache.get"'))).toBe(true);
  });
});

describe('clnrm suggest --since/--until', () => {
  const environment = { host: 'h', platform: 'linux', engine: 'unix:///var/run/docker.sock', clnrmVersion: '0.1.0', ci: false };
  const tagged = (spans: readonly Span[], tags: Record<string, string>): Span[] =>
    spans.map((s) => ({ ...s, resource: { attributes: [...s.resource.attributes, ...Object.entries(tags).map(([key, v]) => ({ key, value: { stringValue: v } }))] } }));

  it('learns from the stored traces of a time range: a test execution is one run (passed ones only), any other trace is one', async () => {
    const store = await openStore({ dataDir: join(dir, 'db') });
    const file = join(dir, 'orders.clnrm.toml');
    // Synthetic run k starts k seconds after 1,750,000,000 s; 0–9 are test executions (9 failed), 10 and 11 imported traces.
    for (const [k, run] of syntheticRuns(12, 41).entries()) {
      if (k >= 10) {
        store.ingest(run.spans);
        continue;
      }
      const runId = `r${k.toString().padStart(11, '0')}`;
      const execId = `e${k.toString().padStart(11, '0')}`;
      await store.recordRun({ id: runId, origin: 'cli', startedAt: 1_000 + k, endedAt: 2_000 + k, environment, files: [file], passed: 1, failed: 0, errors: 0, skipped: 0 });
      const exec: ExecutionRecord = { id: execId, runId, testFile: file, testFileHash: '', testName: 'orders', scenario: 'read', iteration: 1, startedAt: 1_000 + k, verdict: k === 9 ? 'failed' : 'passed', failedExpectations: 0, failedSteps: 0 };
      await store.recordExecution(exec);
      store.ingest(tagged(run.spans, { 'clnrm.run_id': runId, 'clnrm.execution_id': execId }));
    }
    await store.dispose();
    const at = (seconds: number) => new Date((1_750_000_000 + seconds) * 1000).toISOString();
    const r = await runCli(['suggest', 'orders.clnrm.toml', '--since', at(3), '--until', at(11.5), '--data-dir', 'db', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { runs: number; suggestions: JsonSuggestion[] };
    // Executions 3–8 (9 failed) and the two imported traces.
    expect(report.runs).toBe(8);
    expect(r.stderr).toContain('9 stored trace(s) in the range: 6 passed test execution(s) and 2 other trace(s), one run each');
    expect(r.stderr).toContain('1 test execution(s) that did not pass');
    expect(report.suggestions.some((s) => s.snippet.includes('"cache.get"'))).toBe(true);
    const limited = await runCli(['suggest', 'orders.clnrm.toml', '--since', at(3), '--limit', '2', '--data-dir', 'db', '--format', 'json'], { cwd: dir });
    expect(limited.stderr).toContain('2 stored trace(s) in the range: 0 passed test execution(s) and 2 other trace(s)');
  });

  it('refuses a second source, an end before the start and a time it cannot read', async () => {
    const both = await runCli(['suggest', 'orders.clnrm.toml', '--since', '2h', '--runs', '3'], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('one source');
    const backwards = await runCli(['suggest', 'orders.clnrm.toml', '--since', '2026-12-02', '--until', '2026-12-01'], { cwd: dir });
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('--until is before --since');
    const unreadable = await runCli(['suggest', 'orders.clnrm.toml', '--since', 'yesterday'], { cwd: dir });
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain('give a date-time like 2026-12-07T14:00:00Z, or a time ago like 90s, 30m, 2h or 7d');
    const limit = await runCli(['suggest', 'orders.clnrm.toml', '--traces', ...traces, '--limit', '3'], { cwd: dir });
    expect(limit.stderr).toContain('--limit (how many traces to read) goes with --from or --since/--until');
  });
});
