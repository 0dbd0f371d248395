// Decode-only throughput of our OTLP protobuf decoder against protobufjs (schema declared in
// shared/otlp/fixtures/otlp-trace-proto.ts, decoding to its message objects) on the same realistic
// payloads (bench/ingest-payloads.ts, shared with the ingest bench): batches of 512 spans with 10
// attributes each and some events. For context it also
// times protobufjs decode+toObject (its closest route to text ids/int64s) and our OTLP/JSON decoder.
// Figures are per CPU-second of this process. Prints figures; asserts nothing. Run: npm run bench:decode
import protobuf from 'protobufjs';
import { buildSpan } from '../shared/model';
import { decodeOtlpJson, decodeOtlpProtobuf, encodeOtlpJson, encodeOtlpProtobuf } from '../shared/otlp';
import { OTLP_TRACE_PROTO } from '../shared/otlp/fixtures/otlp-trace-proto';
import { realisticBatch } from './ingest-payloads';

const BATCH = 512;
const BATCHES = 8;
const ROUNDS = 5;
const MIN_MS = 500;

/**
 * Time of one pass over all payloads, in ms of process CPU time (user + system): on a machine
 * shared with other jobs, wall time mostly measures the neighbours; CPU time measures the decoder.
 */
function pass(payloads: readonly (Uint8Array | string)[], decode: (p: never) => unknown): number {
  const before = process.cpuUsage();
  for (const p of payloads) decode(p as never);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

const rate = (ms: number, passes: number) => (passes * BATCHES * BATCH * 1000) / ms;
const fmt = (spansPerSecond: number) => Math.round(spansPerSecond).toLocaleString('en-US').padStart(12);

const Request = protobuf.parse(OTLP_TRACE_PROTO, { keepCase: true }).root.lookupType('otlp.ExportTraceServiceRequest');
const batches = Array.from({ length: BATCHES }, (_, i) => realisticBatch(i + 1, BATCH));
const payloads = batches.map((b) => encodeOtlpProtobuf(b));
const jsonPayloads = batches.map((b) => JSON.stringify(encodeOtlpJson(b)));
const bytes = payloads.reduce((n, p) => n + p.length, 0) / payloads.length;

// Sanity: both decoders read the same payloads completely.
for (const p of payloads) {
  if (decodeOtlpProtobuf(p).spans.length !== BATCH) throw new Error('our decoder lost spans');
  const msg = Request.decode(p) as unknown as { resource_spans: { scope_spans: { spans: unknown[] }[] }[] };
  if (msg.resource_spans[0]!.scope_spans[0]!.spans.length !== BATCH) throw new Error('protobufjs lost spans');
}

console.log(`decode benchmark: ${BATCHES} payloads × ${BATCH} spans (10 attributes, events on 1 in 4), ${Math.round(bytes / 1024)} KiB each`);
console.log('figures are spans per CPU-second (process user+system time), medians over rotating phases');
const decodeOurs = (p: Uint8Array) => decodeOtlpProtobuf(p);
const decodeTheirs = (p: Uint8Array) => Request.decode(p);
// What protobufjs needs to reach strings like ours (ids, int64 and timestamps as text), still short
// of our model (hex ids, derived fields): decode, then toObject.
const TO_OBJECT = { longs: String, bytes: String, enums: Number, defaults: false } as const;
const decodeTheirsToObject = (p: Uint8Array) => Request.toObject(Request.decode(p), TO_OBJECT);

/**
 * One phase: a decoder alone for MIN_MS of CPU after a short warm-up. Phases rotate between the
 * decoders, so slow and fast moments of a shared machine fall on all of them; each phase is long
 * enough that the previous decoder's garbage and JIT state do not dominate it.
 */
function phase(decode: (p: Uint8Array) => unknown, over: readonly Uint8Array[] = payloads): number {
  for (let i = 0; i < 5; i++) pass(over, decode);
  let ms = 0;
  let passes = 0;
  while (ms < MIN_MS) {
    ms += pass(over, decode);
    passes++;
  }
  return rate(ms, passes);
}

const results = { ours: [] as number[], theirs: [] as number[], theirsToObject: [] as number[] };
for (let round = 1; round <= ROUNDS; round++) {
  const ours = phase(decodeOurs);
  const theirs = phase(decodeTheirs);
  const theirsToObject = phase(decodeTheirsToObject);
  results.ours.push(ours);
  results.theirs.push(theirs);
  results.theirsToObject.push(theirsToObject);
  console.log(`round ${round}: ours ${fmt(ours)}   protobufjs decode ${fmt(theirs)}   protobufjs decode+toObject ${fmt(theirsToObject)}`);
}
// Context: the same spans with every attribute value unique (nothing for the decoder's KeyValue and
// string caches to reuse): the worst case for our decoder, far from real telemetry.
const uniquePayloads = batches.map((b, k) =>
  encodeOtlpProtobuf(b.map((s, i) => buildSpan({ ...s, attributes: s.attributes.map((a, j) => ({ key: a.key, value: { stringValue: `v${k}-${i}-${j}` } })) }))),
);
const uniqueRatios: number[] = [];
for (let round = 0; round < 3; round++) uniqueRatios.push(phase(decodeOurs, uniquePayloads) / phase(decodeTheirs, uniquePayloads));
let jsonMs = 0;
let jsonPasses = 0;
while (jsonMs < MIN_MS) {
  jsonMs += pass(jsonPayloads, (p: string) => decodeOtlpJson(p));
  jsonPasses++;
}
console.log(`ours, OTLP/JSON text (decodeOtlpJson): ${fmt(rate(jsonMs, jsonPasses))} spans/s`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ours = median(results.ours);
console.log(`median spans per CPU-second: ours ${fmt(ours)}, protobufjs decode ${fmt(median(results.theirs))}, decode+toObject ${fmt(median(results.theirsToObject))}`);
console.log(`ratio ours / protobufjs decode: ${(ours / median(results.theirs)).toFixed(2)}× (target ≥ 3×)`);
console.log(`ratio ours / protobufjs decode+toObject: ${(ours / median(results.theirsToObject)).toFixed(2)}×`);
console.log(`context, every attribute value unique (no reuse for our caches): ours / protobufjs decode ${median(uniqueRatios).toFixed(2)}×`);
