// Container output plumbing: Docker multiplexes stdout/stderr of non-TTY containers into frames
// (8-byte header: stream type, 3 zero bytes, big-endian length). These helpers split them, cap what they
// keep, and read a container's recent log lines.
import { Writable } from 'node:stream';
import type Docker from 'dockerode';

/** Collects bytes up to a cap (keeps the head, counts the rest) so a chatty process cannot exhaust memory. */
export class CappedBuffer extends Writable {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  dropped = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const room = this.maxBytes - this.kept;
    if (room > 0) {
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.chunks.push(part);
      this.kept += part.length;
    }
    this.dropped += Math.max(0, chunk.length - Math.max(0, room));
    callback();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Splits a complete multiplexed buffer (as `logs({ follow: false })` returns) into its two streams. */
export function demuxBuffer(buffer: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const type = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    const frame = buffer.subarray(offset + 8, offset + 8 + size);
    (type === 2 ? err : out).push(frame);
    offset += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** The last `tail` log lines (stdout and stderr interleaved as Docker stored them). */
export async function readLogTail(container: Docker.Container, tail: number): Promise<string[]> {
  const raw = (await container.logs({ stdout: true, stderr: true, follow: false, tail })) as unknown as Buffer;
  const lines: string[] = [];
  let offset = 0;
  // Frame by frame (not stream by stream) so the interleaving of stdout and stderr survives.
  while (offset + 8 <= raw.length) {
    const size = raw.readUInt32BE(offset + 4);
    lines.push(raw.subarray(offset + 8, offset + 8 + size).toString('utf8'));
    offset += 8 + size;
  }
  if (offset === 0 && raw.length > 0) lines.push(raw.toString('utf8')); // a TTY container: no frames
  const all = lines.join('').split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all.map((l) => l.replace(/\r$/, '')).slice(-tail);
}

/** Splits a growing text stream into whole lines (the last partial line waits for its newline). */
export class LineSplitter {
  private pending = '';
  push(text: string): string[] {
    const parts = (this.pending + text).split('\n');
    this.pending = parts.pop() ?? '';
    return parts.map((l) => l.replace(/\r$/, ''));
  }
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest ? [rest] : [];
  }
}
