// `clnrm chaos proxy`: the fault proxy standalone, its control API Toxiproxy's (default
// 127.0.0.1:8474) so any Toxiproxy client drives it. --dead-man-ms reverts every fault when no API
// call (or POST /heartbeat) came in that long. --populate creates proxies at start (as Toxiproxy's
// -config; a container in front of a service needs its proxies before anyone connects). Stops on
// SIGINT/SIGTERM, closing every proxy.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { formatProblem, StudioError, toProblem } from '../../../shared/errors';
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
  populate?: string;
}

/** `--populate`: a JSON array of proxies, inline or `@file`. */
function readPopulate(value: string, cwd: string): unknown {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(resolve(cwd, value.slice(1)), 'utf8');
    } catch (error) {
      throw new StudioError({ code: 'io.read', message: `--populate: cannot read ${value.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StudioError({ code: 'cli.usage', message: `--populate: not JSON (${(error as Error).message}); give a JSON array of proxies or @file` });
  }
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
    .option('--populate <json|@file>', 'proxies to create at start: a JSON array as POST /populate takes, inline or @file')
    .action(async (options: ChaosProxyOptions) => {
      let server: FaultProxyServer | undefined;
      try {
        const populate = options.populate !== undefined ? readPopulate(options.populate, ctx.cwd) : undefined;
        server = await startFaultProxyServer({
          host: options.host,
          port: options.port,
          ...(options.deadManMs !== undefined ? { deadManMs: options.deadManMs } : {}),
          onNotice: (message) => ctx.err(`chaos proxy: ${message}`),
        });
        if (populate !== undefined) for (const proxy of await server.proxies.populate(populate)) ctx.out(`Proxy ${proxy.name}: ${proxy.listen} → ${proxy.upstream}`);
      } catch (error) {
        await server?.dispose();
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
