// Runs the receiver + store in this process and one load-generator process against it; returns
// what arrived, how fast, and whether anything was lost. Shared by bench:ingest and load.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReceiver, type AckMode } from '../main/receiver';
import { openStore } from '../main/store';
import { writerThreadEntry } from '../main/store/writer-thread';

export interface LoadPlan {
  format: 'protobuf' | 'json';
  spansPerRequest: number;
  concurrency: number;
  requests: number;
  /** Requests per second; 0 = as fast as possible. */
  rate?: number;
  /** false = count spans in memory only (measures the receiver and decoder without DuckDB). */
  store?: boolean;
  /** true = the store's database runs in its writer thread (the default of `clnrm collect`). */
  writerThread?: boolean;
  /** When requests are answered: after the store's commit (`stored`, the default of `clnrm collect`) or once queued. */
  ack?: AckMode;
}

export interface LoadOutcome {
  sentSpans: number;
  storedSpans: number;
  okRequests: number;
  retries: number;
  failures: number;
  bytesPerRequest: number;
  /** From the first request to the last span flushed to DuckDB. */
  seconds: number;
  spansPerSecond: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time (user + system) the receiver + store process spent during the run. */
  receiverCpuSeconds: number;
  /** Spans per CPU-second of the receiver process: comparable on a busy, shared machine. */
  spansPerCpuSecond: number;
}

interface LoadLine {
  event: 'start' | 'done';
  at: number;
  bytesPerRequest?: number;
  okRequests?: number;
  spans?: number;
  retries?: number;
  failures?: number;
  p50Ms?: number;
  p99Ms?: number;
}

export async function runLoad(plan: LoadPlan): Promise<LoadOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'clnrm-ingest-'));
  // No retention cap: a long run (INGEST_REQUESTS) would otherwise prune its oldest traces and read as loss.
  const store = await openStore({ dataDir: dir, maxLiveSpans: 200_000, maxBytes: Number.MAX_SAFE_INTEGER, ...(plan.writerThread ? { writerThread: writerThreadEntry() } : {}) });
  let counted = 0;
  const receiver = await createReceiver({
    sink: plan.store === false ? (spans) => void (counted += spans.length) : store.receive,
    ...(plan.store !== false && (plan.ack ?? 'stored') === 'stored' ? { commit: store.commit } : {}),
    httpPort: 0,
    grpcPort: false,
  });
  try {
    const cpuBefore = process.cpuUsage();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'ingest-load.ts'), String(receiver.http!.port), plan.format, String(plan.spansPerRequest), String(plan.concurrency), String(plan.requests), String(plan.rate ?? 0)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lines: LoadLine[] = [];
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as LoadLine);
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`load process exited with ${code}`);
    const start = lines.find((l) => l.event === 'start')!;
    const done = lines.find((l) => l.event === 'done')!;
    await receiver.drained();
    store.flush();
    const end = Date.now();
    const cpu = process.cpuUsage(cpuBefore);
    const receiverCpuSeconds = (cpu.user + cpu.system) / 1e6;
    // Count in DuckDB itself (not a session counter): zero loss means every acknowledged span is there.
    const storedSpans = plan.store === false ? counted : (await store.spanStats()).reduce((n, s) => n + s.count, 0);
    const seconds = (end - start.at) / 1000;
    return {
      sentSpans: done.spans!,
      storedSpans,
      okRequests: done.okRequests!,
      retries: done.retries!,
      failures: done.failures!,
      bytesPerRequest: start.bytesPerRequest!,
      seconds,
      spansPerSecond: storedSpans / seconds,
      requestsPerSecond: done.okRequests! / ((done.at - start.at) / 1000),
      p50Ms: done.p50Ms!,
      p99Ms: done.p99Ms!,
      receiverCpuSeconds,
      spansPerCpuSecond: storedSpans / receiverCpuSeconds,
    };
  } finally {
    await receiver.dispose();
    await store.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
