// Real sockets on 127.0.0.1 for the fault proxy's tests and benchmark: an echo server, a server that
// sends a fixed payload, and clients that measure what they saw (bytes, timings, how it ended).
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface TestServer {
  readonly port: number;
  /** Connections accepted so far, with when (performance.now()). */
  readonly accepted: number[];
  close(): Promise<void>;
}

async function listen(server: Server, accepted: number[]): Promise<TestServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    accepted.push(performance.now());
    sockets.add(s);
    s.on('error', () => s.destroy());
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Echoes every byte back; ends its side when the client ends. */
export function startEchoServer(): Promise<TestServer> {
  return listen(createServer({ allowHalfOpen: true }, (s) => s.pipe(s)), []);
}

/** Sends `bytes` bytes as one write on every connection, then ends. */
export function startSendServer(bytes: number): Promise<TestServer> {
  const payload = Buffer.alloc(bytes, 0x61);
  return listen(createServer((s) => s.end(payload)), []);
}

export interface Exchange {
  data: Buffer;
  /** 'data' events seen (how the bytes were cut). */
  reads: number;
  /** ms from the start to the first byte, and to the end or error. */
  firstByteMs: number | undefined;
  doneMs: number;
  /** How the connection ended for the client. */
  ended: 'end' | 'error' | 'open';
  errorCode: string | undefined;
}

/**
 * Connects to `port`, writes `payload` (if any; `halfClose` ends the client's side after it) and
 * collects what comes back until the server ends, an error, or `waitMs` (then `ended` = 'open').
 * Timing starts once connected.
 */
export async function exchange(port: number, payload?: Buffer | string, options: { halfClose?: boolean; waitMs?: number } = {}): Promise<Exchange> {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  const parts: Buffer[] = [];
  let reads = 0;
  let firstByteMs: number | undefined;
  let start = performance.now();
  const outcome = await new Promise<{ ended: Exchange['ended']; errorCode?: string }>((resolve) => {
    const timer = setTimeout(() => resolve({ ended: 'open' }), options.waitMs ?? 10_000);
    const finish = (o: { ended: Exchange['ended']; errorCode?: string }) => (clearTimeout(timer), resolve(o));
    socket.on('connect', () => {
      start = performance.now();
      if (payload !== undefined) socket.write(payload);
      if (options.halfClose) socket.end();
    });
    socket.on('data', (d: Buffer) => {
      firstByteMs ??= performance.now() - start;
      reads++;
      parts.push(d);
    });
    socket.on('end', () => finish({ ended: 'end' }));
    socket.on('error', (e: NodeJS.ErrnoException) => finish({ ended: 'error', errorCode: e.code }));
  });
  const doneMs = performance.now() - start;
  socket.destroy();
  return { data: Buffer.concat(parts), reads, firstByteMs, doneMs, ended: outcome.ended, errorCode: outcome.errorCode };
}

/** An open connection for several round trips (to see a toxic change on a live connection). */
export async function openClient(port: number): Promise<{ socket: Socket; roundTrip(payload: string): Promise<number>; close(): void }> {
  const socket = connect({ port, host: '127.0.0.1' });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return {
    socket,
    async roundTrip(payload) {
      const start = performance.now();
      let got = 0;
      socket.write(payload);
      await new Promise<void>((resolve, reject) => {
        const onData = (d: Buffer) => {
          got += d.length;
          if (got < Buffer.byteLength(payload)) return;
          socket.off('data', onData);
          socket.off('close', onClose);
          resolve();
        };
        const onClose = () => reject(new Error('connection closed during the round trip'));
        socket.on('data', onData);
        socket.once('close', onClose);
      });
      return performance.now() - start;
    },
    close: () => socket.destroy(),
  };
}

/** The proxy's port from its `listen` ("127.0.0.1:41234"). */
export const portOf = (listen: string): number => Number(listen.slice(listen.lastIndexOf(':') + 1));
