// The OTLP relay: our receiver (OTLP/HTTP, protobuf and JSON, gzip, the same status codes) inside a
// container on a test execution's network, for engines whose containers cannot reach this machine.
// Each accepted request's spans go out as one record on `out` (frames.ts), which the runner follows over
// the engine's API. What `out` has not taken yet waits in the receiver's bounded queue: when it is full
// senders get 429 and retry, as with our own receiver. `finish()` is the flush handshake's relay side.
import type { Writable } from 'node:stream';
import { encodeOtlpProtobuf } from '../../shared/otlp';
import { createReceiver, type Receiver } from '../receiver';
import { endLine, readyLine, spansLine } from './frames';

export interface RelayOptions {
  readonly out: Writable;
  /** Default 0.0.0.0: the relay is reached by the execution's containers, on its own network only. */
  readonly host?: string;
  /** Default 4318. 0 = any free port (tests). */
  readonly port?: number;
  /** Spans waiting for `out` before senders are refused with 429. Default 50,000. */
  readonly maxQueuedSpans?: number;
  readonly onError?: (error: unknown) => void;
}

export interface Relay {
  readonly port: number;
  readonly receiver: Receiver;
  /** Stops listening, writes out every accepted span, then the end marker with their count. */
  finish(): Promise<number>;
}

/** Writes a line, resolving once `out` takes more (its own buffer is the relay's only other buffer). */
function writeLine(out: Writable, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = out.write(line, (error) => (error ? reject(error) : undefined));
    if (ok) resolve();
    else out.once('drain', resolve);
  });
}

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const { out } = options;
  const receiver = await createReceiver({
    sink: (spans) => writeLine(out, spansLine(spans.length, encodeOtlpProtobuf(spans))),
    host: options.host ?? '0.0.0.0',
    httpPort: options.port ?? 4318,
    grpcPort: false,
    maxQueuedSpans: options.maxQueuedSpans ?? 50_000,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const port = receiver.http!.port;
  await writeLine(out, readyLine(port));
  let finished: Promise<number> | undefined;
  const finish = async (): Promise<number> => {
    await receiver.dispose();
    // Acknowledged to senders; the runner checks it read at least as many, so a span `out` lost is a gap it sees.
    const accepted = receiver.stats.spansAccepted;
    await writeLine(out, endLine(accepted));
    return accepted;
  };
  return {
    port,
    receiver,
    finish: () => (finished ??= finish()),
  };
}
