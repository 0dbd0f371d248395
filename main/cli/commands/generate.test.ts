// `clnrm generate` end to end in-process: trace files on disk → new test files, each checked by
// `clnrm validate` and by `clnrm analyze` against every trace it was learned from; --force, --config.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { formatTraceFile } from '../../../shared/otlp';
import { syntheticRuns } from '../../../shared/intelligence/synthetic';
import type { ExecutionRecord, RunRecord } from '../../../shared/run/records';
import { openStore } from '../../store';
import { runCli } from '../testing';

let dir: string;
let traces: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clnrm-generate-'));
  traces = [];
  // 40 correct runs and 8 whose cache.get timed out (one error pattern); each file is one run.
  for (const [k, run] of syntheticRuns(40, 7).entries()) {
    traces.push(`ok${k}.json`);
    await writeFile(join(dir, `ok${k}.json`), formatTraceFile(run.spans, 'otlp-json'));
  }
  for (const [k, run] of syntheticRuns(8, 4).entries()) {
    const spans = run.spans.map((s) => (s.name === 'cache.get' ? { ...s, status: { code: 'error' as const, message: 'timeout' } } : s));
    traces.push(`failed${k}.json`);
    await writeFile(join(dir, `failed${k}.json`), formatTraceFile(spans, 'otlp-jsonl'));
  }
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface JsonReport { runs: number; files: { file: string; kind: string; runs: number; confidence: number }[]; skipped: { what: string; reason: string }[] }

async function generated(folder: string): Promise<Map<string, string>> {
  const names = (await readdir(join(dir, folder))).sort();
  return new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, folder, n), 'utf8')] as const)));
}

describe('clnrm generate', () => {
  it('writes a file per common path and per error pattern; each validates and passes on every trace it came from', async () => {
    const r = await runCli(['generate', '--from', ...traces, '--out', 'gen', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.runs).toBe(48);
    expect(report.files.map((f) => f.kind).sort()).toEqual(['common_path', 'common_path', 'error_pattern']);
    const files = await generated('gen');
    expect([...files.keys()]).toEqual(report.files.map((f) => f.file.slice(4)).sort());
    for (const [name, text] of files) {
      const v = await runCli(['validate', join('gen', name)], { cwd: dir });
      expect(v.stdout).toContain('1 valid, 0 invalid (0 errors, 0 warnings)');
      // Already in the canonical layout `clnrm fmt` writes.
      expect((await runCli(['fmt', '--check', join('gen', name)], { cwd: dir })).code).toBe(0);
      const meta = (parse(text) as { meta: { generated_by: string; source_traces: string[]; confidence: number } }).meta;
      expect(meta.generated_by).toBe('clnrm generate');
      expect(meta.confidence).toBeGreaterThanOrEqual(0.99);
      for (const trace of meta.source_traces) {
        const a = await runCli(['analyze', join('gen', name), '--traces', trace], { cwd: dir });
        expect(a.stdout).toMatch(/expectations?: (\d+) passed, 0 failed/);
        expect(a.code).toBe(0);
      }
      // The error file expects the error; a path file fails on a run where it happened.
      if (name.startsWith('error-')) expect(meta.source_traces.every((t) => t.startsWith('failed'))).toBe(true);
      else expect((await runCli(['analyze', join('gen', name), '--traces', 'failed0.json'], { cwd: dir })).code).toBe(1);
    }
  });

  it('never overwrites without --force, and writes the same names and text again', async () => {
    expect((await runCli(['generate', '--from', ...traces, '--out', 'gen'], { cwd: dir })).code).toBe(0);
    const before = await generated('gen');
    await writeFile(join(dir, 'gen', [...before.keys()][0]!), '# edited by hand\n');
    const again = await runCli(['generate', '--from', ...traces, '--out', 'gen'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exist\(s\); nothing was written.*\[generate\.exists\]/);
    expect((await generated('gen')).get([...before.keys()][0]!)).toBe('# edited by hand\n');
    const forced = await runCli(['generate', '--from', ...traces, '--out', 'gen', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/wrote gen\/path-[0-9a-f]{8}\.clnrm\.toml {2}common path {2}\d+ run\(s\)/);
    expect(await generated('gen')).toEqual(before);
  });

  it('--config reads [intelligence]: sources, rules (no error files, no baseline) and the output folder', async () => {
    await writeFile(
      join(dir, 'learn.clnrm.toml'),
      `[meta]\nname = "learn"\n\n[[scenario]]\nname = "s"\nrun = "true"\n
[intelligence.trace_analysis]
sources = [{ type = "file", path = "*.json" }]

[[intelligence.generation.rule]]
type = "common_path_coverage"
min_frequency = 0.5

[intelligence.generation.output]
directory = "tests/generated"
`,
    );
    const r = await runCli(['generate', '--config', 'learn.clnrm.toml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/skipped path [0-9a-f]{8} \(GET \/item\): [\d.]+ % of the runs, under the minimum frequency 0.5/);
    const files = await generated('tests/generated');
    expect(files.size).toBe(1);
    const [name, text] = [...files][0]!;
    expect(name).toMatch(/^path-/);
    expect(text).not.toContain('duration_ms');
  });

  it('learns from the stored runs of a test file (runs:TEST): source_traces are the execution ids', async () => {
    const store = await openStore({ dataDir: join(dir, 'db') });
    const file = join(dir, 'orders.clnrm.toml');
    await writeFile(file, '[meta]\nname = "orders"\n\n[[scenario]]\nname = "read"\nrun = "true"\n');
    const environment = { host: 'h', platform: 'linux', engine: 'unix:///var/run/docker.sock', clnrmVersion: '0.1.0', ci: false };
    // Every run takes the cache-hit path: one common path of 9 executions.
    const runs = syntheticRuns(40, 7).filter((r) => !r.spans.some((x) => x.name === 'db.query')).slice(0, 9);
    for (const [k, run] of runs.entries()) {
      const [runId, execId] = [`r${k}`.padEnd(12, '0'), `e${k}`.padEnd(12, '0')];
      const record: RunRecord = { id: runId, origin: 'cli', startedAt: 1_000 + k, endedAt: 2_000 + k, environment, files: [file], passed: 1, failed: 0, errors: 0, skipped: 0 };
      await store.recordRun(record);
      const exec: ExecutionRecord = { id: execId, runId, testFile: file, testFileHash: '', testName: 'orders', scenario: 'read', iteration: 1, startedAt: 1_000 + k, verdict: 'passed', failedExpectations: 0, failedSteps: 0 };
      await store.recordExecution(exec);
      store.ingest(run.spans.map((x) => ({ ...x, resource: { attributes: [...x.resource.attributes, { key: 'clnrm.execution_id', value: { stringValue: execId } }] } })));
    }
    await store.dispose();
    const r = await runCli(['generate', '--from', 'runs:orders.clnrm.toml', '--runs', '9', '--data-dir', 'db', '--out', 'gen'], { cwd: dir });
    expect(r.code).toBe(0);
    const files = await generated('gen');
    expect(files.size).toBe(1);
    const meta = (parse([...files.values()][0]!) as { meta: { source_traces: string[] } }).meta;
    expect([...meta.source_traces].sort()).toEqual(runs.map((_, k) => `e${k}`.padEnd(12, '0')));
  });

  it('refuses bad input', async () => {
    const noOut = await runCli(['generate', '--from', ...traces], { cwd: dir });
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('give --out DIR');
    const noService = await runCli(['generate', '--from', 'jaeger:http://127.0.0.1:9', '--out', 'gen'], { cwd: dir });
    expect(noService.code).toBe(2);
    expect(noService.stderr).toContain('needs --service S');
    const frequency = await runCli(['generate', '--from', ...traces, '--out', 'gen', '--min-frequency', '5'], { cwd: dir });
    expect(frequency.code).toBe(2);
    const few = await runCli(['generate', '--from', 'ok0.json', 'ok1.json', '--out', 'gen'], { cwd: dir });
    expect(few.code).toBe(1);
    expect(few.stderr).toContain('[generate.nothing]');
    expect(few.stdout).toMatch(/skipped path .*nothing holds at confidence ≥ 0.99 in 2 run\(s\)/);
  });
});
