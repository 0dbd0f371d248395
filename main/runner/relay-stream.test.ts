// The runner's side of the flush handshake, over a scripted container output (Docker's multiplexed
// frames, records split across frames as a log driver splits long lines): spans are stored as they come;
// settle() passes only with the end marker and at least its count, and names what went wrong otherwise.
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { Span } from '../../shared/model';
import { encodeOtlpProtobuf } from '../../shared/otlp';
import { endLine, readyLine, spansLine } from '../relay/frames';
import { makeTraces, resourceFor } from '../store/test-spans';
import { RelayFollower } from './relay-stream';

const spans = makeTraces(2, 3, resourceFor('api', { 'clnrm.execution_id': 'e1' }));

/** Docker's frame for `text` on stdout (1) or stderr (2). */
function frame(text: string, stream: 1 | 2 = 1): Buffer {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

async function follow(chunks: Buffer[], end = true): Promise<{ follower: RelayFollower; got: { stored: Span[]; commits: number } }> {
  const output = new PassThrough();
  const docker = new Docker({ socketPath: '/nonexistent' });
  docker.getContainer = (() => ({ logs: () => Promise.resolve(output) })) as unknown as Docker['getContainer'];
  const got = { stored: [] as Span[], commits: 0 };
  const store = { ingest: (s: readonly Span[]) => void got.stored.push(...s), commit: () => Promise.resolve(void got.commits++) };
  const follower = new RelayFollower({ docker, containerId: 'c1', store, executionId: 'e1' });
  await follower.follow();
  for (const c of chunks) output.write(c);
  if (end) output.end();
  return { follower, got };
}

const record = spansLine(spans.length, encodeOtlpProtobuf(spans));

describe('relay follower', () => {
  it('stores every record, rejoins a record split across frames, and settles on the end marker', async () => {
    const cut = Math.floor(record.length / 2);
    const r = await follow([frame(readyLine(4318)), frame('otlp-relay: listening\n', 2), frame(record.slice(0, cut)), frame(record.slice(cut)), frame(record), frame(endLine(spans.length * 2))]);
    expect(await r.follower.settle(2000)).toEqual({ delivered: spans.length * 2, accepted: spans.length * 2 });
    expect(r.got.stored.map((s) => s.spanId)).toEqual([...spans, ...spans].map((s) => s.spanId));
    expect(r.got.commits).toBeGreaterThan(0);
  });

  it('is relay.lost without the end marker (a relay that died), quoting its last messages', async () => {
    const r = await follow([frame(record), frame('otlp-relay: out of memory\n', 2)]);
    await expect(r.follower.settle(2000)).rejects.toMatchObject({ problem: { code: 'relay.lost', message: expect.stringMatching(/relay of execution e1 stopped without its end marker.*6 spans came home.*out of memory/) } });
  });

  it('is relay.lost when fewer spans came home than the relay acknowledged', async () => {
    const r = await follow([frame(record), frame(endLine(spans.length + 1))]);
    await expect(r.follower.settle(2000)).rejects.toMatchObject({ problem: { code: 'relay.lost', message: expect.stringMatching(/accepted 7 spans but only 6 came home/), details: { delivered: 6, accepted: 7 } } });
  });

  it('is relay.lost for a damaged record, and when the output does not end in time', async () => {
    const damaged = await follow([frame('CLNRM-RELAY/1 spans 6 ***\n'), frame(endLine(0))]);
    await expect(damaged.follower.settle(2000)).rejects.toMatchObject({ problem: { code: 'relay.lost', message: expect.stringMatching(/damaged record/) } });
    const hanging = await follow([frame(record)], false);
    await expect(hanging.follower.settle(50)).rejects.toMatchObject({ problem: { code: 'relay.lost', message: expect.stringMatching(/did not finish within 50 ms/) } });
    hanging.follower.close();
  });
});
