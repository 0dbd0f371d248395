// Toxiproxy's stream toxics as async loops over a stub (stub.ts), with Toxiproxy's semantics (its
// toxics/*.go): latency counts from when a chunk arrived; bandwidth spends rate bytes per ms; timeout
// drops data and closes after a quiet `timeout` (0 = never); reset_peer resets once data arrives;
// slicer cuts chunks by halving around average_size; limit_data closes after `bytes`.
// Each returns when interrupted or once its stream ended (then it is never run again).
import { performance } from 'node:perf_hooks';
import type { ToxicAttributes } from '../../../shared/chaos/toxics';
import { isEnd, sleep, TIMED_OUT, type Chunk, type Stub } from './stub';

export type ToxicLoop = (stub: Stub, attributes: ToxicAttributes) => Promise<'interrupted' | 'ended'>;

const num = (a: ToxicAttributes, name: string): number => a[name] as number;

/** An unaffected connection (toxicity) and the hidden first link of every chain. */
export const passThrough: ToxicLoop = async (stub) => {
  for (;;) {
    const item = await stub.input.take(stub.signal);
    if (!item) return 'interrupted';
    stub.output.push(item);
    if (isEnd(item)) return 'ended';
  }
};

const latency: ToxicLoop = async (stub, a) => {
  const base = num(a, 'latency');
  const jitter = num(a, 'jitter');
  for (;;) {
    const item = await stub.input.take(stub.signal);
    if (!item) return 'interrupted';
    if (isEnd(item)) return (stub.output.push(item), 'ended');
    const wanted = jitter > 0 ? base + (Math.random() * 2 - 1) * jitter : base;
    const wait = wanted - (performance.now() - item.at);
    if (!(await sleep(wait, stub.signal))) return (stub.output.push(item), 'interrupted');
    if (wait > 0) item.at += wait;
    stub.output.push(item);
  }
};

const bandwidth: ToxicLoop = async (stub, a) => {
  const rate = num(a, 'rate'); // bytes per ms
  let owed = 0; // ms of sending time not yet waited for
  for (;;) {
    const item = await stub.input.take(stub.signal);
    if (!item) return 'interrupted';
    if (isEnd(item)) return (stub.output.push(item), 'ended');
    owed += item.data.length / rate;
    // A big chunk goes out in 100 ms slices so the rate holds within a chunk too.
    while (item.data.length > rate * 100) {
      if (!(await sleep(100, stub.signal))) return (stub.output.push(item), 'interrupted');
      stub.output.push({ data: item.data.subarray(0, rate * 100), at: item.at });
      item.data = item.data.subarray(rate * 100);
      owed -= 100;
    }
    const start = performance.now();
    if (!(await sleep(owed, stub.signal))) return (stub.output.push(item), 'interrupted');
    owed -= performance.now() - start;
    stub.output.push(item);
  }
};

const slowClose: ToxicLoop = async (stub, a) => {
  for (;;) {
    const item = await stub.input.take(stub.signal);
    if (!item) return 'interrupted';
    if (!isEnd(item)) {
      stub.output.push(item);
      continue;
    }
    if (!(await sleep(num(a, 'delay'), stub.signal))) return (stub.input.unshift(item), 'interrupted');
    stub.output.push(item);
    return 'ended';
  }
};

const timeout: ToxicLoop = async (stub, a) => {
  const quiet = num(a, 'timeout');
  for (;;) {
    const item = await stub.input.takeWithin(stub.signal, quiet > 0 ? quiet : undefined);
    if (item === TIMED_OUT) return (stub.close(), 'ended');
    if (!item) return 'interrupted';
    if (isEnd(item)) return (stub.output.push(item), 'ended');
    stub.drop(item);
  }
};

const resetPeer: ToxicLoop = async (stub, a) => {
  const item = await stub.input.take(stub.signal);
  if (!item) return 'interrupted';
  if (!(await sleep(num(a, 'timeout'), stub.signal))) return (stub.input.unshift(item), 'interrupted');
  stub.reset();
  return 'ended';
};

/** Piece boundaries of `length` bytes: halve until a piece is within size_variation of average_size. */
export function slicePoints(length: number, average: number, variation: number): number[] {
  const points: number[] = [];
  const cut = (start: number, end: number): void => {
    if (end - start - average <= variation) return void points.push(end);
    let mid = start + Math.floor((end - start) / 2);
    if (variation > 0) mid += Math.floor(Math.random() * variation * 2) - variation;
    cut(start, mid);
    cut(mid, end);
  };
  cut(0, length);
  return points;
}

const slicer: ToxicLoop = async (stub, a) => {
  const pause = num(a, 'delay') / 1000; // µs → ms
  for (;;) {
    const item = await stub.input.take(stub.signal);
    if (!item) return 'interrupted';
    if (isEnd(item)) return (stub.output.push(item), 'ended');
    let from = 0;
    for (const to of slicePoints(item.data.length, num(a, 'average_size'), num(a, 'size_variation'))) {
      stub.output.push({ data: item.data.subarray(from, to), at: item.at });
      from = to;
      if (from < item.data.length && !(await sleep(pause, stub.signal))) {
        stub.output.push({ data: item.data.subarray(from), at: item.at });
        return 'interrupted';
      }
    }
  }
};

const limitData: ToxicLoop = async (stub, a) => {
  const limit = num(a, 'bytes');
  const state = stub.state as { sent?: number };
  for (;;) {
    const item = await stub.input.take(stub.signal);
    if (!item) return 'interrupted';
    if (isEnd(item)) return (stub.output.push(item), 'ended');
    const room = Math.max(0, limit - (state.sent ?? 0));
    const kept: Chunk = item.data.length > room ? { data: item.data.subarray(0, room), at: item.at } : item;
    if (kept !== item) stub.drop({ data: item.data.subarray(room), at: item.at });
    if (kept.data.length > 0) stub.output.push(kept);
    state.sent = (state.sent ?? 0) + kept.data.length;
    if (state.sent >= limit) return (stub.close(), 'ended');
  }
};

export const STREAM_TOXICS: Readonly<Record<string, ToxicLoop>> = {
  latency, bandwidth, slow_close: slowClose, timeout, reset_peer: resetPeer, slicer, limit_data: limitData,
};

/** Toxics that take the connection down with them when removed (Toxiproxy's timeout Cleanup closes it). */
export const CLOSES_ON_REMOVAL: ReadonlySet<string> = new Set(['timeout']);
