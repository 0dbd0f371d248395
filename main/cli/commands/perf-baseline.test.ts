// `clnrm perf baseline` over a real data folder: a run in which test "shop" passed (scenario "buy", two
// executions) and a later one in which it failed; save takes the passing run, list / show / delete find the
// baseline by id prefix or name, and the errors say what to do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BaselineRecord } from '../../../shared/perf/baseline';
import { openStore } from '../../store';
import { makeSpan, resourceFor } from '../../store/test-spans';
import { runCli } from '../testing';

const T0 = 1_700_000_000_000;
const environment = { host: 'h', platform: 'linux', engine: 'unix:///var/run/docker.sock', clnrmVersion: '0.1.0', ci: false };
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clnrm-perf-baseline-'));
  const store = await openStore({ dataDir: join(dir, 'db') });
  let span = 1;
  for (const [k, run] of ['a1a1a1a1a1a1', 'b2b2b2b2b2b2'].entries()) {
    const verdict = k === 0 ? 'passed' : 'failed';
    await store.recordRun({ id: run, origin: 'cli', startedAt: T0 + k, endedAt: T0 + k + 1, commit: 'c0ffee'.repeat(6) + 'abcd', environment, files: ['/t/shop.clnrm.toml'], passed: 1, failed: 0, errors: 0, skipped: 0, verdict });
    for (const i of [1, 2]) {
      const execution = `${run.slice(0, 10)}0${i}`;
      await store.recordExecution({ id: execution, runId: run, testFile: '/t/shop.clnrm.toml', testFileHash: '', testName: 'shop', scenario: 'buy', iteration: i, startedAt: T0, endedAt: T0 + 1, verdict, failedExpectations: 0, failedSteps: 0 });
      const api = resourceFor('api', { 'clnrm.run_id': run, 'clnrm.execution_id': execution });
      for (let t = 0; t < 5; t++) store.ingest([makeSpan({ trace: 1000 * (k + 1) + 10 * i + t, span: span++, name: 'db.query', resource: api, startMs: T0, durationMs: 10 + t })]);
    }
  }
  await store.dispose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(['perf', 'baseline', ...args, '--data-dir', 'db'], { cwd: dir });

describe('clnrm perf baseline', () => {
  it('saves from the newest passing run, then lists, shows and deletes it', async () => {
    const saved = await cli('save', 'shop', '--name', 'v1', '--format', 'json');
    expect(saved.code, saved.stderr).toBe(0);
    const { saved: [b] } = JSON.parse(saved.stdout) as { saved: BaselineRecord[] };
    expect(b).toMatchObject({ name: 'v1', testName: 'shop', scenario: 'buy', runId: 'a1a1a1a1a1a1', mode: 'manual', commit: 'c0ffee'.repeat(6) + 'abcd', executions: ['a1a1a1a1a101', 'a1a1a1a1a102'] });
    // Both executions' spans: 2 × 10, 11, 12, 13, 14 ms.
    expect(b!.spans['db.query']).toMatchObject({ count: 10, p50: 12, mean: 12, samples: [10, 10, 11, 11, 12, 12, 13, 13, 14, 14] });
    // Each execution: 5 spans starting together, the longest 14 ms; pooled, 10 in 28 ms (not 10 in 14).
    expect(b!.throughput!['db.query']).toMatchObject({ count: 10, windowMs: expect.closeTo(28, 6), perSecond: expect.closeTo(357.14, 1) });

    const list = await cli('list');
    expect(list.stdout).toMatch(new RegExp(`^${b!.id}  \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z  manual  shop / buy  "v1"  commit c0ffeec0ff  1 span names\\n$`));
    const show = await cli('show', 'v1');
    expect(show.stdout).toContain('  db.query: n 10, p50 12.0 ms, p95 14.0 ms, p99 14.0 ms, mean 12.0 ms, sd 1.49 ms, throughput 357/s (10 in 28.0 ms)\n');
    const deleted = await cli('delete', b!.id.slice(0, 6));
    expect(deleted.stdout).toMatch(/^deleted /);
    expect((await cli('list', 'shop')).stdout).toBe('No baselines of test "shop" in ' + join(dir, 'db', 'traces.duckdb') + '.\n');
  });

  it('says what is missing: a run without the test, an unknown baseline, a test that never passed', async () => {
    const noRun = await cli('save', 'shop', '--run', 'ffffffffffff');
    expect([noRun.code, noRun.stderr]).toEqual([1, expect.stringMatching(/no stored run ffffffffffff .*\[perf.baseline-not-found\]/)]);
    const failedRun = await cli('save', 'shop', '--run', 'b2b2b2b2b2b2');
    expect(failedRun.stdout).toBe('skipped buy: not every execution passed in run b2b2b2b2b2b2\n');
    expect(failedRun.code).toBe(1);
    const unknown = await cli('show', 'nope');
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringMatching(/no baseline "nope" \(see `clnrm perf baseline list`\)/)]);
    const never = await cli('save', 'other');
    expect(never.stderr).toMatch(/no stored run in which test "other" passed/);
    expect((await cli('save', 'shop', '--run', 'NOT AN ID')).code).toBe(2);
  });

  it('says which baselines were captured before throughput was kept', async () => {
    const store = await openStore({ dataDir: join(dir, 'db') });
    await store.saveBaseline({
      id: 'c3c3c3c3c3c3', name: 'legacy', testName: 'old', testFile: '/t/old.clnrm.toml', scenario: 'buy', environment, runId: 'a1a1a1a1a1a1',
      executions: ['a1a1a1a1a101'], capturedAt: T0, mode: 'manual', spans: { 'db.query': { count: 1, p50: 5, p95: 5, p99: 5, mean: 5, sd: 0, samples: [5] } },
    });
    await store.dispose();
    expect((await cli('list', 'old')).stdout).toMatch(/  1 span names, no throughput \(captured before baselines kept it\)\n$/);
    const show = await cli('show', 'legacy');
    expect(show.stdout).toContain('\n  db.query: n 1, p50 5.00 ms, p95 5.00 ms, p99 5.00 ms, mean 5.00 ms, sd 0.00 ms\n');
    const listed = JSON.parse((await cli('list', 'old', '--format', 'json')).stdout) as Array<Record<string, unknown>>;
    expect(listed).toEqual([expect.objectContaining({ id: 'c3c3c3c3c3c3', spanNames: ['db.query'], throughputKept: false })]);
  });
});
