// CLI tests in-process: collect (stopped through its stop signal), then traces and trace on the
// same data folder; and argument errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeOtlpProtobuf } from '../../../shared/otlp';
import { post } from '../../receiver/test-client';
import { makeSpan, resourceFor, hexId } from '../../store/test-spans';
import { run } from '../index';
import { runCli } from '../testing';
import { traceTreeLines } from './trace';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clnrm-cli-'));
  dirs.push(d);
  return d;
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const api = resourceFor('api', { 'clnrm.run_id': 'run-7' });
const db = resourceFor('db');
const spans = [
  makeSpan({ trace: 1, span: 1, name: 'GET /orders', resource: api, startMs: 1_700_000_000_000, durationMs: 40, kind: 'server', attrs: { 'http.status_code': 500 } }),
  makeSpan({ trace: 1, span: 2, parent: 1, name: 'SELECT', resource: db, startMs: 1_700_000_000_005, durationMs: 20, kind: 'client', status: 'error' }),
  makeSpan({ trace: 2, span: 3, name: 'GET /health', resource: api, startMs: 1_700_000_001_000, durationMs: 1, kind: 'server' }),
];

describe('clnrm collect / traces / trace', () => {
  it('collects over OTLP/HTTP until stopped, then lists and shows the traces', async () => {
    const dir = tempDir();
    let stdout = '';
    let stderr = '';
    const stop = new AbortController();
    const finished = run(
      ['node', 'clnrm', 'collect', '--http-port', '0', '--grpc-port', '0', '--data-dir', dir, '--progress-interval', '100'],
      { out: (t) => (stdout += t + '\n'), err: (t) => (stderr += t + '\n'), cwd: dir, env: {}, isTTY: false },
      stop.signal,
    );
    await until(() => /OTLP\/HTTP listening on http:\/\/127\.0\.0\.1:(\d+)/.test(stdout), 'listening line');
    const port = Number(/127\.0\.0\.1:(\d+)\/v1\/traces/.exec(stdout)![1]);
    expect(stdout).toMatch(/OTLP\/gRPC listening on 127\.0\.0\.1:\d+/);
    const reply = await post(port, '/v1/traces', encodeOtlpProtobuf(spans), { 'content-type': 'application/x-protobuf' });
    expect(reply.status).toBe(200);
    await until(() => /3 spans, 2 traces received/.test(stderr), 'progress line');
    stop.abort();
    expect(await finished).toBe(0);
    expect(stdout).toMatch(/Stopped\. 3 spans, 2 traces received/);

    const list = await runCli(['traces', '--data-dir', dir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/TRACE ID\s+START\s+DURATION\s+SPANS\s+ERRORS\s+ROOT/);
    expect(list.stdout).toMatch(new RegExp(`${hexId(1, 32)}.*40\\.0 ms\\s+2\\s+1\\s+api: GET /orders`));
    expect(list.stdout).toMatch(/2 of 2 traces/);

    const json = await runCli(['traces', '--data-dir', dir, '--status', 'error', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ total: 1, traces: [{ traceId: hexId(1, 32), services: ['api', 'db'] }] });
    const attr = await runCli(['traces', '--data-dir', dir, '--attr', 'http.status_code=500', '--format', 'json']);
    expect((JSON.parse(attr.stdout) as { total: number }).total).toBe(1);
    const slow = await runCli(['traces', '--data-dir', dir, '--min-duration', '10', '--run', 'run-7', '--sort', 'duration', '--format', 'json']);
    expect((JSON.parse(slow.stdout) as { traces: Array<{ traceId: string }> }).traces.map((t) => t.traceId)).toEqual([hexId(1, 32)]);

    const tree = await runCli(['trace', hexId(1, 32), '--data-dir', dir]);
    expect(tree.code).toBe(0);
    expect(tree.stdout).toContain('GET /orders  [api, server]  40.0 ms');
    expect(tree.stdout).toContain('  SELECT  [db, client]  20.0 ms  ERROR');
    const otlp = await runCli(['trace', hexId(1, 32), '--data-dir', dir, '--format', 'otlp']);
    expect((JSON.parse(otlp.stdout) as { resourceSpans: unknown[] }).resourceSpans).toHaveLength(2);

    const missing = await runCli(['trace', hexId(99, 32), '--data-dir', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no trace/);
    // Short ids: both stored ids start with 00000000, so 8 characters do not say which.
    const ambiguous = await runCli(['trace', '00000000', '--data-dir', dir]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(`00000000 is the start of 2 trace ids (${hexId(1, 32)}, ${hexId(2, 32)}); give more characters.`);
    const unknown = await runCli(['trace', 'ABCDEF12', '--data-dir', dir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no stored trace id starts with abcdef12/);
  });

  it('rejects bad arguments with exit 2 and a reason', async () => {
    const dir = tempDir();
    const badPort = await runCli(['collect', '--http-port', '70000', '--data-dir', dir]);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/port is a whole number/);
    const badStatus = await runCli(['traces', '--status', 'broken', '--data-dir', dir]);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toMatch(/ok, error, unset/);
    const badSince = await runCli(['traces', '--since', 'yesterday', '--data-dir', dir]);
    expect(badSince.stderr).toMatch(/ISO 8601/);
    const badId = await runCli(['trace', 'xyz', '--data-dir', dir]);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toMatch(/not a trace id/);
    const empty = await runCli(['traces', '--data-dir', dir]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/No traces match/);
  });

  it('draws a 50,000-deep trace without recursion and with bounded indentation', () => {
    const res = resourceFor('deep');
    const deep = Array.from({ length: 50_000 }, (_, i) => makeSpan({ trace: 1, span: i + 1, parent: i === 0 ? undefined : i, name: `s${i}`, resource: res }));
    const lines = traceTreeLines(deep.reverse());
    expect(lines).toHaveLength(50_000);
    expect(lines[0]).toMatch(/^s0 /);
    expect(lines[49_999]).toMatch(/\[depth 49999\] s49999 /);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(200);
  });
});
