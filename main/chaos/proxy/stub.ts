// What one toxic sees of one stream of one connection (Toxiproxy's "stub"): an input queue of chunks,
// an output, an interrupt signal (the toxic was updated, removed, or a neighbour changed) and ways to
// close or reset the connection. Toxics are async loops over this; interrupted, they return without
// dropping data: a chunk they hold goes out, an end they hold goes back to the input.
import { setTimeout as delay } from 'node:timers/promises';

export interface Chunk {
  data: Buffer;
  /** performance.now() when the proxy read it, moved on by delays (latency counts from here). */
  at: number;
}

/** The end of a stream: its source ended (`eof`, passed on as a half-close) or a toxic closed it. */
export interface End {
  readonly end: 'eof' | 'close';
}

export type Item = Chunk | End;
export const isEnd = (item: Item): item is End => 'end' in item;

export interface Output {
  push(item: Item): void;
}

const TIMED_OUT = Symbol('timed out');

/** An unbounded FIFO; the link bounds what is inside all its queues together (see link.ts). */
export class ChunkQueue implements Output {
  private items: Item[] = [];
  private wake: (() => void) | undefined;

  get length(): number {
    return this.items.length;
  }

  push(item: Item): void {
    this.items.push(item);
    this.wake?.();
  }

  /** Puts an item back in front (a toxic interrupted while holding it). */
  unshift(item: Item): void {
    this.items.unshift(item);
    this.wake?.();
  }

  /** Everything queued, oldest first, leaving the queue empty. */
  drain(): Item[] {
    const out = this.items;
    this.items = [];
    return out;
  }

  /** The next item, or `undefined` when interrupted. Only one taker at a time (the toxic on this queue). */
  async take(signal: AbortSignal): Promise<Item | undefined> {
    const item = await this.takeWithin(signal);
    return item === TIMED_OUT ? undefined : item;
  }

  /** As take(), or TIMED_OUT when `timeoutMs` passed without an item. */
  async takeWithin(signal: AbortSignal, timeoutMs?: number): Promise<Item | undefined | typeof TIMED_OUT> {
    if (signal.aborted) return undefined;
    const ready = this.items.shift();
    if (ready) return ready;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        if (timer) clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      signal.addEventListener('abort', done);
      if (timeoutMs !== undefined) timer = setTimeout(done, timeoutMs);
    });
    if (signal.aborted) return undefined;
    return this.items.shift() ?? TIMED_OUT;
  }
}

export { TIMED_OUT };

export interface Stub {
  readonly input: ChunkQueue;
  readonly output: Output;
  /** Aborted when the toxic must stop (update, removal, a neighbour added or removed, connection gone). */
  readonly signal: AbortSignal;
  /** Per connection and toxic, kept across updates (limit_data's byte count, the HTTP parser). */
  readonly state: Record<string, unknown>;
  /** Data a toxic throws away (timeout, limit_data): frees its room in the link's budget. */
  drop(chunk: Chunk): void;
  /** Ends this stream as a toxic's doing: the connection closes once what was sent is flushed. */
  close(): void;
  /** Resets the whole connection (TCP RST both ways). */
  reset(): void;
  /** Writes straight to the client (HTTP toxics answering in the server's place). */
  respond(data: Buffer, thenClose: boolean): void;
}

/** Waits `ms` (fractions allowed; Node's timers round to whole ms); false when interrupted first. */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
