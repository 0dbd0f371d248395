// `clnrm collect`: the OTLP receiver and trace store, headless. Prints where it listens and a live
// count of spans and traces; stops cleanly (drains the queue, flushes the store) on SIGINT/SIGTERM.
// Senders are answered once their spans are committed (--ack=stored) unless --ack=queued.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { formatProblem, toProblem } from '../../../shared/errors';
import { createForwarder, type Forwarder } from './collect-forward';
import { ACK_MODES, ACK_OPTION_HELP, createReceiver, DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT, DEFAULT_MAX_BODY_BYTES, type AckMode, type Receiver } from '../../receiver';
import { DEFAULT_MAX_BYTES, openStore, resolveDataDir, type TraceStore } from '../../store';
import { writerThreadEntry } from '../../store/writer-thread';
import { setExit, type CliContext } from '../context';
import { EXIT_USAGE } from '../exit';

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0 = any free port).');
  return n;
}

function parseMiB(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('give a size in MiB greater than 0.');
  return Math.floor(n * 1024 * 1024);
}

interface CollectOptions {
  httpPort: number;
  grpcPort: number;
  host: string;
  dataDir?: string;
  maxBody?: number;
  maxDbSize?: number;
  progressInterval: number;
  forward?: string;
  ack: AckMode;
}

function waitForStop(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

export function registerCollect(program: Command, ctx: CliContext): void {
  program
    .command('collect')
    .description('Receive OTLP traces (HTTP 4318, gRPC 4317) headless and store them until stopped')
    .option('--http-port <port>', 'OTLP/HTTP port (0 = any free port)', parsePort, DEFAULT_HTTP_PORT)
    .option('--grpc-port <port>', 'OTLP/gRPC port (0 = any free port)', parsePort, DEFAULT_GRPC_PORT)
    .option('--host <address>', 'address to listen on (0.0.0.0 exposes the receiver to the network)', '127.0.0.1')
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder)')
    .option('--max-body <MiB>', `largest accepted request after decompression (default: ${DEFAULT_MAX_BODY_BYTES / 1024 / 1024})`, parseMiB)
    .option('--max-db-size <MiB>', `retention cap on stored span data; oldest traces go first (default: ${DEFAULT_MAX_BYTES / 1024 / 1024})`, parseMiB)
    .addOption(new Option('--ack <mode>', ACK_OPTION_HELP).choices(ACK_MODES).default('stored'))
    .option('--progress-interval <ms>', 'how often the live count is printed when not on a terminal', (v) => Math.max(100, Number(v) || 5000), 5000)
    .option('--forward <url>', 'also send every received batch to this OTLP/HTTP endpoint (e.g. a test run\'s receiver)')
    .action(async (options: CollectOptions) => {
      const dataDir = resolveDataDir(options.dataDir, ctx.cwd, ctx.env);
      let store: TraceStore | undefined;
      let receiver: Receiver | undefined;
      let forwarder: Forwarder | undefined;
      try {
        if (options.forward) forwarder = createForwarder(options.forward, (message) => ctx.err(`collect: ${message}`));
        // The database runs in its writer thread: receiving and decoding keep this one.
        store = await openStore({
          dataDir,
          maxBytes: options.maxDbSize ?? DEFAULT_MAX_BYTES,
          writerThread: writerThreadEntry(),
          onError: (e) => ctx.err(`collect: ${formatProblem(toProblem(e))}`),
        });
        if (store.notice !== undefined) ctx.err(`collect: note: ${store.notice}`);
        receiver = await createReceiver({
          // Waits while the writer thread is behind: the receiver's queue fills and it answers 429.
          sink: forwarder ? (spans, wire) => (forwarder!.send(spans), store!.receive(spans, wire)) : store.receive,
          ...(options.ack === 'stored' ? { commit: store.commit } : {}),
          host: options.host,
          httpPort: options.httpPort,
          grpcPort: options.grpcPort,
          maxBodyBytes: options.maxBody ?? DEFAULT_MAX_BODY_BYTES,
          onError: (e) => ctx.err(`collect: ${formatProblem(toProblem(e))}`),
        });
      } catch (error) {
        await receiver?.dispose();
        await store?.dispose();
        ctx.err(`clnrm collect: ${formatProblem(toProblem(error))}`);
        setExit(ctx, EXIT_USAGE);
        return;
      }
      const host = receiver.host.includes(':') ? `[${receiver.host}]` : receiver.host;
      ctx.out(`OTLP/HTTP listening on http://${host}:${receiver.http!.port}/v1/traces`);
      ctx.out(`OTLP/gRPC listening on ${host}:${receiver.grpc!.port}`);
      ctx.out(`Storing traces in ${store.path}`);
      if (options.host === '0.0.0.0' || options.host === '::') ctx.err('collect: the receiver is reachable from the network (--host). It has no authentication.');

      const line = (): string => {
        const c = store!.counts();
        const s = receiver!.stats;
        return `${c.sessionSpans} spans, ${c.sessionTraces} traces received (${s.httpRequests} HTTP, ${s.grpcRequests} gRPC requests, ${s.throttled} throttled, ${s.spansRejected} rejected spans)`;
      };
      let printed = '';
      let first = true;
      const progress = setInterval(
        () => {
          const text = line();
          if (text === printed) return;
          printed = text;
          // On a terminal, overwrite the previous progress line (cursor up + clear line).
          ctx.err(ctx.isTTY && !first ? `\x1b[1A\x1b[2K${text}` : text);
          first = false;
        },
        ctx.isTTY ? 500 : options.progressInterval,
      );

      await waitForStop(ctx.stopSignal);
      clearInterval(progress);
      ctx.err('collect: stopping; flushing received spans…');
      await receiver.dispose();
      await forwarder?.drain();
      await store.dispose();
      ctx.out(`Stopped. ${line()}`);
    });
}
