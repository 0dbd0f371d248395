// npm run load — sustained load: 60 s at ≥ 500 OTLP/HTTP requests/s from a separate process to
// the loopback receiver + DuckDB store; the final span count in the database must be exact.
// The store runs its database in the writer thread, as `clnrm collect` does. Runs outside `npm test`
// (it takes a minute). LOAD_SECONDS / LOAD_RPS / LOAD_SPANS override.
import { runLoad } from './ingest-harness';

const seconds = Number(process.env.LOAD_SECONDS ?? 60);
const rps = Number(process.env.LOAD_RPS ?? 520);
const spansPerRequest = Number(process.env.LOAD_SPANS ?? 20);
const requests = Math.round(seconds * rps);
console.log(`load: ${requests} requests of ${spansPerRequest} spans at ${rps} requests/s for ${seconds} s (OTLP/HTTP protobuf, keep-alive, 16 connections)`);
const r = await runLoad({ format: 'protobuf', spansPerRequest, concurrency: 16, requests, rate: rps, writerThread: true });
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(`  achieved ${r.requestsPerSecond.toFixed(1)} requests/s, ${fmt(r.okRequests)} requests acknowledged, ${r.retries} retried after 429, ${r.failures} failed`);
console.log(`  spans acknowledged ${fmt(r.sentSpans)}, spans in the database ${fmt(r.storedSpans)} → ${r.sentSpans === r.storedSpans ? 'exact' : 'MISMATCH'}`);
console.log(`  request latency p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms; everything stored ${r.seconds.toFixed(1)} s after the first request`);
if (r.sentSpans !== r.storedSpans || r.failures > 0 || r.okRequests !== requests) process.exitCode = 1;
if (r.requestsPerSecond < 500) {
  console.log('  below the 500 requests/s target (a busy machine?)');
  process.exitCode = 1;
}
