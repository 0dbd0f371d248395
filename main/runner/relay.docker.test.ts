// Spans home from a remote engine through the relay: a second Docker engine on this machine (TCP on
// 127.0.0.1, its own bridge) runs the demo system (real OpenTelemetry SDK exporters) and the emitter
// fixture (wait_for_span fed live through the relay; NDJSON spans from step output over the API); the
// run's receiver stays on loopback and nothing of ours listens on 0.0.0.0 while it runs. On the local
// engine, CLNRM_RELAY=always takes the same path, and a relay killed mid-run is a `relay.lost` error.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../shared/run';
import { connectDocker } from '../docker';
import { startSecondEngine, type SecondEngine } from '../docker/second-engine';
import { announceDockerSkip, BUSYBOX, countLabelled, probeDocker } from '../docker/test-support';
import { openStore, type TraceStore } from '../store';
import { RELAY_IMAGE, RELAY_SERVICE } from './relay';
import { runTests, type RunTestsOptions } from './runner';
import type { TestResult } from './types';

const DEMO = 'cleanroom/demo:latest';
const NODE = 'cleanroom/node:20';
const probe = await probeDocker([BUSYBOX, DEMO, NODE, RELAY_IMAGE]);
announceDockerSkip('span relay', probe);

const demoFile = fileURLToPath(new URL('../../examples/demo-read-through.clnrm.toml', import.meta.url));
const emitterFile = fileURLToPath(new URL('./fixtures/emitter.clnrm.toml', import.meta.url));

/** Our process's listening TCP sockets (`ss -ltnp`), as `address:port`. */
function ourListeners(): string[] {
  const lines = execFileSync('ss', ['-Hltnp']).toString().split('\n');
  return lines.filter((l) => l.includes(`pid=${process.pid},`)).map((l) => l.trim().split(/\s+/)[3]!);
}

/** One OTLP/JSON span posted with busybox wget to wherever the runner says spans go. */
const POST_ONE_SPAN = `[meta]
name = "post_one_span"

[services.box]
image = "${BUSYBOX}"
args = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]

[[scenario]]
name = "post"
service = "box"
run = ["sh", "-c", '''
EXECUTION=\${OTEL_RESOURCE_ATTRIBUTES#*clnrm.execution_id=}
EXECUTION=\${EXECUTION%%,*}
BODY='{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"box"}},{"key":"clnrm.execution_id","value":{"stringValue":"'\$EXECUTION'"}}]},"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"box.posted","kind":1,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000000000000"}]}]}]}'
wget -qO- --header 'content-type: application/json' --post-data "\$BODY" "\$OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces" || true
''']

[expect.counts]
spans_total = { eq = 1 }
`;

const BIG_SPANS = 3000;
/** One OTLP/JSON request of BIG_SPANS spans from a node step (~0.5 MB as a relay record). */
const SEND_BIG = `
const attrs = process.env.OTEL_RESOURCE_ATTRIBUTES.split(',').map((p) => ({ key: p.split('=')[0], value: { stringValue: decodeURIComponent(p.split('=')[1]) } }));
const hex = (i, n) => i.toString(16).padStart(n, '0');
const spans = Array.from({ length: ${BIG_SPANS} }, (_, i) => ({ traceId: hex(i + 1, 32), spanId: hex(i + 1, 16), name: 'big.' + (i % 7), kind: 1, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000000001000', attributes: [{ key: 'i', value: { intValue: String(i) } }] }));
const body = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'big' } }, ...attrs] }, scopeSpans: [{ spans }] }] });
fetch(process.env.OTEL_EXPORTER_OTLP_ENDPOINT + '/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => console.log('status', r.status));
`;
const BIG_REQUEST = `[meta]
name = "big_request"

[services.sender]
image = "${NODE}"
args = ["node", "-e", "process.on('SIGTERM', () => process.exit(0)); setInterval(() => undefined, 1 << 30)"]

[[scenario]]
name = "send"
service = "sender"
run = ["node", "-e", ${JSON.stringify(SEND_BIG)}]
expected_output_regex = "status 200"

[expect.counts]
spans_total = { eq = ${BIG_SPANS} }
`;

const failures = (t: TestResult): string => JSON.stringify([t.problems, t.executions.map((e) => [e.problems, e.steps.filter((s) => s.verdict !== 'passed'), e.expectations.filter((x) => !x.passed)])]);

describe.runIf(probe.docker || process.env.CI === 'true')('span relay', () => {
  let store: TraceStore;
  let dataDir: string;
  let base: Omit<RunTestsOptions, 'sources' | 'env'>;
  beforeAll(async () => {
    if (!probe.docker) throw new Error(probe.reason);
    dataDir = mkdtempSync(join(tmpdir(), 'clnrm-relay-'));
    store = await openStore({ inMemory: true });
    base = { cwd: dataDir, store, quietMs: 300, writeReports: false };
  });
  afterAll(async () => {
    await store?.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  describe('on a remote engine', () => {
    let engine: SecondEngine | undefined;
    beforeAll(async () => {
      const started = await startSecondEngine({ name: 'relay', port: 23760, bridgeCidr: '10.210.255.1/24', images: [BUSYBOX, DEMO, RELAY_IMAGE], source: probe.docker! });
      if (!started.engine) throw new Error(started.reason);
      engine = started.engine;
    }, 180_000);
    afterAll(() => engine?.stop(), 60_000);

    it('brings OTLP spans (real SDKs), wait_for_span and NDJSON step spans home over the engine API; listens on loopback only', { timeout: 180_000 }, async () => {
      const env = { ...process.env, DOCKER_HOST: engine!.host, CLNRM_RECEIVER_HOST: undefined, CLNRM_RELAY: undefined };
      const listening: string[][] = [];
      const events: RunEvent[] = [];
      const onEvent = (e: RunEvent): void => {
        events.push(e);
        // While services run and send: what do we listen on?
        if (e.type === 'phase' && e.phase === 'steps' && e.state === 'start') listening.push(ourListeners());
      };
      const summary = await runTests({ ...base, env, onEvent, sources: [{ file: demoFile }, { file: emitterFile }] });
      expect(summary.environmentProblem).toBeUndefined();
      const demo = summary.tests.find((t) => t.name === 'demo_read_through')!;
      const emitter = summary.tests.find((t) => t.name === 'emitter_wait_for_span')!;
      expect(demo.verdict, failures(demo)).toBe('passed');
      expect(emitter.verdict, failures(emitter)).toBe('passed');
      expect(demo.executions[0]!.spanCount).toBe(13);
      expect(emitter.executions[0]!.spanCount).toBe(2);
      // The relay is not one of the test's services in evidence.
      expect(demo.executions[0]!.containers.map((c) => c.service).sort()).toEqual(['api', 'cache', 'db', 'worker']);
      const started = events.find((e) => e.type === 'run-started');
      expect(started && 'receiver' in started ? started.receiver : '').toMatch(/^127\.0\.0\.1:\d+ .*relay/);
      expect(listening).toHaveLength(2);
      for (const sockets of listening) {
        expect(sockets.length).toBeGreaterThan(0); // the receiver itself
        for (const socket of sockets) expect(socket).toMatch(/^(127\.0\.0\.1|\[::1\]):\d+$/);
      }
      // Nothing of the run is left on the remote engine.
      expect(await countLabelled(engine!.docker)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    });

    it('without the relay (CLNRM_RELAY=never) nothing comes home: the loopback receiver is out of reach', { timeout: 60_000 }, async () => {
      const env = { ...process.env, DOCKER_HOST: engine!.host, CLNRM_RECEIVER_HOST: undefined, CLNRM_RELAY: 'never' };
      const test = (await runTests({ ...base, env, sources: [{ file: 'post.clnrm.toml', source: POST_ONE_SPAN }] })).tests[0]!;
      expect(test.verdict).toBe('failed');
      expect(test.executions[0]!.spanCount).toBe(0);
      const relayed = (await runTests({ ...base, env: { ...env, CLNRM_RELAY: undefined }, sources: [{ file: 'post.clnrm.toml', source: POST_ONE_SPAN }] })).tests[0]!;
      expect(relayed.verdict, failures(relayed)).toBe('passed');
    });

    it('a relay image missing on the engine is docker.image-missing naming it', { timeout: 60_000 }, async () => {
      await engine!.docker.getImage(RELAY_IMAGE).remove();
      const env = { ...process.env, DOCKER_HOST: engine!.host, CLNRM_RECEIVER_HOST: undefined, CLNRM_RELAY: undefined };
      const test = (await runTests({ ...base, env, sources: [{ file: 'post.clnrm.toml', source: POST_ONE_SPAN }] })).tests[0]!;
      expect(test.verdict).toBe('error');
      expect(test.executions[0]!.problems[0]).toMatchObject({ code: 'docker.image-missing', message: expect.stringContaining(`"${RELAY_IMAGE}"`) });
    });
  });

  describe('on the local engine with CLNRM_RELAY=always', () => {
    it('takes the same path; a relay killed mid-run is a relay.lost error naming the execution', { timeout: 90_000 }, async () => {
      const docker = probe.docker!;
      const connection = await connectDocker(process.env);
      const env = { ...process.env, CLNRM_RELAY: 'always' };
      const passed = await runTests({ ...base, env, docker: connection, sources: [{ file: emitterFile }] });
      expect(passed.tests[0]!.verdict, failures(passed.tests[0]!)).toBe('passed');
      expect(passed.tests[0]!.executions[0]!.spanCount).toBe(2);

      let killed: Promise<unknown> | undefined;
      const onEvent = (e: RunEvent): void => {
        if (e.type !== 'phase' || e.phase !== 'steps' || e.state !== 'start') return;
        const filters = { label: [`clnrm.execution_id=${e.executionId}`, `clnrm.service=${RELAY_SERVICE}`] };
        killed = docker.listContainers({ filters }).then((list) => Promise.all(list.map((c) => docker.getContainer(c.Id).kill())));
      };
      const lost = await runTests({ ...base, env, docker: connection, onEvent, sources: [{ file: emitterFile }] });
      expect(await killed).toHaveLength(1);
      const execution = lost.tests[0]!.executions[0]!;
      expect(lost.tests[0]!.verdict).toBe('error');
      expect(execution.problems[0]).toMatchObject({ code: 'relay.lost', message: expect.stringMatching(new RegExp(`relay of execution ${execution.runId} stopped without its end marker`)) });
      expect(await countLabelled(docker, execution.runId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    });

    it('carries a large request whole (one record far beyond the 16 KiB line of the log driver)', { timeout: 60_000 }, async () => {
      const env = { ...process.env, CLNRM_RELAY: 'always' };
      const test = (await runTests({ ...base, env, docker: await connectDocker(process.env), sources: [{ file: 'big.clnrm.toml', source: BIG_REQUEST }] })).tests[0]!;
      expect(test.verdict, failures(test)).toBe('passed');
      expect(test.executions[0]!.spanCount).toBe(BIG_SPANS);
    });

    it('refuses an unknown CLNRM_RELAY with relay.mode', async () => {
      const summary = await runTests({ ...base, env: { ...process.env, CLNRM_RELAY: 'sometimes' }, docker: await connectDocker(process.env), sources: [{ file: emitterFile }] });
      expect(summary.environmentProblem).toMatchObject({ code: 'relay.mode', message: expect.stringMatching(/always, never or auto/) });
    });
  });
});
