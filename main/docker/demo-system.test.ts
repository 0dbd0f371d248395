// The demo system (examples/demo) on a run network through ServiceSet: api → cache/db/worker → db answer
// over HTTP, spans reach a collector on the host through host.docker.internal with one trace across
// services, and every service flushes and exits 0 on SIGTERM.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newExecutionIdentity } from './labels';
import { ServiceSet } from './service-set';
import type { ServiceDefinition } from './service';
import { announceDockerSkip, countLabelled, eventually, probeDocker } from './test-support';

const DEMO = 'cleanroom/demo:latest';
const probe = await probeDocker([DEMO]);
announceDockerSkip('demo system', probe);

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the demo image (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

interface ReceivedSpan {
  service: string;
  runId: string | undefined;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  status: number;
}

/** A minimal OTLP/HTTP JSON sink for this test only (the real receiver lives in main/receiver). */
function startSink(spans: ReceivedSpan[]): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const payload = JSON.parse(body) as {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: Record<string, unknown>[] }[] }[];
      };
      for (const rs of payload.resourceSpans) {
        const attr = (k: string) => rs.resource.attributes.find((a) => a.key === k)?.value.stringValue;
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            spans.push({
              service: attr('service.name') ?? '',
              runId: attr('clnrm.run_id'),
              traceId: s.traceId as string,
              spanId: s.spanId as string,
              parentSpanId: (s.parentSpanId as string | undefined) ?? '',
              name: s.name as string,
              kind: s.kind as number,
              status: ((s.status as { code?: number } | undefined)?.code ?? 0) as number,
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  // 0.0.0.0: containers reach the host through the bridge gateway, not through loopback.
  return new Promise((resolve) => server.listen(0, '0.0.0.0', () => resolve(server)));
}

describe.skipIf(!probe.docker)('demo system on a run network (real engine)', () => {
  const docker = probe.docker!;
  const spans: ReceivedSpan[] = [];
  let sink: Server;
  let set: ServiceSet;

  beforeAll(async () => {
    sink = await startSink(spans);
    const port = (sink.address() as AddressInfo).port;
    const owner = newExecutionIdentity();
    const service = (id: string, dependsOn: string[] = [], ports: number[] = []): ServiceDefinition => ({
      id,
      image: DEMO,
      command: [id],
      dependsOn,
      ports,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://host.docker.internal:${port}`,
        OTEL_SERVICE_NAME: id,
        // The run id tags every span (DESIGN: concurrent runs never mix).
        OTEL_RESOURCE_ATTRIBUTES: `deployment.environment=test,clnrm.run_id=${owner.executionId}`,
      },
      waitFor: [{ kind: 'log', pattern: `demo ${id} listening on :` }],
    });
    set = new ServiceSet(docker, {
      owner,
      stopTimeoutMs: 5000,
      services: [service('api', ['cache', 'db', 'worker'], [8080]), service('cache'), service('db'), service('worker', ['db'])],
    });
    await set.start();
  });

  afterAll(async () => {
    await set?.dispose();
    await new Promise((r) => sink?.close(r));
  });

  it('serves HTTP through api and crosses services in one trace, then stops cleanly', async () => {
    const api = `http://127.0.0.1:${set.service('api').ports.get(8080)}`;
    const first = await fetch(`${api}/items/1`);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ id: '1', name: 'widget', source: 'db' });
    const second = await fetch(`${api}/items/1`);
    expect(await second.json()).toMatchObject({ source: 'cache' });
    const order = await fetch(`${api}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ item: '2', qty: 1 }) });
    expect(order.status).toBe(201);
    const refused = await fetch(`${api}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ item: '2', qty: 500 }) });
    expect(refused.status).toBe(409);

    const evidence = await set.stop();
    for (const e of evidence) {
      expect(e.exitCode, `${e.service}: ${e.logTail.join(' | ')}`).toBe(0);
      expect(e.logTail.at(-1)).toBe(`demo ${e.service} stopped`);
    }

    // Shutdown flushed every service's spans before exiting; all carry this run's id.
    await eventually(() => new Set(spans.map((s) => s.service)).size === 4, 5000, 'spans from all four services');
    expect(spans.every((s) => s.runId === set.executionId)).toBe(true);
    const itemsTrace = spans.find((s) => s.service === 'api' && s.name === 'GET /items/:id')!.traceId;
    const inTrace = spans.filter((s) => s.traceId === itemsTrace);
    expect(new Set(inTrace.map((s) => s.service))).toEqual(new Set(['api', 'cache', 'db']));
    // W3C propagation: db's server span is a child of api's db.query client span.
    const dbQuery = inTrace.find((s) => s.service === 'api' && s.name === 'db.query')!;
    const dbServer = inTrace.find((s) => s.service === 'db' && s.name === 'GET /tables/items/:id')!;
    expect(dbServer.parentSpanId).toBe(dbQuery.spanId);
    // The refused order: api → worker → db in one trace, with the worker's job span in error.
    const failedJob = spans.find((s) => s.name === 'job.process' && s.status === 2)!;
    const orderTrace = spans.filter((s) => s.traceId === failedJob.traceId);
    expect(new Set(orderTrace.map((s) => s.service))).toEqual(new Set(['api', 'worker', 'db']));

    await set.dispose();
    expect(await countLabelled(docker, set.executionId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
