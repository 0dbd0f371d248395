// `clnrm analyze` end to end in-process: real files on disk, real parsers, real engine.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatTraceFile } from '../../../shared/otlp';
import { sid, spans } from '../../../shared/expect/testing';
import { runCli } from '../testing';

const TEST = `
[meta]
name = "analyze_demo"

[service.api]
plugin = "generic_container"
image = "alpine:3.20"

[[scenario]]
name = "hello"
run = "echo hi"

[[expect.span]]
name = "clnrm.run"
kind = "internal"

[[expect.span]]
name = "clnrm.step:hello_world"
parent = "clnrm.run"
attrs.all = { "result" = "pass" }

[expect.counts]
spans_total = { gte = 2 }

[expect.status]
all = "OK"
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clnrm-analyze-'));
  const trace = spans([
    { id: 'run', name: 'clnrm.run', startMs: 0, endMs: 10, status: 'ok' },
    { id: 'step', name: 'clnrm.step:hello_world', parent: 'run', startMs: 1, endMs: 5, status: 'ok', attrs: { result: 'pass' } },
    { id: 'bad', name: 'clnrm.cleanup', parent: 'run', startMs: 6, endMs: 7, status: 'error' },
  ]);
  await writeFile(join(dir, 'demo.clnrm.toml'), TEST);
  await writeFile(join(dir, 'trace.json'), formatTraceFile(trace, 'otlp-json'));
  await writeFile(join(dir, 'passing.json'), formatTraceFile(trace.slice(0, 2), 'otlp-json'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('clnrm analyze', () => {
  it('prints one line per expectation and exits 1 when one fails', async () => {
    const r = await runCli(['analyze', 'demo.clnrm.toml', '--traces', 'trace.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✓ expect.span[1]');
    expect(r.stdout).toMatch(/✗ expect\.status\.all .*1 span of 3 is not OK/);
    expect(r.stdout).toContain(sid('bad'));
    expect(r.stdout).toContain('4 expectations: 3 passed, 1 failed (3 spans from trace.json)');
  });

  it('exits 0 with JSON output when everything passes', async () => {
    const r = await runCli(['analyze', 'demo.clnrm.toml', '--traces', 'passing.json', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { passed: boolean; results: { expectation: string; kind: string; passed: boolean; spans: string[] }[] };
    expect(report.passed).toBe(true);
    expect(report.results.map((x) => x.expectation)).toEqual([
      'expect.span[0]',
      'expect.span[1]',
      'expect.counts.spans_total',
      'expect.status.all',
    ]);
    expect(report.results[1]).toMatchObject({ kind: 'span', passed: true, spans: [sid('step')] });
  });

  it('exits 2 for an unreadable or invalid trace file, naming the file', async () => {
    await writeFile(join(dir, 'broken.json'), '{"resourceSpans": [');
    const missing = await runCli(['analyze', 'demo.clnrm.toml', '--traces', 'nope.json'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json');
    const broken = await runCli(['analyze', 'demo.clnrm.toml', '--traces', 'broken.json'], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('broken.json');
  });

  it('exits 1 for an invalid test file (as the README says: a file is invalid), with file:line:col', async () => {
    await writeFile(join(dir, 'bad.clnrm.toml'), TEST.replace('kind = "internal"', 'kind = "sideways"'));
    const r = await runCli(['analyze', 'bad.clnrm.toml', '--traces', 'trace.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bad\.clnrm\.toml:\d+:\d+: error: .*kind must be one of/m);
    // A file outside the working folder is named by its absolute path, not ../../…
    const elsewhere = await runCli(['analyze', join(dir, 'bad.clnrm.toml'), '--traces', join(dir, 'trace.json')], { cwd: join(dir, 'sub') });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain(`${join(dir, 'bad.clnrm.toml')}:`);
    expect(elsewhere.stderr).not.toContain('../');
  });
});
