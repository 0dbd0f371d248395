// `clnrm chaos proxy`: the fault proxy standalone, its control API Toxiproxy's (default
// 127.0.0.1:8474) so any Toxiproxy client drives it. --dead-man-ms reverts every fault when no API
// call (or POST /heartbeat) came in that long. Stops on SIGINT/SIGTERM, closing every proxy.
import { isIP } from 'node:net';
import { InvalidArgumentError, type Command } from 'commander';
import { formatProblem, toProblem } from '../../../shared/errors';
import { DEFAULT_API_PORT, startFaultProxyServer, type FaultProxyServer } from '../../chaos/proxy';
import { setExit, type CliContext } from '../context';
import { EXIT_USAGE } from '../exit';

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0 = any free port).');
  return n;
}

function parseHost(value: string): string {
  if (isIP(value) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/.test(value)) throw new InvalidArgumentError('give an IP address or a host name (e.g. 127.0.0.1, or 0.0.0.0 for every interface).');
  return value;
}

function parseDeadMan(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 100 || n > 86_400_000) throw new InvalidArgumentError('give milliseconds from 100 to 86400000 (a day).');
  return n;
}

interface ChaosProxyOptions {
  host: string;
  port: number;
  deadManMs?: number;
}

function waitForStop(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

export function registerChaosProxy(chaos: Command, ctx: CliContext): void {
  chaos
    .command('proxy')
    .description('Run the TCP fault proxy with a Toxiproxy-compatible HTTP API until stopped')
    .option('--host <address>', 'address of the control API (0.0.0.0 exposes it to the network)', parseHost, '127.0.0.1')
    .option('--port <port>', 'port of the control API (0 = any free port)', parsePort, DEFAULT_API_PORT)
    .option('--dead-man-ms <ms>', 'remove every toxic and enable every proxy when no API call (e.g. POST /heartbeat) came in this long', parseDeadMan)
    .action(async (options: ChaosProxyOptions) => {
      let server: FaultProxyServer;
      try {
        server = await startFaultProxyServer({
          host: options.host,
          port: options.port,
          ...(options.deadManMs !== undefined ? { deadManMs: options.deadManMs } : {}),
          onNotice: (message) => ctx.err(`chaos proxy: ${message}`),
        });
      } catch (error) {
        ctx.err(`clnrm chaos proxy: ${formatProblem(toProblem(error))}`);
        setExit(ctx, EXIT_USAGE);
        return;
      }
      ctx.out(`Fault proxy API (Toxiproxy-compatible) listening on ${server.url}`);
      if (options.deadManMs !== undefined) ctx.out(`Dead-man timer: faults revert after ${options.deadManMs} ms without an API call (POST ${server.url}/heartbeat)`);
      if (options.host === '0.0.0.0' || options.host === '::') ctx.err('chaos proxy: the control API is reachable from the network (--host). It has no authentication.');
      await waitForStop(ctx.stopSignal);
      const count = server.proxies.list().length;
      await server.dispose();
      ctx.out(`Stopped; closed ${count} ${count === 1 ? 'proxy' : 'proxies'}.`);
    });
}
