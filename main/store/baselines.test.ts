// Baselines in a real DuckDB: stored and read back through their schema (throughput too), listed by test,
// scenario, name or id prefix, deleted; a schema-3 database gains the table when opened (the schema-4
// upgrade), a schema-5 one the throughput column, its baselines reading back without throughput.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { BaselineRecord } from '../../shared/perf/baseline';
import { summariseLatencies } from '../../shared/perf/baseline';
import { BASELINE_TABLES } from './baselines';
import { openStore, type TraceStore } from './index';
import { CREATE_TABLES } from './schema';

const stores: TraceStore[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function baseline(id: string, extra: Partial<BaselineRecord> = {}): BaselineRecord {
  return {
    id,
    testName: 'orders',
    testFile: '/t/orders.clnrm.toml',
    scenario: 'buy',
    commit: 'abc123',
    environment: { host: 'h', platform: 'linux 6', engine: 'unix:///var/run/docker.sock', clnrmVersion: '1.0.1', ci: false },
    runId: 'run000000001',
    executions: ['exe000000001'],
    capturedAt: 1_700_000_000_000,
    mode: 'auto',
    spans: { 'db.query': summariseLatencies([3, 1, 2])! },
    ...extra,
  };
}

describe('baselines in the store', () => {
  it('round-trip, list newest first by test, scenario, name or id prefix, and delete', async () => {
    const store = await openStore({ inMemory: true });
    stores.push(store);
    const a = baseline('aaa000000001');
    const b = baseline('bbb000000002', { name: 'v1', capturedAt: 1_700_000_001_000, mode: 'manual', throughput: { 'db.query': { count: 3, windowMs: 12.5, perSecond: 240 } } });
    const c = baseline('ccc000000003', { scenario: 'browse', capturedAt: 1_700_000_002_000 });
    for (const x of [a, b, c]) await store.saveBaseline(x);
    expect(await store.listBaselines()).toEqual([c, b, a]);
    expect((await store.listBaselines({ testName: 'orders', scenario: 'buy' })).map((x) => x.id)).toEqual([b.id, a.id]);
    expect(await store.listBaselines({ nameOrId: 'v1' })).toEqual([b]);
    expect((await store.listBaselines({ nameOrId: 'aaa' }))[0]).not.toHaveProperty('throughput');
    expect(await store.listBaselines({ nameOrId: 'AAA0' })).toEqual([a]);
    expect(await store.listBaselines({ testName: 'other' })).toEqual([]);
    expect(await store.deleteBaseline(a.id)).toBe(true);
    expect(await store.deleteBaseline(a.id)).toBe(false);
    expect((await store.listBaselines()).map((x) => x.id)).toEqual([c.id, b.id]);
  });

  it('refuses a baseline that does not fit its schema, saying which field', async () => {
    const store = await openStore({ inMemory: true });
    stores.push(store);
    await expect(store.saveBaseline(baseline('Not An Id!'))).rejects.toMatchObject({ problem: { code: 'store.invalid', message: expect.stringMatching(/^The baseline Not An Id! is not valid: id: /) } });
    await expect(store.saveBaseline(baseline('ddd000000004', { executions: [] }))).rejects.toMatchObject({ problem: { code: 'store.invalid' } });
    expect(await store.listBaselines()).toEqual([]);
  });

  it('are added to a schema-3 database when it is opened, keeping its runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-baselines-'));
    dirs.push(dir);
    const db = await DuckDBInstance.create(join(dir, 'traces.duckdb'));
    const conn = await db.connect();
    expect(CREATE_TABLES).toContain(BASELINE_TABLES);
    await conn.run(CREATE_TABLES.replace(BASELINE_TABLES, ''));
    await conn.run(`INSERT INTO meta VALUES ('schema', '3')`);
    await conn.run(`INSERT INTO runs VALUES ('run000000009', 'cli', 1, 2, NULL, '{"host":"h","platform":"p","engine":"e","clnrmVersion":"1","ci":false}', '[]', 'passed', 1, 0, 0, 0)`);
    conn.closeSync();
    db.closeSync();

    const store = await openStore({ dataDir: dir });
    stores.push(store);
    expect(store.notice).toBeUndefined();
    expect((await store.listRuns()).map((e) => e.run.id)).toEqual(['run000000009']);
    await store.saveBaseline(baseline('eee000000005'));
    await store.dispose();
    stores.pop();
    const again = await openStore({ dataDir: dir });
    stores.push(again);
    expect((await again.listBaselines()).map((x) => x.id)).toEqual(['eee000000005']);
  });

  it('a schema-5 database gains the throughput column: its baselines read back without throughput, new ones keep it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-baselines-'));
    dirs.push(dir);
    const db = await DuckDBInstance.create(join(dir, 'traces.duckdb'));
    const conn = await db.connect();
    const v5 = CREATE_TABLES.split('\n').filter((line) => !line.startsWith('ALTER TABLE baselines')).join('\n');
    expect(v5).not.toContain('throughput VARCHAR');
    await conn.run(v5);
    await conn.run(`INSERT INTO meta VALUES ('schema', '5')`);
    const old = baseline('fff000000006');
    await conn.run(
      `INSERT INTO baselines VALUES ('${old.id}', NULL, 'orders', '/t/orders.clnrm.toml', 'buy', 'abc123', '${JSON.stringify(old.environment)}', 'run000000001', '["exe000000001"]', 1700000000000, 'auto', '${JSON.stringify(old.spans)}')`,
    );
    conn.closeSync();
    db.closeSync();

    const store = await openStore({ dataDir: dir });
    stores.push(store);
    expect(store.notice).toBeUndefined();
    expect(await store.listBaselines()).toEqual([old]);
    const fresh = baseline('ggg000000007', { capturedAt: 1_700_000_005_000, throughput: { 'db.query': { count: 3, windowMs: 2, perSecond: 1500 } } });
    await store.saveBaseline(fresh);
    expect(await store.listBaselines()).toEqual([fresh, old]);
  });
});
