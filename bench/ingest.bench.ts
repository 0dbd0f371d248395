// bench:ingest — (a) decode-only: our protobuf decoder vs protobufjs on the same payloads;
// (b) end-to-end OTLP/HTTP protobuf over keep-alive from a separate load process into the
// receiver + DuckDB store, spans/s with zero loss, answered after the commit (durable, the
// default) and — beside it — once queued (--ack=queued); (c) the same with OTLP/JSON, and (c′) without
// the store. Prints figures.
import { loadavg } from 'node:os';
import protobuf from 'protobufjs';
import { decodeOtlpProtobuf, encodeOtlpProtobuf } from '../shared/otlp';
import { OTLP_TRACE_PROTO } from '../shared/otlp/fixtures/otlp-trace-proto';
import { runLoad, type LoadOutcome, type LoadPlan } from './ingest-harness';
import { realisticBatch } from './ingest-payloads';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

// Rates are spans per CPU-second of this process (user+system): comparable on a shared machine.
function decodeRatio(): void {
  const Request = protobuf.parse(OTLP_TRACE_PROTO, { keepCase: true }).root.lookupType('otlp.ExportTraceServiceRequest');
  const payloads = Array.from({ length: 8 }, (_, i) => encodeOtlpProtobuf(realisticBatch(i + 1, 512)));
  // protobufjs's closest route to the information our Span objects carry (ids, int64s and
  // timestamps as text): decode, then toObject. Still short of our model (hex ids, derived fields).
  const TO_OBJECT = { longs: String, bytes: String, enums: Number, defaults: false } as const;
  const cpuMs = (): number => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  const rate = (decode: (p: Uint8Array) => unknown): number => {
    let spans = 0;
    const t0 = cpuMs();
    while (cpuMs() - t0 < 400) {
      for (const p of payloads) decode(p);
      spans += payloads.length * 512;
    }
    return (spans / (cpuMs() - t0)) * 1000;
  };
  const raw: number[] = [];
  const full: number[] = [];
  for (let round = 0; round < 3; round++) {
    const ours = rate((p) => decodeOtlpProtobuf(p));
    const theirs = rate((p) => Request.decode(p));
    const theirsObject = rate((p) => Request.toObject(Request.decode(p), TO_OBJECT));
    raw.push(ours / theirs);
    full.push(ours / theirsObject);
    console.log(
      `  round ${round + 1} (spans per CPU-second): ours ${fmt(ours)}, protobufjs decode ${fmt(theirs)} (${(ours / theirs).toFixed(2)}×), ` +
        `protobufjs decode+toObject ${fmt(theirsObject)} (${(ours / theirsObject).toFixed(2)}×)`,
    );
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[1]!;
  console.log(`  median ratio ours / protobufjs decode (message objects, Long ids as bytes): ${median(raw).toFixed(2)}× (target ≥ 3×)`);
  console.log(`  median ratio ours / protobufjs decode+toObject (text int64s and ids, the fair comparison): ${median(full).toFixed(2)}×`);
}

function report(label: string, plan: LoadPlan, r: LoadOutcome): void {
  const lost = r.sentSpans - r.storedSpans;
  console.log(
    `  ${label}: ${fmt(r.spansPerSecond)} spans/s end-to-end (${fmt(r.storedSpans)} spans in ${r.seconds.toFixed(2)} s, ` +
      `${plan.requests} requests × ${plan.spansPerRequest} spans, ${fmt(r.bytesPerRequest)} B each, concurrency ${plan.concurrency})`,
  );
  console.log(
    `    acknowledged ${fmt(r.sentSpans)}, stored ${fmt(r.storedSpans)}, lost ${lost}, retries (429) ${r.retries}, failures ${r.failures}, ` +
      `request latency p50 ${r.p50Ms.toFixed(1)} ms p99 ${r.p99Ms.toFixed(1)} ms ${lost === 0 && r.failures === 0 ? '— zero loss' : '— LOSS'}`,
  );
  console.log(
    `    receiver process CPU ${r.receiverCpuSeconds.toFixed(2)} s → ${fmt(r.spansPerCpuSecond)} spans per CPU-second ` +
      `(all threads; the wall-clock figure depends on what else the machine runs: load average ${loadavg()[0]!.toFixed(1)})`,
  );
  if (lost !== 0 || r.failures !== 0) process.exitCode = 1;
}

const requests = Number(process.env.INGEST_REQUESTS ?? 400);
console.log('(a) decode only');
decodeRatio();
console.log('(b) OTLP/HTTP protobuf → receiver → DuckDB store in its writer thread, as `clnrm collect` runs (target ≥ 150,000 spans/s)');
const pb: LoadPlan = { format: 'protobuf', spansPerRequest: 500, concurrency: 8, requests, writerThread: true, ack: 'stored' };
report('protobuf, writer thread, --ack=stored (answered after the commit)', pb, await runLoad(pb));
const pbQueued: LoadPlan = { ...pb, ack: 'queued' };
report('protobuf, writer thread, --ack=queued (answered once queued)', pbQueued, await runLoad(pbQueued));
console.log('(b″) the same with the database in the receiving thread (one core for everything)');
const pbOne: LoadPlan = { ...pb, writerThread: false };
report('protobuf, one thread', pbOne, await runLoad(pbOne));
console.log('(b′) the same without the store (receiver + decoder only, spans counted in memory): where the time goes');
const pbOnly: LoadPlan = { ...pb, store: false };
report('protobuf, no store', pbOnly, await runLoad(pbOnly));
console.log('(c) OTLP/HTTP JSON → receiver → DuckDB store in its writer thread (target ≥ 100,000 spans/s)');
const js: LoadPlan = { format: 'json', spansPerRequest: 500, concurrency: 8, requests: Math.ceil(requests / 2), writerThread: true };
report('json, writer thread, --ack=stored', js, await runLoad(js));
console.log('(c′) the same without the store: the JSON receiver + decoder alone');
const jsOnly: LoadPlan = { ...js, store: false };
report('json, no store', jsOnly, await runLoad(jsOnly));
