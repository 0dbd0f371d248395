// Part of `npm run bench:runner`: what the span relay (main/relay, main/runner/relay.ts) adds to span
// delivery. On the local engine, one run per path at the same time (so both see the same machine load) —
// direct to the run's receiver (CLNRM_RELAY=never) and through the relay (CLNRM_RELAY=always) — in
// each a step in a node container sends SAMPLES single-span OTLP/JSON requests one after another, each
// span stamped with its send time.
// Latency = when the store hands the span to a subscriber − that stamp (containers share this machine's
// clock). Prints p50/p95/max per path and the difference; asserts nothing.
import { connectDocker } from '../main/docker/connect';
import { imageExists } from '../main/docker/images';
import { RELAY_IMAGE } from '../main/runner/relay';
import { runTests } from '../main/runner/runner';
import { openStore, type TraceStore } from '../main/store';
import { findAttribute, toText, type Span } from '../shared/model';

const NODE = 'cleanroom/node:20';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 60);

/** Runs in the container: SAMPLES spans, one request each, sent when the previous one was answered. */
const SENDER = `
const http = require('node:http');
const attrs = (process.env.OTEL_RESOURCE_ATTRIBUTES || '').split(',').filter(Boolean).map((p) => { const i = p.indexOf('='); return { key: p.slice(0, i), value: { stringValue: decodeURIComponent(p.slice(i + 1)) } }; });
const url = new URL(process.env.OTEL_EXPORTER_OTLP_ENDPOINT + '/v1/traces');
const hex = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
const post = (body) => new Promise((resolve, reject) => { const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); }); req.on('error', reject); req.end(body); });
(async () => {
  for (let i = 0; i < ${SAMPLES}; i++) {
    const now = String(BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n);
    const span = { traceId: hex(32), spanId: hex(16), name: 'relay.probe', kind: 1, startTimeUnixNano: now, endTimeUnixNano: now };
    const status = await post(JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'probe' } }, ...attrs] }, scopeSpans: [{ spans: [span] }] }] }));
    if (status !== 200) throw new Error('export answered ' + status);
    await new Promise((r) => setTimeout(r, 20));
  }
  console.log('sent');
})().catch((e) => { console.error(e.message); process.exit(1); });
`;

const IDLE = `process.on('SIGTERM', () => process.exit(0)); setInterval(() => undefined, 1 << 30);`;

const testFile = `[meta]
name = "relay_latency"

[services.sender]
image = "${NODE}"
args = ["node", "-e", ${JSON.stringify(IDLE)}]

[[scenario]]
name = "probe"

[[scenario.steps]]
name = "send"
service = "sender"
command = ["node", "-e", ${JSON.stringify(SENDER)}]
expected_output_regex = "sent"
`;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (us: number): string => `${(us / 1000).toFixed(2).padStart(7)} ms`;

const runIdOf = (mode: Mode): string => `relay-bench-${mode}-${process.pid}`;
type Mode = 'never' | 'always';

async function run(store: TraceStore, mode: Mode): Promise<void> {
  const summary = await runTests({ sources: [{ file: 'relay-latency.clnrm.toml', source: testFile }], cwd: process.cwd(), env: { ...process.env, CLNRM_RELAY: mode }, store, docker: await connectDocker(process.env), runId: runIdOf(mode), quietMs: 200, writeReports: false });
  const test = summary.tests[0]!;
  if (test.verdict !== 'passed') throw new Error(`the ${mode} run did not pass: ${JSON.stringify([summary.environmentProblem, test.problems, test.executions[0]?.steps])}`);
}

/** Both paths at once; each span's latency filed under the run that carried it. */
async function latencies(store: TraceStore): Promise<Record<Mode, number[]>> {
  const got: Record<Mode, number[]> = { never: [], always: [] };
  const modeOf = (span: Span): Mode | undefined => {
    const run = findAttribute(span.resource.attributes, 'clnrm.run_id');
    const id = run === undefined ? undefined : toText(run);
    return id === runIdOf('never') ? 'never' : id === runIdOf('always') ? 'always' : undefined;
  };
  const unsubscribe = store.subscribe(
    ({ spans }) => {
      const arrivedUs = (performance.timeOrigin + performance.now()) * 1000;
      for (const span of spans) got[modeOf(span) ?? 'never'].push(arrivedUs - (span.startUs + span.durationUs));
    },
    { filter: (span) => span.name === 'relay.probe' && modeOf(span) !== undefined },
  );
  try {
    await Promise.all([run(store, 'never'), run(store, 'always')]);
  } finally {
    unsubscribe();
  }
  return got;
}

async function main(): Promise<void> {
  const { docker } = await connectDocker(process.env);
  for (const image of [NODE, RELAY_IMAGE]) if (!(await imageExists(docker, image))) throw new Error(`${image} missing: run node scripts/build.mjs && resources/images/build.sh`);
  const store = await openStore({ inMemory: true });
  try {
    const got = await latencies(store);
    const rows = { never: got.never.sort((a, b) => a - b), always: got.always.sort((a, b) => a - b) };
    console.log(`relay latency (span export in a container → in the store; local engine; ${SAMPLES} spans per path, one request each, both paths at once):`);
    for (const [mode, label] of [['never', 'direct to the receiver'], ['always', 'through the relay     ']] as const) {
      const v = rows[mode];
      console.log(`  ${label}  n=${String(v.length).padStart(3)}  p50 ${fmt(percentile(v, 50))}  p95 ${fmt(percentile(v, 95))}  max ${fmt(v.at(-1) ?? 0)}`);
    }
    const [direct, relayed] = [rows.never, rows.always];
    console.log(`  relay adds           p50 ${fmt(percentile(relayed, 50) - percentile(direct, 50))}  p95 ${fmt(percentile(relayed, 95) - percentile(direct, 95))}`);
  } finally {
    await store.dispose();
  }
}

await main();
