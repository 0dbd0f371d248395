// `clnrm perf bottlenecks` over a real data folder: a run with two traces (an N+1 loop of queries
// in one), looked up by run id and by trace id.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BottleneckReport } from '../../../shared/perf/bottlenecks';
import { openStore } from '../../store';
import { hexId, makeSpan, resourceFor } from '../../store/test-spans';
import { runCli } from '../testing';

const T0 = 1_700_000_000_000;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clnrm-perf-bottlenecks-'));
  const store = await openStore({ dataDir: join(dir, 'db') });
  const environment = { host: 'h', platform: 'linux', engine: 'unix:///var/run/docker.sock', clnrmVersion: '0.1.0', ci: false };
  await store.recordRun({ id: 'c2c2c2c2c2c2', origin: 'cli', startedAt: T0, endedAt: T0 + 100, environment, files: [], passed: 1, failed: 0, errors: 0, skipped: 0, verdict: 'passed' });
  const api = resourceFor('api', { 'clnrm.run_id': 'c2c2c2c2c2c2' });
  // Trace 1: GET /orders 0–40 ms runs 3 identical queries one after another.
  store.ingest([
    makeSpan({ trace: 1, span: 1, name: 'GET /orders', resource: api, startMs: T0, durationMs: 40 }),
    ...[0, 1, 2].map((k) => makeSpan({ trace: 1, span: 2 + k, parent: 1, name: 'SELECT item', resource: api, startMs: T0 + 5 + 10 * k, durationMs: 10, attrs: { 'db.statement': 'SELECT * FROM item' } })),
  ]);
  // Trace 2: GET /orders 0–20 ms, one query.
  store.ingest([
    makeSpan({ trace: 2, span: 11, name: 'GET /orders', resource: api, startMs: T0 + 50, durationMs: 20 }),
    makeSpan({ trace: 2, span: 12, parent: 11, name: 'SELECT item', resource: api, startMs: T0 + 52, durationMs: 15, attrs: { 'db.statement': 'SELECT * FROM item WHERE id = 2' } }),
  ]);
  await store.dispose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clnrm perf bottlenecks', () => {
  it('reports every trace of a run as JSON', async () => {
    const r = await runCli(['perf', 'bottlenecks', 'c2c2c2c2c2c2', '--data-dir', 'db', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as BottleneckReport;
    expect(report.traces.map((t) => t.traceId).sort()).toEqual([hexId(1, 32), hexId(2, 32)]);
    expect(report.slowest[0]).toMatchObject({ name: 'GET /orders', count: 2, meanUs: 30_000 });
    expect(report.recommendations.map((x) => [x.kind, x.evidence.length])).toEqual([['n-plus-one', 3], ['cache', 3]]);
  });

  it('reports one trace, for people', async () => {
    const r = await runCli(['perf', 'bottlenecks', hexId(1, 32), '--data-dir', 'db'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Bottlenecks of trace ${hexId(1, 32)}`);
    expect(r.stdout).toMatch(/Trace 0+1: 40\.0 ms, 4 spans, 4 on the critical path/);
    expect(r.stdout).toMatch(/\[n-plus-one\] 3 × "SELECT item" \(api\) one after another under "GET \/orders"/);
    expect(r.stdout).toContain(`evidence: ${hexId(2, 16)}, ${hexId(3, 16)}, ${hexId(4, 16)}`);
  });

  it('says when nothing matches (exit 1) and when an option is wrong (exit 2)', async () => {
    const none = await runCli(['perf', 'bottlenecks', 'deadbeef', '--data-dir', 'db'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no stored run deadbeef and no trace id starting with it/);
    const bad = await runCli(['perf', 'bottlenecks', 'c2c2c2c2c2c2', '--data-dir', 'db', '--top', '0'], { cwd: dir });
    expect(bad.code).toBe(2);
  });
});
