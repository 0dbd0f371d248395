// Stored rows keep each span as the bytes of its OTLP Span message; reading rows back must give
// the very spans that went in, and the attribute filter must find exactly the spans whose own
// attributes match (not their events' or links'), in a real DuckDB.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSpan, type Span } from '../../shared/model';
import { encodeOtlpProtobuf, decodeOtlpProtobuf } from '../../shared/otlp';
import { spansArb } from '../../shared/otlp/fixtures/arbitraries';
import { openStore, type TraceStore } from './index';
import { toRowBatch } from './row-batch';
import { resourceInfo, scopeJson, spansFromRows } from './schema';
import { hexId, makeSpan, resourceFor } from './test-spans';

function rowsOf(spans: readonly Span[], fromWire: boolean) {
  const wire = fromWire ? decodeOtlpProtobuf(encodeOtlpProtobuf(spans)) : undefined;
  const input = wire ? wire.spans : spans;
  const batch = toRowBatch(input, wire?.wire, 1, () => 1);
  return input.map((span, i) => ({
    body: batch.data.slice(batch.ranges[2 * i], batch.ranges[2 * i + 1]),
    resource: resourceInfo(span.resource).json,
    scope: scopeJson(span.scope),
  }));
}

describe('stored span rows', () => {
  it('read back to the same spans, whether encoded here or kept from the request bytes', () => {
    fc.assert(
      fc.property(spansArb(), fc.boolean(), (spans, fromWire) => {
        const back = spansFromRows(rowsOf(spans, fromWire));
        // Resource and scope went through JSON, which cannot hold -0 or undefined fields.
        expect(JSON.parse(JSON.stringify(back))).toEqual(JSON.parse(JSON.stringify(spans)));
        back.forEach((span, i) => {
          expect(span.attributes).toEqual(spans[i]!.attributes);
          expect(span.startTimeUnixNano).toBe(spans[i]!.startTimeUnixNano);
          expect(span.endTimeUnixNano).toBe(spans[i]!.endTimeUnixNano);
        });
      }),
      { numRuns: 150 },
    );
  });
});

const dirs: string[] = [];
const stores: TraceStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('attribute filter over stored span bytes', () => {
  it('matches every value type on the span itself or its resource, never on events or links', async () => {
    const store = await openStore({ inMemory: true });
    stores.push(store);
    const res = resourceFor('api', { 'deployment.environment': 'staging' });
    const odd = 'quote " back\\slash \\x01 tab\t ü ∑ \u0001 end';
    const base = makeSpan({ trace: 1, span: 1, resource: res, attrs: { 'http.method': 'GET', 'http.status_code': 200, ratio: 0.25, cached: true, [odd]: odd } });
    const withEvent = buildSpan({
      ...base,
      traceId: hexId(2, 32),
      spanId: hexId(2, 16),
      attributes: [],
      events: [{ name: 'e', timeUnixNano: base.startTimeUnixNano, attributes: [{ key: 'http.method', value: { stringValue: 'GET' } }] }],
      links: [{ traceId: hexId(9, 32), spanId: hexId(9, 16), attributes: [{ key: 'cached', value: { boolValue: true } }] }],
    });
    store.ingest([base]);
    store.ingest([withEvent]);
    const ids = async (key: string, value: string) => (await store.listTraces({ attribute: { key, value } })).traces.map((t) => t.traceId);
    expect(await ids('http.method', 'GET')).toEqual([hexId(1, 32)]);
    expect(await ids('http.status_code', '200')).toEqual([hexId(1, 32)]);
    expect(await ids('ratio', '0.25')).toEqual([hexId(1, 32)]);
    expect(await ids('cached', 'true')).toEqual([hexId(1, 32)]);
    expect(await ids('cached', 'false')).toEqual([]);
    expect(await ids(odd, odd)).toEqual([hexId(1, 32)]);
    expect(await ids('http.method', 'GE')).toEqual([]);
    expect((await ids('deployment.environment', 'staging')).sort()).toEqual([hexId(1, 32), hexId(2, 32)]);
  });
});

// The first schema's tables, as that version created them (span bodies as JSON).
const V1_TABLES = `
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE spans (seq BIGINT, trace_id VARCHAR, span_id VARCHAR, parent_span_id VARCHAR, name VARCHAR, kind VARCHAR,
  status_code VARCHAR, service VARCHAR, start_ns VARCHAR, end_ns VARCHAR, start_us DOUBLE, end_us DOUBLE, duration_us DOUBLE,
  run_id VARCHAR, scenario VARCHAR, resource_id INTEGER, body VARCHAR, bytes INTEGER);
CREATE TABLE resources (id INTEGER PRIMARY KEY, json VARCHAR);
CREATE TABLE runs (id VARCHAR PRIMARY KEY, test_file VARCHAR, test_name VARCHAR, scenario VARCHAR, iteration INTEGER,
  commit_sha VARCHAR, started_at VARCHAR, ended_at VARCHAR, verdict VARCHAR, evidence VARCHAR);`;

describe('a database written by the earlier schema', () => {
  it('is moved aside, and its spans and runs are copied into the new database exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-schema-'));
    dirs.push(dir);
    const res = resourceFor('api', { 'clnrm.run_id': 'run-1' });
    const root = makeSpan({ trace: 1, span: 1, name: 'GET /', resource: res, kind: 'server', attrs: { 'http.status_code': 200, ratio: 0.5, ok: true, note: 'ü "q"' } });
    const spans = [
      root,
      buildSpan({ ...makeSpan({ trace: 1, span: 2, parent: 1, name: 'db', resource: resourceFor('db') }), events: [{ name: 'e', timeUnixNano: root.startTimeUnixNano, attributes: [] }], status: { code: 'error', message: 'boom' } }),
    ];
    const old = await DuckDBInstance.create(join(dir, 'traces.duckdb'));
    const conn = await old.connect();
    await conn.run(V1_TABLES);
    const resourceIds = new Map<string, number>();
    for (const [seq, span] of spans.entries()) {
      const json = JSON.stringify(span.resource);
      if (!resourceIds.has(json)) {
        resourceIds.set(json, resourceIds.size + 1);
        await conn.run('INSERT INTO resources VALUES (?, ?)', [resourceIds.size, json]);
      }
      const body = JSON.stringify({ attributes: span.attributes, events: span.events, links: span.links, status: span.status, scope: span.scope });
      await conn.run('INSERT INTO spans VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        seq + 1, span.traceId, span.spanId, span.parentSpanId ?? null, span.name, span.kind, span.status.code, span.serviceName,
        span.startTimeUnixNano, span.endTimeUnixNano, span.startUs, span.startUs + span.durationUs, span.durationUs,
        null, null, resourceIds.get(json)!, body, 200,
      ]);
    }
    await conn.run(`INSERT INTO runs VALUES ('run-1', 't.clnrm.toml', 't', 's', 1, NULL, '2026-11-01T00:00:00Z', NULL, '"passed"', NULL)`);
    conn.closeSync();
    old.closeSync();

    const store = await openStore({ dataDir: dir });
    stores.push(store);
    expect(store.notice).toMatch(/older version.*moved to .*traces\.before-v6-\d+\.duckdb; its 2 spans and 1 run were copied/);
    expect(readdirSync(dir).some((f) => /^traces\.before-v6-\d+\.duckdb$/.test(f))).toBe(true);
    expect(JSON.parse(JSON.stringify(await store.getTrace(hexId(1, 32))))).toEqual(JSON.parse(JSON.stringify(spans)));
    expect((await store.listTraces({ runId: 'run-1' })).total).toBe(1);
    expect((await store.listTraces({ attribute: { key: 'note', value: 'ü "q"' } })).total).toBe(1);
    expect((await store.getRun('run-1'))?.run.verdict).toBe('passed');
    expect((await store.getRun('run-1'))?.executions.map((e) => [e.id, e.testName, e.scenario, e.verdict])).toEqual([['run-1', 't', 's', 'passed']]);
    // New spans continue after the copied ones, and the next open finds nothing to move.
    store.ingest([makeSpan({ trace: 2, span: 3, resource: res })]);
    await store.dispose();
    stores.pop();
    const again = await openStore({ dataDir: dir });
    stores.push(again);
    expect(again.notice).toBeUndefined();
    expect((await again.listTraces()).total).toBe(2);
    expect(await again.getTrace(hexId(1, 32))).toHaveLength(2);
  });
});
