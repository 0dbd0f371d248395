// `clnrm studio`: the studio in the browser. Starts the back end (trace store, OTLP receiver,
// handlers) and serves the built UI plus the IPC contract over a WebSocket on 127.0.0.1. The printed
// link and the one the browser is opened with carry different one-time codes (a code works once; the
// page trades it for a session key); Enter prints a fresh link. Stops cleanly on SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { formatProblem, toProblem } from '../../../shared/errors';
import { ACK_MODES, ACK_OPTION_HELP, DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT, type AckMode } from '../../receiver';
import { resolveDataDir } from '../../store';
import { appPaths, findAppRoot } from '../../studio/app-root';
import { StudioBackend } from '../../studio/backend';
import { writerThreadEntry } from '../../store/writer-thread';
import { openBrowser } from '../../studio/open-browser';
import { startStudioServer, type StudioServer } from '../../studio/server/studio-server';
import { setExit, type CliContext } from '../context';
import { EXIT_USAGE } from '../exit';

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0 = any free port).');
  return n;
}

interface StudioOptions {
  port: number;
  open: boolean;
  httpPort: number;
  grpcPort: number;
  host: string;
  dataDir?: string;
  uiDir?: string;
  demo: boolean;
  ack: AckMode;
}

function waitForStop(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Each line on standard input prints a new one-time link (for another tab or browser). */
function printLinksOnEnter(ctx: CliContext, server: StudioServer): () => void {
  if (!ctx.stdin) return () => undefined;
  const lines = createInterface({ input: ctx.stdin });
  lines.on('line', () => ctx.out(`Cleanroom Studio: ${server.newUrl()}`));
  return () => {
    lines.close();
    // Reading keeps the process alive; let it exit once the studio has stopped.
    (ctx.stdin as NodeJS.ReadStream).unref?.();
  };
}

export function registerStudio(program: Command, ctx: CliContext): void {
  program
    .command('studio')
    .description('Open the studio in your browser (served on 127.0.0.1 each link works once), with the OTLP receiver running')
    .option('--port <port>', 'port of the studio page on 127.0.0.1 (0 = any free port)', parsePort, 0)
    .option('--no-open', 'print the URL without opening a browser')
    .option('--http-port <port>', 'OTLP/HTTP receiver port (0 = any free port)', parsePort, DEFAULT_HTTP_PORT)
    .option('--grpc-port <port>', 'OTLP/gRPC receiver port (0 = any free port)', parsePort, DEFAULT_GRPC_PORT)
    .option('--host <address>', 'address the OTLP receiver listens on (the page itself is always on 127.0.0.1)', '127.0.0.1')
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder)')
    .addOption(new Option('--ack <mode>', ACK_OPTION_HELP).choices(ACK_MODES).default('stored'))
    .option('--demo', 'import the bundled sample traces at start when the store is empty', false)
    .addOption(new Option('--ui-dir <dir>', 'serve the UI from this folder instead of dist/renderer').hideHelp())
    .action(async (options: StudioOptions) => {
      const root = findAppRoot(dirname(fileURLToPath(import.meta.url)));
      if (!root) {
        ctx.err('clnrm studio: cannot find the Cleanroom Studio folder (package.json) above this program; reinstall it.');
        setExit(ctx, EXIT_USAGE);
        return;
      }
      const paths = appPaths(root);
      const uiDir = options.uiDir ? resolve(ctx.cwd, options.uiDir) : paths.rendererDir;
      if (!existsSync(join(uiDir, 'index.html'))) {
        ctx.err(`clnrm studio: the UI is not built (${join(uiDir, 'index.html')} is missing). Run \`npm run build\` in ${root} first.`);
        setExit(ctx, EXIT_USAGE);
        return;
      }
      // Without the client the page loads but cannot connect; say so rather than refuse to start.
      const clientBuilt = existsSync(paths.browserClient);
      if (!clientBuilt) ctx.err(`studio: the browser client ${paths.browserClient} is missing, so the page cannot connect. Run \`npm run build\` in ${root}.`);

      const report = (e: unknown) => ctx.err(`studio: ${formatProblem(toProblem(e))}`);
      let backend: StudioBackend | undefined;
      let server: StudioServer | undefined;
      try {
        backend = await StudioBackend.open({
          dataDir: resolveDataDir(options.dataDir, ctx.cwd, ctx.env),
          receiverHost: options.host,
          httpPort: options.httpPort,
          grpcPort: options.grpcPort,
          ack: options.ack,
          cwd: ctx.cwd,
          env: ctx.env,
          demo: { samplesDir: paths.samplesDir, examplesDir: paths.examplesDir },
          // The database works in its own thread, so ingest never stalls the page's requests.
          writerThread: writerThreadEntry(),
          onError: report,
        });
        server = await startStudioServer({ handlers: backend.handlers, hub: backend.hub, traceStream: backend.traceStream, rendererDir: uiDir, ...(clientBuilt ? { clientScript: paths.browserClient } : {}), port: options.port, onError: report });
      } catch (error) {
        await server?.close();
        await backend?.dispose();
        ctx.err(`clnrm studio: ${formatProblem(toProblem(error))}`);
        setExit(ctx, EXIT_USAGE);
        return;
      }

      const receiver = backend.receiver!;
      ctx.out(`Cleanroom Studio: ${server.newUrl()}`);
      if (backend.store.notice !== undefined) ctx.err(`studio: note: ${backend.store.notice}`);
      ctx.err(`studio: OTLP receiver on ${receiver.host}:${receiver.http!.port} (HTTP) and ${receiver.host}:${receiver.grpc!.port} (gRPC); traces in ${backend.store.path}`);
      if (backend.storeHost) ctx.err(`studio: clnrm commands on this data folder (run, traces, runs, import, export…) use this studio's store (${backend.storeHost.file})`);
      ctx.err('studio: the link works once and only for you (do not share it); press Enter for a new link. Stop with Ctrl+C.');
      const stopLinks = printLinksOnEnter(ctx, server);
      const empty = await backend.isEmpty();
      if (empty && !options.demo) ctx.err(`studio: no traces stored yet. Click "Load the demo" on the Traces page (or start with --demo) for sample traces from the demo system; example tests are in ${paths.examplesDir}.`);
      if (options.demo && empty) {
        try {
          const demo = await backend.loadDemo();
          ctx.err(`studio: imported ${demo.imported.reduce((n, f) => n + f.spanCount, 0)} sample spans; example tests are in ${demo.examplesFolder}`);
        } catch (error) {
          report(error);
        }
      }
      if (options.open) {
        // Its own code: the opener's command line is visible to every user, and the browser spends it at once.
        const note = await openBrowser(server.newUrl());
        if (note) ctx.err(`studio: ${note}; open the URL above yourself.`);
      }

      await waitForStop(ctx.stopSignal);
      stopLinks();
      ctx.err('studio: stopping…');
      await server.close();
      await backend.dispose();
      ctx.err('studio: stopped.');
    });
}
