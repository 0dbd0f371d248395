// One store, many processes, with real processes: the real `clnrm studio` holds a temporary data folder;
// the real `clnrm import`, `traces`, `trace`, `runs` and `export`, each its own process on the same
// folder, use the studio's store (saying so) and see its data; the studio's own page-side store sees
// what they imported. After the studio stops they open the folder themselves; a studio killed without
// cleaning up leaves a stale host file that commands ignore.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../store';
import { makeSpan, resourceFor } from '../store/test-spans';
import { HOST_FILE } from './host-file';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'main', 'studio', 'cli-child.fixture.ts');
const SAMPLE = join(ROOT, 'resources', 'samples', 'demo-errors.otlp.json');
const SAMPLE_SPANS = 7;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One `clnrm` command in its own process, bounded. */
function clnrm(args: string[]): Promise<Done> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`clnrm ${args.join(' ')} did not finish within 60 s:\n${stdout}\n${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

interface RunningStudio {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The real `clnrm studio` on `dataDir`, once it has printed its link (its store and host are up). */
async function startStudio(home: string, dataDir: string): Promise<RunningStudio> {
  mkdirSync(join(home, 'ui'), { recursive: true });
  writeFileSync(join(home, 'ui', 'index.html'), '<!doctype html><title>studio</title>');
  const args = ['--import', 'tsx', FIXTURE, 'studio', '--no-open', '--port', '0', '--http-port', '0', '--grpc-port', '0', '--data-dir', dataDir, '--ui-dir', join(home, 'ui')];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  await new Promise<void>((ready, fail) => {
    const check = () => {
      if (/Cleanroom Studio: http/.test(out) && /use this studio's store/.test(out)) ready();
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then((code) => fail(new Error(`clnrm studio exited (${code}) before it was ready:\n${out}`)));
  });
  return { child, output: () => out, exited };
}

function tempHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'clnrm-one-store-'));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  return home;
}

/** A run already in the folder's history before the studio opens it. */
async function seedRun(dataDir: string): Promise<void> {
  const store = await openStore({ dataDir });
  const environment = { host: 'h', platform: 'linux', engine: 'none', clnrmVersion: '0.1.0', ci: false };
  await store.recordRun({ id: 'seededrun001', origin: 'cli', startedAt: Date.now() - 60_000, endedAt: Date.now() - 50_000, verdict: 'passed', environment, files: ['/t/a.clnrm.toml'], passed: 1, failed: 0, errors: 0, skipped: 0 });
  await store.dispose();
}

/** A run in which test "shop" passed, with five db.query spans (what `clnrm perf baseline save` takes). */
async function seedPassingRun(dataDir: string): Promise<void> {
  const store = await openStore({ dataDir });
  const environment = { host: 'h', platform: 'linux', engine: 'none', clnrmVersion: '0.1.0', ci: false };
  const t0 = Date.now() - 60_000;
  await store.recordRun({ id: 'shoprun00001', origin: 'cli', startedAt: t0, endedAt: t0 + 1000, verdict: 'passed', environment, files: ['/t/shop.clnrm.toml'], passed: 1, failed: 0, errors: 0, skipped: 0 });
  await store.recordExecution({ id: 'shoprun00001', runId: 'shoprun00001', testFile: '/t/shop.clnrm.toml', testFileHash: '', testName: 'shop', scenario: 'buy', iteration: 1, startedAt: t0, endedAt: t0 + 1000, verdict: 'passed', failedExpectations: 0, failedSteps: 0 });
  const api = resourceFor('api', { 'clnrm.run_id': 'shoprun00001', 'clnrm.execution_id': 'shoprun00001' });
  for (let t = 0; t < 5; t++) store.ingest([makeSpan({ trace: 900 + t, span: 900 + t, name: 'db.query', resource: api, startMs: t0, durationMs: 10 + t })]);
  await store.dispose();
}

describe('one store, many processes (real clnrm studio and CLI processes)', () => {
  it('CLI commands on a folder the studio holds use its store and see its data; without it they open the folder', async () => {
    const home = tempHome();
    const dataDir = join(home, 'data');
    await seedRun(dataDir);
    const studio = await startStudio(home, dataDir);
    const pid = studio.child.pid!;
    expect(statSync(join(dataDir, HOST_FILE)).mode & 0o777).toBe(0o600);
    const using = `using the running studio's store (pid ${pid}, ${dataDir})`;

    const imported = await clnrm(['import', SAMPLE, '--data-dir', dataDir]);
    expect(imported, imported.stderr).toMatchObject({ code: 0 });
    expect(imported.stderr).toContain(`clnrm import: ${using}`);
    expect(imported.stdout).toContain(`${SAMPLE_SPANS} spans in 1 traces imported`);
    // The studio deduplicates as the CLI does: the same file again adds nothing.
    const again = await clnrm(['import', SAMPLE, '--data-dir', dataDir]);
    expect(again.stdout).toContain(`0 spans in 0 traces imported (otlp-json), ${SAMPLE_SPANS} already stored`);

    const traces = await clnrm(['traces', '--data-dir', dataDir, '--format', 'json']);
    expect(traces, traces.stderr).toMatchObject({ code: 0 });
    expect(traces.stderr).toContain(`clnrm traces: ${using}`);
    const listed = JSON.parse(traces.stdout) as { total: number; traces: Array<{ traceId: string; spanCount: number }> };
    expect(listed.total).toBe(1);
    expect(listed.traces[0]!.spanCount).toBe(SAMPLE_SPANS);
    const traceId = listed.traces[0]!.traceId;

    const trace = await clnrm(['trace', traceId.slice(0, 8), '--data-dir', dataDir]);
    expect(trace, trace.stderr).toMatchObject({ code: 0 });
    expect(trace.stdout.split('\n').filter((l) => l.includes('['))).toHaveLength(SAMPLE_SPANS);

    const runs = await clnrm(['runs', '--data-dir', dataDir, '--format', 'json']);
    expect(runs, runs.stderr).toMatchObject({ code: 0 });
    expect(runs.stderr).toContain(`clnrm runs: ${using}`);
    expect((JSON.parse(runs.stdout) as { runs: Array<{ run: { id: string } }> }).runs.map((r) => r.run.id)).toEqual(['seededrun001']);

    const exported = await clnrm(['export', '--all', '--data-dir', dataDir, '--output', '-']);
    expect(exported, exported.stderr).toMatchObject({ code: 0 });
    expect(exported.stdout.match(/"spanId"/g)).toHaveLength(SAMPLE_SPANS);

    // A clean stop withdraws the host file; the commands then open the folder themselves.
    studio.child.kill('SIGTERM');
    expect(await studio.exited).toBe(0);
    expect(existsSync(join(dataDir, HOST_FILE))).toBe(false);
    const alone = await clnrm(['traces', '--data-dir', dataDir, '--format', 'json']);
    expect(alone, alone.stderr).toMatchObject({ code: 0 });
    expect(alone.stderr).not.toContain('using the running studio');
    expect((JSON.parse(alone.stdout) as { total: number }).total).toBe(1);
  }, 300_000);

  it('`clnrm perf baseline` saves, lists, shows and deletes through the studio that holds the folder', async () => {
    const home = tempHome();
    const dataDir = join(home, 'data');
    await seedPassingRun(dataDir);
    const studio = await startStudio(home, dataDir);
    const baseline = (...args: string[]) => clnrm(['perf', 'baseline', ...args, '--data-dir', dataDir]);
    const saved = await baseline('save', 'shop', '--name', 'v1', '--format', 'json');
    expect(saved, saved.stderr).toMatchObject({ code: 0 });
    expect(saved.stderr).toContain("clnrm perf baseline: using the running studio's store");
    const { saved: [b] } = JSON.parse(saved.stdout) as { saved: Array<{ id: string; spans: Record<string, { count: number }> }> };
    expect(b!.spans['db.query']!.count).toBe(5);
    expect((await baseline('list')).stdout).toContain(`${b!.id}  `);
    expect((await baseline('show', 'v1')).stdout).toContain('  db.query: n 5, p50 12.0 ms');
    const deleted = await baseline('delete', 'v1');
    expect(deleted, deleted.stderr).toMatchObject({ code: 0 });
    expect(deleted.stdout).toMatch(/^deleted /);
    // Deleted in the studio's store: the folder, opened alone after the studio stops, has none.
    studio.child.kill('SIGTERM');
    expect(await studio.exited).toBe(0);
    const alone = await baseline('list');
    expect(alone.stderr).not.toContain('using the running studio');
    expect(alone.stdout).toMatch(/^No baselines in /);
  }, 300_000);

  it('a studio killed without cleaning up leaves a stale host file that commands ignore', async () => {
    const home = tempHome();
    const dataDir = join(home, 'data');
    const studio = await startStudio(home, dataDir);
    const hostFile = readFileSync(join(dataDir, HOST_FILE), 'utf8');
    studio.child.kill('SIGKILL');
    await studio.exited;
    expect(readFileSync(join(dataDir, HOST_FILE), 'utf8')).toBe(hostFile);
    const runs = await clnrm(['runs', '--data-dir', dataDir]);
    expect(runs, runs.stderr).toMatchObject({ code: 0 });
    expect(runs.stderr).toMatch(/note: ignoring stale host file: .*names pid \d+, which is not running/);
    expect(runs.stdout).toContain('No runs match');
  }, 120_000);
});
