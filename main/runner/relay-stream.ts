// The runner's side of the span relay: follows the relay container's output over the engine's API (the
// same connection that started it: unix socket, TCP+TLS or SSH), turns each relay record back into spans
// and stores them as the local receiver does (ingest, then commit). `settle()` is the end of the flush
// handshake: once the relay has stopped, its end marker must be there and must not count more spans
// than arrived; anything else is a `relay.lost` error naming what is missing.
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { StudioError } from '../../shared/errors';
import { decodeOtlpProtobuf } from '../../shared/otlp';
import { CappedBuffer, LineSplitter } from '../docker/output';
import { parseRelayLine } from '../relay/frames';
import type { TraceStore } from '../store';

export interface RelayFollowerOptions {
  readonly docker: Docker;
  readonly containerId: string;
  readonly store: Pick<TraceStore, 'ingest' | 'commit'>;
  /** Names the execution in errors. */
  readonly executionId: string;
}

/** What came out of a relay so far. */
export interface RelayTally {
  /** Spans read from the relay and stored. */
  readonly delivered: number;
  /** The relay's count of accepted spans, once its end marker arrived. */
  readonly accepted: number | undefined;
}

export class RelayFollower {
  private delivered = 0;
  private accepted: number | undefined;
  private damage: string | undefined;
  private committed: Promise<void> = Promise.resolve();
  /** A commit is queued and not started: spans ingested now are covered by it. */
  private commitQueued = false;
  private readonly stderr = new CappedBuffer(4096);
  private readonly lines = new LineSplitter();
  private stream: NodeJS.ReadableStream | undefined;
  private readonly ended: Promise<void>;
  private markEnded!: () => void;

  constructor(private readonly options: RelayFollowerOptions) {
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
  }

  /** Starts reading the container's output from its beginning (so nothing written before is missed); never rejects: a failure is the settle's error. */
  async follow(): Promise<void> {
    const container = this.options.docker.getContainer(this.options.containerId);
    let stream: NodeJS.ReadableStream;
    try {
      stream = (await container.logs({ follow: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
    } catch (error) {
      this.damage ??= `its output could not be read over the engine API: ${(error as Error).message}`;
      this.markEnded();
      return;
    }
    this.stream = stream;
    const stdout = new PassThrough();
    stdout.on('data', (chunk: Buffer) => this.onText(chunk.toString('utf8')));
    this.options.docker.modem.demuxStream(stream, stdout, this.stderr);
    const end = (): void => {
      for (const line of this.lines.flush()) this.onLine(line);
      this.markEnded();
    };
    stream.once('end', end);
    stream.once('close', end);
    stream.once('error', end);
  }

  get tally(): RelayTally {
    return { delivered: this.delivered, accepted: this.accepted };
  }

  /**
   * Waits (at most `timeoutMs`) for the stopped relay's output to end and its spans to be committed,
   * then checks the handshake: throws `relay.lost` when the end marker is missing, short, or a record was damaged.
   */
  async settle(timeoutMs = 10_000): Promise<RelayTally> {
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([this.ended.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)))]);
    clearTimeout(timer);
    await this.committed;
    const where = `the OTLP relay of execution ${this.options.executionId}`;
    const said = this.stderr.text().trim().split('\n').slice(-3).join(' | ');
    const log = said ? ` Its last messages: ${said}` : '';
    if (this.damage) throw lost(`${where}: ${this.damage}; spans may be missing.${log}`, this.tally);
    if (!ended) throw lost(`${where} did not finish within ${timeoutMs} ms of its stop: the engine connection may be down.${log}`, this.tally);
    if (this.accepted === undefined) throw lost(`${where} stopped without its end marker (it died or was killed): ${this.delivered} spans came home, others may be lost.${log}`, this.tally);
    if (this.delivered < this.accepted) throw lost(`${where} accepted ${this.accepted} spans but only ${this.delivered} came home.${log}`, this.tally);
    return this.tally;
  }

  /** Stops reading (the container is being removed). */
  close(): void {
    (this.stream as { destroy?: () => void } | undefined)?.destroy?.();
    this.markEnded();
  }

  private onText(text: string): void {
    for (const line of this.lines.push(text)) this.onLine(line);
  }

  private onLine(line: string): void {
    let record;
    try {
      record = parseRelayLine(line);
    } catch (error) {
      this.damage ??= `it sent a damaged record (${(error as Error).message})`;
      return;
    }
    if (record?.kind === 'end') this.accepted = record.accepted;
    if (record?.kind !== 'spans') return;
    try {
      const decoded = decodeOtlpProtobuf(record.otlp);
      if (decoded.spans.length !== record.count) throw new Error(`a record announced ${record.count} spans and held ${decoded.spans.length}`);
      // As the local receiver does: into the store (index, subscribers), then durable.
      this.options.store.ingest(decoded.spans, decoded.wire);
      this.delivered += decoded.spans.length;
      if (!this.commitQueued) {
        this.commitQueued = true;
        this.committed = this.committed
          .then(() => {
            this.commitQueued = false;
            return this.options.store.commit();
          })
          .catch((error: unknown) => {
            this.damage ??= `the store could not commit relayed spans: ${(error as Error).message}`;
          });
      }
    } catch (error) {
      this.damage ??= `it sent a damaged record (${(error as Error).message})`;
    }
  }
}

function lost(message: string, tally: RelayTally): StudioError {
  return new StudioError({ code: 'relay.lost', message, details: { delivered: tally.delivered, ...(tally.accepted !== undefined ? { accepted: tally.accepted } : {}) } });
}
