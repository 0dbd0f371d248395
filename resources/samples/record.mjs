#!/usr/bin/env node
// Records the studio's bundled sample traces from the REAL demo system (examples/demo: api, cache,
// db and worker traced with the OpenTelemetry JS SDK), run as local processes against a headless
// `clnrm collect`. Writes demo-read-through.otlp.json, demo-orders.otlp.json and demo-errors.otlp.json
// here. Needs `npm run build` (bin/clnrm.js). Run: node resources/samples/record.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const clnrm = join(root, 'bin', 'clnrm.js');
const demo = join(root, 'examples', 'demo', 'main.mjs');
const dataDir = mkdtempSync(join(tmpdir(), 'clnrm-samples-'));
const children = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts a process and resolves when a line of its output matches `ready` (bounded). */
function start(args, env, ready, label) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${label} did not start within 20 s:\n${seen}`)), 20_000);
    const onData = (d) => {
      seen += d.toString();
      if (ready.test(seen)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${label} exited (${code}) before it was ready:\n${seen}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [clnrm, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`clnrm ${args.join(' ')} exited ${code}`))));
  });
}

async function call(base, method, path, body) {
  const res = await fetch(base + path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  await res.text();
  return res.status;
}

try {
  const otlp = await freePort();
  const collector = await start([clnrm, 'collect', '--http-port', String(otlp), '--grpc-port', '0', '--data-dir', dataDir], {}, /OTLP\/gRPC listening/, 'clnrm collect');
  const ports = { api: await freePort(), cache: await freePort(), db: await freePort(), worker: await freePort() };
  const urls = {
    CACHE_URL: `http://127.0.0.1:${ports.cache}`,
    DB_URL: `http://127.0.0.1:${ports.db}`,
    WORKER_URL: `http://127.0.0.1:${ports.worker}`,
  };
  const services = [];
  for (const name of ['db', 'cache', 'worker', 'api']) {
    const env = { ...urls, PORT: String(ports[name]), OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlp}`, OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=demo' };
    services.push(await start([demo, name], env, /listening on/, `demo ${name}`));
  }
  const api = `http://127.0.0.1:${ports.api}`;
  const statuses = [];
  // Read-through: a miss fills the cache, the next read is a hit.
  for (const id of ['1', '1', '2', '2', '3']) statuses.push(await call(api, 'GET', `/items/${id}`));
  // Orders: accepted ones, and one the worker cannot fulfil (409: not enough stock).
  statuses.push(await call(api, 'POST', '/orders', { item: '1', qty: 2 }));
  statuses.push(await call(api, 'POST', '/orders', { item: '2', qty: 1 }));
  statuses.push(await call(api, 'POST', '/orders', { item: '2', qty: 99 }));
  // Errors: an unknown item (404) and a malformed order (400).
  statuses.push(await call(api, 'GET', '/items/404'));
  statuses.push(await call(api, 'POST', '/orders', { item: '1', qty: 0 }));
  console.log(`record: demo requests answered ${statuses.join(' ')}`);
  // SIGTERM makes each service flush its spans; then the collector drains and flushes the store.
  for (const s of services.reverse()) await stop(s);
  await stop(collector);

  const traces = JSON.parse(await run(['traces', '--data-dir', dataDir, '--format', 'json', '--limit', '1000', '--order', 'asc']));
  const list = Array.isArray(traces) ? traces : traces.traces;
  const groups = { 'demo-read-through': [], 'demo-orders': [], 'demo-errors': [] };
  for (const t of list) {
    const group = t.errorCount > 0 ? 'demo-errors' : /orders/.test(t.rootName) ? 'demo-orders' : 'demo-read-through';
    groups[group].push(t.traceId);
  }
  for (const [name, ids] of Object.entries(groups)) {
    if (ids.length === 0) throw new Error(`no traces recorded for ${name}`);
    await run(['export', '--data-dir', dataDir, ...ids.flatMap((id) => ['--trace', id]), '-o', join(here, `${name}.otlp.json`)]);
    console.log(`record: ${name}.otlp.json (${ids.length} traces)`);
  }
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}
