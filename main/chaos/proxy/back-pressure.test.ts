// Back-pressure: a client that does not read must stop the server's sending, with and without toxics
// in between: the proxy holds a bounded amount (HIGH_WATER per direction, plus socket buffers), it does
// not read the whole upstream into memory. Without back-pressure the 256 MiB below would cross
// loopback into the proxy in well under the time the test watches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { Toxiproxy } from 'toxiproxy-node-client';
import { HIGH_WATER } from './link';
import { startFaultProxyServer, type FaultProxyServer } from './index';
import { portOf } from './test-support';

const TOTAL = 256 * 1024 * 1024;
/** What may sit outside the proxy's own budget: the kernel's socket buffers on loopback, both sockets. */
const KERNEL_SLACK = 8 * 1024 * 1024;

let api: FaultProxyServer;
let client: Toxiproxy;
let server: Server;
/** Bytes the server's socket has handed to the kernel so far, per connection. */
const flushed: number[] = [];

beforeAll(async () => {
  api = await startFaultProxyServer({ port: 0 });
  client = new Toxiproxy(api.url);
  const block = Buffer.alloc(64 * 1024, 0x64);
  server = createServer((socket) => {
    const index = flushed.push(0) - 1;
    socket.on('error', () => undefined);
    let left = TOTAL;
    const pump = () => {
      flushed[index] = socket.bytesWritten - socket.writableLength;
      while (left > 0) {
        left -= block.length;
        if (!socket.write(block)) return void socket.once('drain', pump);
      }
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await api.dispose();
  server.close();
});

async function stalledClient(port: number): Promise<() => void> {
  const socket = connect({ port, host: '127.0.0.1' });
  socket.pause(); // never reads
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  return () => socket.destroy();
}

describe('back-pressure', () => {
  for (const toxics of [[], [{ name: 'close', type: 'slow_close', attributes: { delay: 1000 } }]] as const) {
    it(`a client that does not read stops the server (${toxics.length === 0 ? 'no toxic' : 'through a toxic'})`, async () => {
      const proxy = await client.createProxy({ name: `bp${toxics.length}`, listen: '127.0.0.1:0', upstream: `127.0.0.1:${(server.address() as AddressInfo).port}` });
      for (const t of toxics) await proxy.addToxic({ ...t, stream: 'downstream', toxicity: 1 });
      const before = flushed.length;
      const close = await stalledClient(portOf(proxy.listen));
      try {
        // Watch the server for two seconds (here it settles at about 10 MB):
        // its sending must stop short of a bound and stay there.
        const deadline = Date.now() + 2_000;
        while (Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
          expect(flushed[before] ?? 0).toBeLessThan(HIGH_WATER + KERNEL_SLACK);
        }
        expect(flushed.length).toBe(before + 1);
      } finally {
        close();
        await proxy.remove(); // its connections go with it: nothing keeps pumping into the next case
      }
    });
  }
});
