// An acknowledged span is a stored span (security suite): a child process runs the receiver and
// the store; several clients send under load; the child is SIGKILLed mid-stream; the reopened
// store must hold every span of every request that was answered 200 — and nothing that was never
// sent. Requests still unanswered at the kill may or may not be there (they were never promised).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeOtlpProtobuf } from '../../shared/otlp';
import { openStore } from '../store';
import { makeTraces, resourceFor } from '../store/test-spans';
import { post } from './test-client';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const TRACES_PER_REQUEST = 40;
const SPANS_PER_TRACE = 5;
const CLIENTS = 8;

describe('durable acknowledgement under SIGKILL', () => {
  it('stores every acknowledged span, exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-ack-'));
    dirs.push(dir);
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'receive-child.fixture.ts'), dir, 'stored'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /port (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      void exited.then(() => reject(new Error(`receiver child exited before listening: ${out}`)));
    });

    // Each request carries its own traces (first trace number = request number × TRACES_PER_REQUEST).
    const acknowledged = new Set<number>();
    const unanswered = new Set<number>();
    /** What each answered request got (a status, or the connection error), for the failure message. */
    const outcome = new Map<number, string>();
    let next = 0;
    let killed = false;
    const client = async (): Promise<void> => {
      while (!killed) {
        const request = next++;
        const body = encodeOtlpProtobuf(makeTraces(TRACES_PER_REQUEST, SPANS_PER_TRACE, resourceFor('ack'), request * TRACES_PER_REQUEST + 1));
        unanswered.add(request);
        const reply = await post(port, '/v1/traces', body, { 'content-type': 'application/x-protobuf' }).catch((e: Error) => e);
        if (killed) return;
        unanswered.delete(request);
        outcome.set(request, reply instanceof Error ? reply.message : `${reply.status} ${reply.body.toString().slice(0, 200)}`);
        const ok = !(reply instanceof Error) && reply.status === 200;
        if (ok) acknowledged.add(request);
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    // Under load for a while (bounded): enough acknowledged requests that several commits happened.
    const deadline = Date.now() + 30_000;
    while (acknowledged.size < 150) {
      if (Date.now() > deadline) throw new Error(`too little progress: ${acknowledged.size} acknowledged requests`);
      await new Promise((r) => setTimeout(r, 20));
    }
    killed = true;
    child.kill('SIGKILL');
    await exited;
    await Promise.all(clients);

    const store = await openStore({ dataDir: dir });
    try {
      const perTrace = new Map<string, number>();
      for (const span of await store.getSpans('all')) perTrace.set(span.traceId, (perTrace.get(span.traceId) ?? 0) + 1);
      const requestOf = (traceId: string) => Math.floor((parseInt(traceId.slice(-8), 16) - 1) / TRACES_PER_REQUEST);
      const storedRequests = new Set([...perTrace.keys()].map(requestOf));
      const lost = [...acknowledged].filter((r) => !storedRequests.has(r));
      expect(lost).toEqual([]);
      // Acknowledged requests are whole: every span of every trace.
      for (const [traceId, count] of perTrace) if (acknowledged.has(requestOf(traceId))) expect(count, traceId).toBe(SPANS_PER_TRACE);
      // Beyond them, only requests that were in flight when the receiver died.
      const extra = [...storedRequests].filter((r) => !acknowledged.has(r));
      expect(extra.filter((r) => !unanswered.has(r)).map((r) => `${r}: ${outcome.get(r)}`)).toEqual([]);
    } finally {
      await store.dispose();
    }
  });
});
