// `clnrm suggest --from jaeger:URL | tempo:URL` end to end in-process against a local server answering
// the APIs' documented JSON: the same traces give the same suggestions as `--traces` with them as files.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatTraceFile } from '../../../shared/otlp';
import { syntheticRuns } from '../../../shared/intelligence/synthetic';
import type { Span } from '../../../shared/model';
import { jaegerAnswer, serveFake, tempoSearchAnswer, tempoTraceAnswer, type FakeServer } from '../../intelligence/remote-test-support';
import { runCli } from '../testing';

const TEST = `[meta]
name = "orders"

[[scenario]]
name = "read"
run = "true"
`;
const RUNS = 24;

let dir: string;
let traces: (readonly Span[])[];
let server: FakeServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clnrm-suggest-remote-'));
  await writeFile(join(dir, 'orders.clnrm.toml'), TEST);
  traces = syntheticRuns(RUNS, 33).map((r) => r.spans);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

interface Report { runs: number; groups: { id: string; runs: string[] }[]; suggestions: unknown[] }
async function suggestJson(...args: string[]): Promise<Report> {
  const r = await runCli(['suggest', 'orders.clnrm.toml', '--format', 'json', '--service', 'api', ...args], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

/** Run ids name their source (a file, a trace); everything learned from them must be the same. */
const learned = (report: Report) => ({ runs: report.runs, groups: report.groups.map((g) => ({ ...g, runs: g.runs.length })), suggestions: report.suggestions });

async function files(write: (spans: readonly Span[]) => string): Promise<string[]> {
  const names = traces.map((_, k) => `trace${k}.json`);
  for (const [k, name] of names.entries()) await writeFile(join(dir, name), write(traces[k]!));
  return names;
}

describe('clnrm suggest --from', () => {
  it('--since/--until bound what Jaeger and Tempo are asked for', async () => {
    server = await serveFake((url) => (url.pathname === '/api/search' ? { body: tempoSearchAnswer([]) } : { body: jaegerAnswer(traces) }));
    await suggestJson('--from', `jaeger:${server.base}`, '--since', '2026-12-07T14:00:00Z', '--until', '2026-12-07T15:00:00.5Z');
    const at = Date.UTC(2026, 11, 7, 14);
    expect(server.requests).toEqual([`/api/traces?service=api&limit=20&start=${at * 1000}&end=${(at + 3_600_500) * 1000}`]);
    const r = await runCli(['suggest', 'orders.clnrm.toml', '--service', 'api', '--from', `tempo:${server.base}`, '--since', '2026-12-07T14:00:00Z'], { cwd: dir });
    expect(server.requests.at(-1)).toBe(`/api/search?tags=service.name%3Dapi&limit=20&start=${at / 1000}`);
    expect(r.code).toBe(2); // the search found nothing: no runs
  });

  it('jaeger:URL learns what --traces learns from the same traces as Jaeger JSON files', async () => {
    server = await serveFake(() => ({ body: jaegerAnswer(traces) }));
    const remote = await suggestJson('--from', `jaeger:${server.base}`, '--limit', String(RUNS));
    expect(server.requests).toEqual([`/api/traces?service=api&limit=${RUNS}`]);
    const local = await suggestJson('--traces', ...(await files((spans) => JSON.stringify(jaegerAnswer([spans])))));
    expect(remote.runs).toBe(RUNS);
    expect(remote.suggestions.length).toBeGreaterThan(3);
    expect(learned(remote)).toEqual(learned(local));
  });

  it('tempo:URL learns what --traces learns from the same traces as OTLP JSON files', async () => {
    server = await serveFake((url) => {
      if (url.pathname === '/api/search') return { body: tempoSearchAnswer(traces) };
      const t = traces.find((tr) => url.pathname === `/api/traces/${tr[0]!.traceId}`);
      return t ? { body: tempoTraceAnswer(t) } : { status: 404, body: 'trace not found' };
    });
    const remote = await suggestJson('--from', `tempo:${server.base}`, '--limit', String(RUNS));
    expect(server.requests[0]).toBe(`/api/search?tags=service.name%3Dapi&limit=${RUNS}`);
    expect(server.requests).toHaveLength(RUNS + 1);
    const local = await suggestJson('--traces', ...(await files((spans) => formatTraceFile(spans, 'otlp-json'))));
    expect(remote.runs).toBe(RUNS);
    expect(learned(remote)).toEqual(learned(local));
  });

  it('a failing source is a clear error naming the URL and status (exit 2); the file is untouched', async () => {
    server = await serveFake(() => ({ status: 500, body: 'storage unavailable' }));
    const r = await runCli(['suggest', 'orders.clnrm.toml', '--from', `tempo:${server.base}`, '--service', 'api', '--write'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/api\/search\?tags=service\.name%3Dapi&limit=20 answered HTTP 500 Internal Server Error: storage unavailable; .*\[suggest\.source\]/);
    expect(r.stdout).toBe('');
  });

  it('refuses bad flags with usage errors', async () => {
    const cases: [string[], RegExp][] = [
      [['--from', 'jaeger:http://127.0.0.1:9'], /--from jaeger:URL needs --service S/],
      [['--from', 'jaeger:http://127.0.0.1:9', '--service', 'api', '--traces', 'x.json'], /one source: --traces FILE/],
      [['--from', 'jaeger:http://127.0.0.1:9', '--service', 'api', '--runs', '3'], /one source: --traces FILE/],
      [['--traces', 'x.json', '--limit', '3'], /--limit \(how many traces to read\) goes with --from or --since\/--until/],
      [['--from', 'zipkin:http://127.0.0.1:9', '--service', 'api'], /give jaeger:URL \(a Jaeger query service\) or tempo:URL/],
      [['--from', 'tempo:ftp://127.0.0.1:9', '--service', 'api'], /must be http or https, not ftp/],
      [['--from', 'tempo:http://127.0.0.1:9', '--service', 'api', '--limit', '0'], /whole number from 1 to 10000/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['suggest', 'orders.clnrm.toml', ...args], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });
});
