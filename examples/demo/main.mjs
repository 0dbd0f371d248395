// Entry point of the demo system: `node main.mjs <api|cache|db|worker>` (or DEMO_SERVICE=<name>).
// Listens on PORT (default per service), logs one line when ready ("demo <name> listening on :<port>"),
// and on SIGTERM/SIGINT stops accepting requests, flushes its spans and exits 0.
import { shutdownTracing, startTracing } from './tracing.mjs';
import { createServer } from './http-kit.mjs';
import * as api from './services/api.mjs';
import * as cache from './services/cache.mjs';
import * as db from './services/db.mjs';
import * as worker from './services/worker.mjs';

const services = { api, cache, db, worker };
const name = process.argv[2] ?? process.env.DEMO_SERVICE;
const service = name ? services[name] : undefined;
if (!service) {
  console.error(`usage: node main.mjs <${Object.keys(services).join('|')}> (got ${JSON.stringify(name ?? null)})`);
  process.exit(2);
}

const port = Number(process.env.PORT ?? service.defaultPort);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`demo ${name}: PORT must be a TCP port number, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}

const tracer = startTracing(name);
let routes;
try {
  routes = service.routes(tracer, process.env);
} catch (error) {
  // A bad setting (DEMO_DB_DELAY_MS=abc): say which, and do not start.
  console.error(`demo ${name}: ${error.message}`);
  process.exit(2);
}
const server = createServer(tracer, name, routes);
server.on('error', (error) => {
  console.error(`demo ${name}: ${error.message}`);
  process.exit(1);
});
server.listen(port, '0.0.0.0', () => console.log(`demo ${name} listening on :${port}`));

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`demo ${name} stopping (${signal})`);
  server.close();
  server.closeAllConnections();
  // Bound the flush: an unreachable collector must not keep the container from stopping.
  const flushed = await Promise.race([
    shutdownTracing().then(() => true, () => false),
    new Promise((resolve) => setTimeout(resolve, 3000, false).unref()),
  ]);
  console.log(`demo ${name} stopped${flushed ? '' : ' (spans not flushed)'}`);
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
