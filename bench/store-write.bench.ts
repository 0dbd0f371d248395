// bench:store — where the store's write path spends its time, per span, in CPU microseconds of
// this process (user+system; comparable on a busy shared machine), split by the thread that pays
// it when the database runs in its writer thread (`clnrm collect`): the receiving thread decodes,
// copies the spans' original Span messages into the row batch and posts it (its buffers are
// transferred, not copied); the writer thread reads each row's columns from those bytes, appends
// and flushes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeOtlpProtobuf, encodeOtlpProtobuf } from '../shared/otlp';
import type { Span } from '../shared/model';
import { openStore } from '../main/store';
import { LiveIndex } from '../main/store/live-index';
import { toRowBatch, type RowBatch } from '../main/store/row-batch';
import { StoreEngine } from '../main/store/store-engine';
import { realisticBatch } from './ingest-payloads';

const BATCHES = Number(process.env.STORE_BATCHES ?? 200);
const PER_BATCH = 500;
const payloads = Array.from({ length: 24 }, (_, i) => encodeOtlpProtobuf(realisticBatch(i + 1, PER_BATCH)));
const spans = BATCHES * PER_BATCH;

const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
console.log(`bench:store — ${BATCHES} batches × ${PER_BATCH} realistic spans, streamed as the receiver does; CPU µs per span`);
// Warm up the JIT on every stage's code first, so the figures are steady-state.
for (let i = 0; i < 3; i++) {
  for (const p of payloads) {
    const d = decodeOtlpProtobuf(p);
    toRowBatch(d.spans, d.wire, 1, () => 1);
  }
}
const dir = mkdtempSync(join(tmpdir(), 'clnrm-store-bench-'));
const per = (us: number): string => Math.round(1e6 / us).toLocaleString('en-US');
const show = (label: string, us: number): void =>
  console.log(`  ${label.padEnd(46)} ${us.toFixed(2).padStart(6)} µs/span  (${per(us)} spans per CPU-second)`);
try {
  // Each batch goes through every stage in turn; each stage's CPU time is summed on its own.
  const t = { decode: 0, build: 0, live: 0, clone: 0, append: 0, flush: 0 };
  const engine = await StoreEngine.open({ dataDir: join(dir, 'engine') }, (n, e) => console.error(`${n} rows failed: ${String(e)}`));
  engine.addOrigin(1, JSON.stringify(decodeOtlpProtobuf(payloads[0]!).spans[0]!.resource), '{"name":"bench"}');
  const index = new LiveIndex(200_000);
  let seq = 1;
  for (let i = 0; i < BATCHES; i++) {
    let c = cpuMs();
    const lap = (): number => {
      const now = cpuMs();
      const d = now - c;
      c = now;
      return d;
    };
    const decoded = decodeOtlpProtobuf(payloads[i % payloads.length]!);
    const batch: Span[] = decoded.spans;
    t.decode += lap();
    const rows: RowBatch = toRowBatch(batch, decoded.wire, seq, () => 1);
    seq += batch.length;
    t.build += lap();
    index.add(batch, { bytes: rows.data.slice(), ranges: rows.ranges.slice() });
    t.live += lap();
    const crossed = structuredClone(rows, { transfer: [rows.data.buffer, rows.ranges.buffer, rows.origins.buffer] as ArrayBuffer[] });
    t.clone += lap();
    engine.appendRows(crossed);
    t.append += lap();
    if (i % 20 === 19 || i === BATCHES - 1) {
      engine.flush();
      t.flush += lap();
    }
  }
  engine.close();
  const us = (ms: number): number => (ms * 1000) / spans;
  console.log('receiving thread');
  show('decode (shared/otlp protobuf)', us(t.decode));
  show('row batch: copy of the Span bytes (toRowBatch)', us(t.build));
  show('live index add', us(t.live));
  console.log('crossing to the writer thread (paid by both sides)');
  show('structured clone, buffers transferred', us(t.clone));
  console.log('writer thread');
  show('columns from the bytes + appends (appendRows)', us(t.append));
  show('appender flush every 20 batches (insert + WAL)', us(t.flush));

  console.log('everything in one thread, for comparison');
  const store = await openStore({ dataDir: join(dir, 'store') });
  const c0 = cpuMs();
  for (let i = 0; i < BATCHES; i++) {
    const decoded = decodeOtlpProtobuf(payloads[i % payloads.length]!);
    store.ingest(decoded.spans, decoded.wire);
    if (i % 20 === 19) store.flush();
  }
  store.flush();
  const whole = us(cpuMs() - c0);
  await store.dispose();
  show('decode + TraceStore.ingest + flush', whole);

  const receiving = us(t.decode + t.build + t.live + t.clone / 2);
  const writing = us(t.append + t.flush + t.clone / 2);
  console.log(
    `writer thread: receiving side ≈ ${receiving.toFixed(2)} µs/span, writer side ≈ ${writing.toFixed(2)} µs/span → ` +
      `≈ ${per(Math.max(receiving, writing))} spans/s with two free cores, vs ${per(whole)} on one (before HTTP)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
