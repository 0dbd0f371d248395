// bench:host — what copying a `clnrm run`'s spans to a running studio costs (main/host): realistic
// spans ingested into a run's in-memory store whose mirror sends them through the real store host API
// (loopback HTTP, OTLP protobuf, the receiver's decoder, the studio's store commit) into a second
// in-memory store. Prints spans per second end to end and the CPU µs per span of this process (both
// sides run here), beside the same spans into the run's store alone.
import { openStore } from '../main/store';
import { EventHub } from '../main/studio/events';
import { HostClient } from '../main/host/host-client';
import { createHostHandlers } from '../main/host/host-handlers';
import { startHostServer } from '../main/host/host-server';
import { HostMirror } from '../main/host/store-mirror';
import { realisticBatch } from './ingest-payloads';

const BATCHES = Number(process.env.HOST_BATCHES ?? 40);
const PER_BATCH = 500;
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

async function copy(batches: number): Promise<{ wallMs: number; cpuMs: number; spans: number }> {
  const studio = await openStore({ inMemory: true });
  const server = await startHostServer(createHostHandlers(studio, new EventHub(), '/bench'));
  const mirror = new HostMirror(new HostClient({ version: 1, pid: process.pid, url: server.url, secret: server.secret, dataDir: '/bench', startedAt: 0 }, ''));
  const run = await openStore({ inMemory: true, mirror });
  const startWall = performance.now();
  const startCpu = cpuMs();
  for (let i = 0; i < batches; i++) run.ingest(realisticBatch(i + 1, PER_BATCH));
  await run.dispose();
  const result = { wallMs: performance.now() - startWall, cpuMs: cpuMs() - startCpu, spans: mirror.copiedSpans };
  if (mirror.failure || result.spans !== batches * PER_BATCH) throw new Error(`copied ${result.spans} of ${batches * PER_BATCH}: ${mirror.failure?.message ?? ''}`);
  await server.close();
  await studio.dispose();
  return result;
}

/** The same spans into the run's store alone (what a run costs without a studio), CPU µs per span. */
async function alone(batches: number): Promise<number> {
  const run = await openStore({ inMemory: true });
  const start = cpuMs();
  for (let i = 0; i < batches; i++) run.ingest(realisticBatch(i + 1, PER_BATCH));
  await run.dispose();
  return ((cpuMs() - start) * 1000) / (batches * PER_BATCH);
}

console.log(`bench:host — ${BATCHES} batches × ${PER_BATCH} realistic spans copied from a run's store to a studio's through the store host`);
await copy(4); // warm-up
const r = await copy(BATCHES);
console.log(`  end to end: ${Math.round((r.spans / r.wallMs) * 1000).toLocaleString('en')} spans/s (${r.spans} spans in ${Math.round(r.wallMs)} ms wall)`);
console.log(`  CPU (both sides): ${((r.cpuMs * 1000) / r.spans).toFixed(1)} µs per span; the run's store alone: ${(await alone(BATCHES)).toFixed(1)} µs per span`);
