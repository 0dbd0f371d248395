// The load generator PROCESS for the ingest benchmark and the load test: posts pre-encoded OTLP
// payloads to a loopback receiver over keep-alive connections, retrying 429/503 after Retry-After,
// and prints JSON lines: {"event":"start",...} then {"event":"done",...}.
// Args: port format(protobuf|json) spansPerRequest concurrency requests [ratePerSecond]
import { Agent, request } from 'node:http';
import { encodeOtlpJson, encodeOtlpProtobuf } from '../shared/otlp';
import { realisticBatch } from './ingest-payloads';

const [portArg, format, perRequestArg, concurrencyArg, requestsArg, rateArg] = process.argv.slice(2);
const port = Number(portArg);
const perRequest = Number(perRequestArg);
const concurrency = Number(concurrencyArg);
const requests = Number(requestsArg);
const rate = rateArg ? Number(rateArg) : 0;
if (!port || (format !== 'protobuf' && format !== 'json') || !perRequest || !concurrency || !requests) {
  process.stderr.write('usage: ingest-load.ts PORT protobuf|json SPANS_PER_REQUEST CONCURRENCY REQUESTS [RATE]\n');
  process.exit(2);
}

// Distinct payloads cycled through (encoding each request fresh would measure the load generator).
const DISTINCT = 24;
const payloads = Array.from({ length: DISTINCT }, (_, i) => {
  const spans = realisticBatch(i + 1, perRequest);
  return format === 'json' ? Buffer.from(JSON.stringify(encodeOtlpJson(spans))) : Buffer.from(encodeOtlpProtobuf(spans));
});
const contentType = format === 'json' ? 'application/json' : 'application/x-protobuf';
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function send(body: Buffer): Promise<{ status: number; retryAfter: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': String(body.length) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 1) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let next = 0;
let okRequests = 0;
let retries = 0;
let failures = 0;
const started = Date.now();
const latencies: number[] = [];
process.stdout.write(JSON.stringify({ event: 'start', at: started, bytesPerRequest: Math.round(payloads.reduce((n, p) => n + p.length, 0) / DISTINCT) }) + '\n');

async function worker(): Promise<void> {
  for (;;) {
    const index = next++;
    if (index >= requests) return;
    if (rate > 0) {
      // Paced: request i is due at started + i / rate seconds.
      const due = started + (index * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const body = payloads[index % DISTINCT]!;
    for (;;) {
      const t0 = performance.now();
      try {
        const { status, retryAfter } = await send(body);
        if (status === 200) {
          latencies.push(performance.now() - t0);
          okRequests++;
          break;
        }
        if (status === 429 || status === 503) {
          retries++;
          await new Promise((r) => setTimeout(r, Math.min(1000, retryAfter * 100)));
          continue;
        }
        failures++;
        break;
      } catch {
        failures++;
        break;
      }
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, () => worker()));
const finished = Date.now();
latencies.sort((a, b) => a - b);
const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
process.stdout.write(
  JSON.stringify({ event: 'done', at: finished, okRequests, spans: okRequests * perRequest, retries, failures, p50Ms: pct(0.5), p99Ms: pct(0.99) }) + '\n',
);
agent.destroy();
