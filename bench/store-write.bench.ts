// bench:store — where the store's write path spends its time, per span, in CPU microseconds of
// this process (user+system; comparable on a busy shared machine): protobuf decode, the body JSON,
// the row appends, the appender flush, the live index, and the whole TraceStore.ingest + flush.
// The receiver-to-store figure (bench:ingest) is roughly decode + ingest + HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { decodeOtlpProtobuf, encodeOtlpProtobuf } from '../shared/otlp';
import type { Span } from '../shared/model';
import { openStore } from '../main/store';
import { LiveIndex } from '../main/store/live-index';
import { appendSpan, CREATE_TABLES, spanBodyJson } from '../main/store/schema';
import { realisticBatch } from './ingest-payloads';

const BATCHES = Number(process.env.STORE_BATCHES ?? 200);
const PER_BATCH = 500;
const payloads = Array.from({ length: 24 }, (_, i) => encodeOtlpProtobuf(realisticBatch(i + 1, PER_BATCH)));
const spans = BATCHES * PER_BATCH;

const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const results: Array<[string, number]> = [];
async function stage(label: string, work: () => void | Promise<void>): Promise<void> {
  const t0 = cpuMs();
  await work();
  const us = ((cpuMs() - t0) * 1000) / spans;
  results.push([label, us]);
  console.log(`  ${label.padEnd(46)} ${us.toFixed(2).padStart(6)} µs/span  (${Math.round(1e6 / us).toLocaleString('en-US')} spans per CPU-second)`);
}

console.log(`bench:store — ${BATCHES} batches × ${PER_BATCH} realistic spans; CPU µs per span`);
// Warm up the JIT on every stage's code first, so the figures are steady-state.
for (let i = 0; i < 3; i++) for (const p of payloads) for (const s of decodeOtlpProtobuf(p).spans) spanBodyJson(s);
let batches: Span[][] = [];
await stage('decode (shared/otlp protobuf)', () => {
  batches = Array.from({ length: BATCHES }, (_, i) => decodeOtlpProtobuf(payloads[i % payloads.length]!).spans);
});
await stage('body JSON (spanBodyJson)', () => {
  for (const b of batches) for (const s of b) spanBodyJson(s);
});

const dir = mkdtempSync(join(tmpdir(), 'clnrm-store-bench-'));
try {
  const instance = await DuckDBInstance.create(join(dir, 'rows.duckdb'));
  const conn = await instance.connect();
  await conn.run(CREATE_TABLES);
  const appender = await conn.createAppender('spans');
  let seq = 0n;
  await stage('row appends incl. body JSON (appendSpan)', () => {
    for (const b of batches) for (const s of b) appendSpan(appender, s, ++seq, 1);
  });
  await stage('appender flush (DuckDB insert + WAL)', () => appender.flushSync());
  appender.closeSync();
  conn.closeSync();
  instance.closeSync();

  await stage('live index add', () => {
    const live = new LiveIndex(200_000);
    for (const b of batches) live.add(b);
  });

  const store = await openStore({ dataDir: join(dir, 'store') });
  await stage('TraceStore.ingest + flush every 20 batches', () => {
    batches.forEach((b, i) => {
      store.ingest(b);
      if (i % 20 === 19) store.flush();
    });
    store.flush();
  });
  await store.dispose();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const total = results.find(([l]) => l.startsWith('TraceStore'))![1] + results[0]![1];
console.log(`  decode + store on one thread: ${total.toFixed(2)} µs/span → ${Math.round(1e6 / total).toLocaleString('en-US')} spans per CPU-second (before HTTP)`);
