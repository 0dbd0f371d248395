// The fault proxy's own cost, with no toxic, against a direct connection in the same run:
// - added latency per round trip (64-byte echo on one kept connection): p50 and p99 through the proxy
//   minus the same percentile direct (Toxiproxy states < 100 µs for itself);
// - bulk throughput (a server sends 256 MiB, the client reads it all) through the proxy / direct
//   (target ≥ 0.8).
// Three processes, as in use: the servers (echo, bulk) in one, the proxy in another (as `clnrm chaos
// proxy`, driven through its API), the clients here; so direct is client ↔ server and proxied is
// client ↔ proxy ↔ server, each side with its own event loop. For scale, a bare Node relay
// (`socket.pipe()` both ways, no API, no toxics) in a process of its own runs the same: the floor for
// any Node proxy. Rounds alternate the paths so load from other jobs hits all.
// Prints figures; asserts nothing. Run: npm run bench:chaos
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROUND_TRIPS = 4000;
const BLOCKS = 8;
const BULK_BYTES = 256 * 1024 * 1024;
const BULK_ROUNDS = 5;

/** The echo and bulk servers in a child process; resolves their ports. */
async function startServersProcess(): Promise<{ echo: number; bulk: number; stop(): void }> {
  const code = `
    const net = require('node:net');
    const echo = net.createServer((s) => s.pipe(s).on('error', () => {}));
    const block = Buffer.alloc(64 * 1024, 0x63);
    const bulk = net.createServer((socket) => {
      let left = ${BULK_BYTES};
      const pump = () => {
        while (left > 0) {
          left -= block.length;
          if (!socket.write(block)) return void socket.once('drain', pump);
        }
        socket.end();
      };
      socket.on('error', () => {});
      pump();
    });
    echo.listen(0, '127.0.0.1', () => bulk.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ echo: echo.address().port, bulk: bulk.address().port }))));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ports = await new Promise<{ echo: number; bulk: number }>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()) as { echo: number; bulk: number }));
    child.once('exit', (c) => reject(new Error(`servers process exited (${c})`)));
  });
  return { ...ports, stop: () => child.kill('SIGTERM') };
}

/** A bare `pipe()` relay to `port` in a child process; resolves its port. */
async function startBareRelay(port: number): Promise<{ port: number; stop(): void }> {
  const code = `
    const net = require('node:net');
    const relay = net.createServer((c) => {
      const u = net.connect(${port}, '127.0.0.1');
      c.pipe(u).on('error', () => c.destroy());
      u.pipe(c).on('error', () => u.destroy());
      c.on('error', () => u.destroy());
      u.on('error', () => c.destroy());
    });
    relay.listen(0, '127.0.0.1', () => console.log(relay.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const relayPort = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString())));
    child.once('exit', (c) => reject(new Error(`relay process exited (${c})`)));
  });
  return { port: relayPort, stop: () => child.kill('SIGTERM') };
}

/** Starts the proxy API in a child process; resolves its URL. */
async function startProxyProcess(): Promise<{ url: string; stop(): void }> {
  const code = "import('./main/chaos/proxy/index.ts').then((m) => m.startFaultProxyServer({ port: 0 })).then((s) => console.log(s.url))";
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (c) => reject(new Error(`proxy process exited (${c})`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

async function createProxy(api: string, name: string, upstreamPort: number): Promise<number> {
  const response = await fetch(`${api}/proxies`, { method: 'POST', body: JSON.stringify({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` }) });
  if (response.status !== 201) throw new Error(`creating the proxy failed: ${response.status} ${await response.text()}`);
  const { listen: address } = (await response.json()) as { listen: string };
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

/** `count` sequential 64-byte round trips on one connection; each one's time in µs. */
async function roundTrips(port: number, count: number): Promise<number[]> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise((resolve) => socket.once('connect', resolve));
  const payload = Buffer.alloc(64, 0x62);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await new Promise<void>((resolve) => {
      let got = 0;
      const onData = (d: Buffer) => {
        got += d.length;
        if (got < payload.length) return;
        socket.off('data', onData);
        resolve();
      };
      socket.on('data', onData);
      socket.write(payload);
    });
    times.push((performance.now() - start) * 1000);
  }
  socket.destroy();
  return times;
}

/** Reads everything the bulk server sends; MB/s. */
async function bulk(port: number): Promise<number> {
  const start = performance.now();
  let got = 0;
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.on('data', (d: Buffer) => (got += d.length));
    socket.on('end', () => resolve());
    socket.on('error', reject);
  });
  if (got !== BULK_BYTES) throw new Error(`bulk transfer got ${got} of ${BULK_BYTES} bytes`);
  return got / 1e6 / ((performance.now() - start) / 1000);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const f = (n: number, digits = 1) => n.toFixed(digits).padStart(8);

const servers = await startServersProcess();
const proxy = await startProxyProcess();
const echoPort = servers.echo;
const bulkPort = servers.bulk;
const echoRelay = await startBareRelay(echoPort);
const bulkRelay = await startBareRelay(bulkPort);
try {
  const echoProxy = await createProxy(proxy.url, 'echo', echoPort);
  const bulkProxy = await createProxy(proxy.url, 'bulk', bulkPort);
  await roundTrips(echoPort, 200); // warm-up both paths
  await roundTrips(echoProxy, 200);
  await roundTrips(echoRelay.port, 200);
  const direct: number[] = [];
  const proxied: number[] = [];
  const relayed: number[] = [];
  for (let b = 0; b < BLOCKS; b++) {
    direct.push(...(await roundTrips(echoPort, ROUND_TRIPS / BLOCKS)));
    proxied.push(...(await roundTrips(echoProxy, ROUND_TRIPS / BLOCKS)));
    relayed.push(...(await roundTrips(echoRelay.port, ROUND_TRIPS / BLOCKS)));
  }
  for (const times of [direct, proxied, relayed]) times.sort((a, b) => a - b);
  console.log(`fault proxy, no toxic — load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} cores`);
  console.log(`round trip (64 B echo, ${ROUND_TRIPS} each)      p50 µs   p99 µs`);
  console.log(`  direct                               ${f(percentile(direct, 50))} ${f(percentile(direct, 99))}`);
  console.log(`  through the proxy                    ${f(percentile(proxied, 50))} ${f(percentile(proxied, 99))}`);
  console.log(`  added by the proxy                   ${f(percentile(proxied, 50) - percentile(direct, 50))} ${f(percentile(proxied, 99) - percentile(direct, 99))}`);
  console.log(`  added by a bare pipe() relay         ${f(percentile(relayed, 50) - percentile(direct, 50))} ${f(percentile(relayed, 99) - percentile(direct, 99))}`);

  const directRates: number[] = [];
  const proxiedRates: number[] = [];
  const relayedRates: number[] = [];
  for (let r = 0; r < BULK_ROUNDS; r++) {
    directRates.push(await bulk(bulkPort));
    proxiedRates.push(await bulk(bulkProxy));
    relayedRates.push(await bulk(bulkRelay.port));
  }
  // The median of interleaved rounds: the load of other jobs comes and goes within a run.
  const median = (rates: number[]) => [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;
  console.log(`bulk transfer (${BULK_BYTES / 1024 / 1024} MiB read by the client, median of ${BULK_ROUNDS})   MB/s`);
  console.log(`  direct                               ${f(median(directRates), 0)}`);
  console.log(`  through the proxy                    ${f(median(proxiedRates), 0)}`);
  console.log(`  through a bare pipe() relay          ${f(median(relayedRates), 0)}`);
  console.log(`  ratio proxy / direct                 ${f(median(proxiedRates) / median(directRates), 2)}   (target ≥ 0.80)`);
  console.log(`  ratio bare relay / direct            ${f(median(relayedRates) / median(directRates), 2)}`);
} finally {
  for (const child of [proxy, servers, echoRelay, bulkRelay]) child.stop();
}
