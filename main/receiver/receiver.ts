// The OTLP receiver: HTTP on 4318 and gRPC on 4317 (loopback unless asked), both feeding one
// bounded ingest queue that hands span batches to a sink (the store) and, given `commit`, answers
// each request only once its spans are stored. Disposable.
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as GrpcServer } from '@grpc/grpc-js';
import { StudioError } from '../../shared/errors';
import { bindGrpc, createGrpcReceiver } from './grpc-server';
import { createHttpReceiver } from './http-server';
import { IngestQueue, type SpanSink } from './ingest-queue';
import { isPortFree, portInUse } from './ports';
import { emptyStats, type ReceiverStats } from './stats';

export const DEFAULT_HTTP_PORT = 4318;
export const DEFAULT_GRPC_PORT = 4317;
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Request bytes admitted at once (being decoded, queued or awaiting their commit): two maximum-size requests. */
export const DEFAULT_MAX_QUEUED_BYTES = 2 * DEFAULT_MAX_BODY_BYTES;

/** When a request is answered: once its spans are committed (`stored`), or once they are queued. */
export type AckMode = 'stored' | 'queued';
export const ACK_MODES: readonly AckMode[] = ['stored', 'queued'];
export const ACK_OPTION_HELP =
  'answer senders once spans are stored (durable, the default) or once queued (faster; a crash loses what was acknowledged but not yet stored)';

export interface ReceiverOptions {
  /** Where decoded spans go, in batches. */
  sink: SpanSink;
  /**
   * Makes what the sink took durable (the store's commit). Given: each request is answered only
   * after a commit covering its spans (group commit across concurrent requests). Absent: answered
   * once queued (`--ack=queued`: faster, but a crash loses what was acknowledged and not yet stored).
   */
  commit?: () => Promise<void>;
  /** Bind address; default 127.0.0.1. Use 0.0.0.0 only when containers on other hosts must reach us. */
  host?: string;
  /** 0 = any free port; default 4318. `false` = no HTTP server. */
  httpPort?: number | false;
  /** 0 = any free port; default 4317. `false` = no gRPC server. */
  grpcPort?: number | false;
  /** Largest accepted body/message after decompression; default 16 MiB. */
  maxBodyBytes?: number;
  /** Spans that may wait for the sink before requests are refused (429/UNAVAILABLE); default 200,000. */
  maxQueuedSpans?: number;
  /** Request bytes admitted before further requests are refused undecoded (429/UNAVAILABLE); default 32 MiB. */
  maxQueuedBytes?: number;
  /** Slow bodies are dropped after this; default 30 s. */
  bodyTimeoutMs?: number;
  retryAfterSeconds?: number;
  onError?: (error: unknown) => void;
}

export interface Receiver {
  readonly host: string;
  readonly http: { port: number } | undefined;
  readonly grpc: { port: number } | undefined;
  readonly stats: Readonly<ReceiverStats>;
  /** Spans accepted but not yet handed to the sink. */
  readonly queued: number;
  /** Bytes of the requests admitted and not yet answered (bounded by maxQueuedBytes, but for one oversize request). */
  readonly admittedBytes: number;
  /** Resolves when every accepted span has reached the sink. */
  drained(): Promise<void>;
  /** Stops listening, then waits (bounded, default 10 s) for queued spans to reach the sink. */
  dispose(options?: { drainTimeoutMs?: number }): Promise<void>;
}

function listenHttp(server: HttpServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeHttp(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function shutdownGrpc(server: GrpcServer): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.forceShutdown(), 2000);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}

export async function createReceiver(options: ReceiverOptions): Promise<Receiver> {
  const host = options.host ?? '127.0.0.1';
  const stats = emptyStats();
  const onError = options.onError ?? (() => undefined);
  const retryAfterSeconds = Math.max(1, Math.ceil(options.retryAfterSeconds ?? 1));
  const queue = new IngestQueue(options.sink, {
    maxSpans: options.maxQueuedSpans ?? 200_000,
    maxBytes: options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES,
    ...(options.commit ? { commit: options.commit } : {}),
    onError,
    failureBackoffMs: retryAfterSeconds * 1000,
  });
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  let http: HttpServer | undefined;
  let grpc: GrpcServer | undefined;
  let httpPort: number | undefined;
  let grpcPort: number | undefined;
  const cleanup = async (): Promise<void> => {
    if (http) await closeHttp(http);
    if (grpc) await shutdownGrpc(grpc);
  };

  try {
    if (options.httpPort !== false) {
      const wanted = options.httpPort ?? DEFAULT_HTTP_PORT;
      http = createHttpReceiver(queue, stats, { maxBodyBytes: maxBody, bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000, retryAfterSeconds, host });
      try {
        httpPort = await listenHttp(http, host, wanted);
      } catch (error) {
        http = undefined;
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw await portInUse('HTTP', host, wanted);
        throw bindFailed('HTTP', host, wanted, error);
      }
    }
    if (options.grpcPort !== false) {
      const wanted = options.grpcPort ?? DEFAULT_GRPC_PORT;
      // Probe first: grpc-js would otherwise log its own cryptic bind error to stderr.
      if (wanted !== 0 && !(await isPortFree(host, wanted))) throw await portInUse('gRPC', host, wanted);
      grpc = createGrpcReceiver(queue, stats, { maxMessageBytes: maxBody });
      try {
        grpcPort = await bindGrpc(grpc, host, wanted);
      } catch (error) {
        grpc.forceShutdown();
        grpc = undefined;
        if (wanted !== 0 && !(await isPortFree(host, wanted))) throw await portInUse('gRPC', host, wanted);
        throw bindFailed('gRPC', host, wanted, error);
      }
    }
  } catch (error) {
    await cleanup();
    throw error;
  }

  let disposed = false;
  return {
    host,
    http: httpPort !== undefined ? { port: httpPort } : undefined,
    grpc: grpcPort !== undefined ? { port: grpcPort } : undefined,
    stats,
    get queued() {
      return queue.size;
    },
    get admittedBytes() {
      return queue.bytes;
    },
    drained: () => queue.idle(),
    async dispose(disposeOptions = {}) {
      if (disposed) return;
      disposed = true;
      await cleanup();
      // A sink that never returns must not hang shutdown: wait for it, but only so long.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, disposeOptions.drainTimeoutMs ?? 10_000)));
      await Promise.race([queue.idle(), timeout]);
      clearTimeout(timer);
      if (queue.size > 0) onError(new StudioError({ code: 'store.failed', message: `${queue.size} received spans did not reach the store before shutdown.` }));
    },
  };
}

function bindFailed(kind: string, host: string, port: number, error: unknown): StudioError {
  return new StudioError({
    code: 'port.in-use',
    message: `Cannot listen for OTLP/${kind} on ${host}:${port}: ${(error as Error).message}. Check --host, or choose another port.`,
    details: { kind, host, port },
  });
}
