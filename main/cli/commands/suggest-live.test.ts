// `clnrm suggest|generate --live`: the real receiver opens on loopback, the real OpenTelemetry SDK
// exporters (OTLP/HTTP JSON and OTLP/gRPC) send to the ports it prints, the window is ended by the stop
// signal once the exporters have been answered, and the spans are mined as runs (one per trace, or
// per clnrm.run_id).
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { run } from '../index';
import { runCli } from '../testing';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clnrm-live-'));
  await writeFile(join(dir, 'orders.clnrm.toml'), '[meta]\nname = "orders"\n\n[[scenario]]\nname = "read"\nrun = "true"\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Live {
  http: string;
  grpc: string;
  stop(): void;
  done: Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Starts the command in-process; resolves once it prints where its receiver listens. */
function startLive(args: string[]): Promise<Live> {
  const stop = new AbortController();
  let stdout = '';
  let stderr = '';
  return new Promise((resolveLive, reject) => {
    const done = run(['node', 'clnrm', ...args, '--http-port', '0', '--grpc-port', '0'], {
      out: (t) => (stdout += `${t}\n`),
      err: (t) => {
        stderr += `${t}\n`;
        const m = /OTLP\/HTTP (\S+), OTLP\/gRPC (\S+) /.exec(t);
        if (m) resolveLive({ http: m[1]!, grpc: m[2]!, stop: () => stop.abort(), done });
      },
      cwd: dir,
      env: { ...process.env },
      isTTY: false,
    }, stop.signal).then((code) => ({ code, stdout, stderr }));
    void done.then((r) => reject(new Error(`ended before listening: ${r.stderr}`)));
  });
}

/** One request: GET /item (server) → db.query (client, attributes) → and an event; `requests` traces. */
async function send(exporter: SpanExporter, requests: number, resource: Record<string, string> = {}): Promise<void> {
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'api', ...resource }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('live-test');
  for (let k = 0; k < requests; k++) {
    const root = tracer.startSpan('GET /item', { kind: SpanKind.SERVER, attributes: { 'http.method': 'GET', 'http.route': '/item/{id}' } });
    const query = tracer.startSpan('db.query', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } }, trace.setSpan(context.active(), root));
    query.addEvent('rows.read');
    query.setStatus({ code: SpanStatusCode.OK });
    query.end();
    root.end();
  }
  // Resolves once every export was answered by the receiver.
  await provider.forceFlush();
  await provider.shutdown();
}

describe('--live collection window', () => {
  it('suggest mines the traces real SDK exporters sent over OTLP/HTTP and OTLP/gRPC, one run per trace', async () => {
    const live = await startLive(['suggest', 'orders.clnrm.toml', '--live', '300', '--format', 'json']);
    await send(new JsonExporter({ url: live.http }), 6);
    await send(new GrpcExporter({ url: `http://${live.grpc}` }), 6);
    live.stop();
    const r = await live.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('note: live window stopped early: 24 span(s) in 12 run(s)');
    const report = JSON.parse(r.stdout) as { runs: number; suggestions: { snippet: string }[] };
    expect(report.runs).toBe(12);
    const snippets = report.suggestions.map((s) => s.snippet).join('\n');
    expect(snippets).toContain('name = "db.query"\nkind = "client"\nparent = "GET /item"');
    expect(snippets).toContain('"db.system" = "postgresql"');
  });

  it('generate groups by clnrm.run_id and writes files that name those runs', async () => {
    const live = await startLive(['generate', '--live', '300', '--out', 'gen']);
    for (let k = 0; k < 8; k++) await send(new JsonExporter({ url: live.http }), 2, { 'clnrm.run_id': `r${k}` });
    live.stop();
    const r = await live.done;
    expect(r.stderr).toContain('note: live window stopped early: 32 span(s) in 8 run(s)');
    expect(r.code).toBe(0);
    const [name] = await readdir(join(dir, 'gen'));
    const meta = (parse(await readFile(join(dir, 'gen', name!), 'utf8')) as { meta: { source_traces: string[] } }).meta;
    expect(meta.source_traces).toEqual(['run:r0', 'run:r1', 'run:r2', 'run:r3', 'run:r4', 'run:r5', 'run:r6', 'run:r7']);
  });

  it('a window in which nothing arrives is an error, after its time', async () => {
    const live = await startLive(['suggest', 'orders.clnrm.toml', '--live', '0.3']);
    const r = await live.done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no spans arrived during the live window \(0.3 s\).*\[suggest\.live\]/);
  });

  it('refuses ports without a window, and a window with another source', async () => {
    const ports = await runCli(['suggest', 'orders.clnrm.toml', '--traces', 'x.json', '--http-port', '0'], { cwd: dir });
    expect(ports.code).toBe(2);
    expect(ports.stderr).toContain('--http-port/--grpc-port go with --live SECONDS');
    const both = await runCli(['generate', '--live', '5', '--from', 'x.json', '--out', 'gen'], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--live SECONDS and --from exclude each other');
    const zero = await runCli(['suggest', 'orders.clnrm.toml', '--live', '0'], { cwd: dir });
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('give the window in seconds');
  });
});
