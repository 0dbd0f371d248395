// One direction of one connection: source socket → a chain of toxic stages → destination socket.
// With no toxic the source writes straight to the destination (the cost of the proxy is one write).
// Toxics are added at the end of the chain, updated and removed while data flows, as Toxiproxy's
// ToxicLink does: the stages next to the change are interrupted, rewired and restarted; nothing
// queued is lost or reordered. Back-pressure: all queues of the link together hold at most
// HIGH_WATER bytes (the source is paused above it) and the sink waits for the socket's 'drain'.
import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import type { Toxic } from '../../../shared/chaos/toxics';
import { ChunkQueue, isEnd, type Chunk, type Item, type Output, type Stub } from './stub';
import { toxicLoop } from './toxic-loops';
import { CLOSES_ON_REMOVAL } from './stream-toxics';

export const HIGH_WATER = 4 * 1024 * 1024;

export interface LinkHooks {
  /** A toxic closed this stream: flush, then close the whole connection. */
  close(): void;
  /** A toxic reset the connection. */
  reset(): void;
  /** Bytes written to the client directly (HTTP toxics). */
  respond(data: Buffer, thenClose: boolean): void;
}

interface Stage {
  toxic: Toxic;
  /** Decided per connection by toxicity (again when the toxic is updated). */
  active: boolean;
  readonly input: ChunkQueue;
  output: Output;
  readonly state: Record<string, unknown>;
  controller: AbortController;
  running: Promise<unknown> | undefined;
  /** Its stream ended through it, or it closed the stream: never run again. */
  finished: boolean;
}

/** Writes to the destination socket in order, waiting for 'drain' when the socket's buffer is full. */
class Sink implements Output {
  private readonly waiting: Item[] = [];
  private blocked = false;
  ended = false;

  constructor(private readonly dest: Socket, private readonly written: (bytes: number) => void, private readonly closed: () => void) {
    dest.on('drain', () => this.flush());
  }

  push(item: Item): void {
    if (this.blocked || this.waiting.length > 0) return void this.waiting.push(item);
    this.write(item);
  }

  private write(item: Item): void {
    if (this.ended || this.dest.destroyed) return isEnd(item) ? undefined : this.written(item.data.length);
    if (isEnd(item)) {
      this.ended = true;
      if (item.end === 'close') this.dest.end(() => this.closed());
      else this.dest.end();
      return;
    }
    this.blocked = !this.dest.write(item.data);
    this.written(item.data.length);
  }

  private flush(): void {
    this.blocked = false;
    while (!this.blocked && this.waiting.length > 0) this.write(this.waiting.shift()!);
  }
}

export class Link {
  private readonly stages: Stage[] = [];
  private readonly sink: Sink;
  private buffered = 0;
  private paused = false;
  /** Chain changes one at a time: each awaits the interrupted stages. */
  private changing: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly source: Socket, dest: Socket, private readonly hooks: LinkHooks) {
    this.sink = new Sink(dest, (n) => this.release(n), () => hooks.close());
    source.on('data', (data: Buffer) => this.receive(data));
    source.on('end', () => this.head().push({ end: 'eof' }));
  }

  private head(): Output {
    return this.stages[0]?.input ?? this.sink;
  }

  private receive(data: Buffer): void {
    this.buffered += data.length;
    this.head().push({ data, at: performance.now() });
    if (this.buffered > HIGH_WATER && !this.paused) {
      this.paused = true;
      this.source.pause();
    }
  }

  private release(bytes: number): void {
    this.buffered -= bytes;
    if (this.paused && this.buffered < HIGH_WATER / 2 && !this.disposed) {
      this.paused = false;
      this.source.resume();
    }
  }

  add(toxic: Toxic): Promise<void> {
    return this.serially(async () => {
      const last = this.stages.at(-1);
      if (last?.finished) return; // the stream already ended: nothing more flows
      const stage = this.newStage(toxic, this.sink);
      if (last) {
        await this.interrupt(last);
        last.output = stage.input;
        this.start(last);
      }
      this.stages.push(stage);
      this.start(stage);
    });
  }

  update(toxic: Toxic): Promise<void> {
    return this.serially(async () => {
      const stage = this.stages.find((s) => s.toxic.name === toxic.name);
      if (!stage || stage.finished) return;
      await this.interrupt(stage);
      stage.toxic = toxic;
      stage.active = roll(toxic.toxicity);
      this.start(stage);
    });
  }

  remove(name: string): Promise<void> {
    return this.serially(async () => {
      const index = this.stages.findIndex((s) => s.toxic.name === name);
      if (index < 0) return;
      const stage = this.stages[index]!;
      const previous = this.stages[index - 1];
      await this.interrupt(stage);
      if (previous) await this.interrupt(previous);
      this.stages.splice(index, 1);
      if (stage.active && !stage.finished && CLOSES_ON_REMOVAL.has(stage.toxic.type)) {
        stage.output.push({ end: 'close' });
        return;
      }
      // What waited for the removed toxic moves on, in order, before anything newer.
      for (const item of stage.input.drain()) stage.output.push(item);
      if (previous) {
        previous.output = stage.output;
        this.start(previous);
      }
    });
  }

  /** The connection is gone: stop every toxic. */
  dispose(): void {
    this.disposed = true;
    for (const stage of this.stages) stage.controller.abort();
  }

  private serially(change: () => Promise<void>): Promise<void> {
    const next = this.changing.then(() => (this.disposed ? undefined : change()));
    this.changing = next.catch(() => undefined);
    return next;
  }

  private newStage(toxic: Toxic, output: Output): Stage {
    return { toxic, active: roll(toxic.toxicity), input: new ChunkQueue(), output, state: {}, controller: new AbortController(), running: undefined, finished: false };
  }

  private start(stage: Stage): void {
    if (stage.finished || this.disposed) return;
    stage.controller = new AbortController();
    const stub = this.stub(stage);
    stage.running = toxicLoop(stage.toxic, stage.active)(stub, stage.toxic.attributes).then(
      (how) => {
        if (how === 'ended') stage.finished = true;
      },
      // A toxic that fails takes its connection down, never the proxy.
      () => {
        stage.finished = true;
        this.hooks.reset();
      },
    );
  }

  private async interrupt(stage: Stage): Promise<void> {
    stage.controller.abort();
    await stage.running;
  }

  private stub(stage: Stage): Stub {
    return {
      input: stage.input,
      // Read at call time: a restarted stage may have been rewired.
      output: { push: (item) => stage.output.push(item) },
      signal: stage.controller.signal,
      state: stage.state,
      drop: (chunk: Chunk) => this.release(chunk.data.length),
      close: () => {
        stage.finished = true;
        for (const item of stage.input.drain()) if (!isEnd(item)) this.release(item.data.length);
        stage.output.push({ end: 'close' });
      },
      reset: () => this.hooks.reset(),
      respond: (data, thenClose) => this.hooks.respond(data, thenClose),
    };
  }
}

const roll = (toxicity: number): boolean => toxicity >= 1 || Math.random() < toxicity;
