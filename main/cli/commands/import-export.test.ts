import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatTraceFile } from '../../../shared/otlp';
import { sampleSpans } from '../../../shared/otlp/fixtures/sample-spans';
import { realisticBatch } from '../../../bench/ingest-payloads';
import { runCli } from '../testing';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clnrm-cli-io-'));
  dirs.push(d);
  return d;
}

describe('clnrm import / export', () => {
  it('imports files, skips duplicates, exports exactly what was imported', async () => {
    const dir = tempDir();
    const spans = sampleSpans();
    const input = formatTraceFile(spans, 'otlp-json');
    writeFileSync(join(dir, 'in.json'), input);
    const imported = await runCli(['import', 'in.json', '--data-dir', 'db'], { cwd: dir });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(new RegExp(`in\\.json: ${spans.length} spans in \\d+ traces imported \\(otlp-json\\)`));
    // The 8 characters the studio shows name a trace when no other stored id starts the same.
    const traceIds = [...new Set(spans.map((s) => s.traceId))];
    const unique = traceIds.find((id) => traceIds.filter((o) => o.startsWith(id.slice(0, 8))).length === 1)!;
    const short = await runCli(['trace', unique.slice(0, 8).toUpperCase(), '--data-dir', 'db'], { cwd: dir });
    expect(short.code).toBe(0);
    expect(short.stdout).toContain(`Trace ${unique}:`);
    const again = await runCli(['import', 'in.json', '--data-dir', 'db'], { cwd: dir });
    expect(again.stdout).toMatch(new RegExp(`0 spans in 0 traces imported \\(otlp-json\\), ${spans.length} already stored`));

    const exported = await runCli(['export', '--all', '-o', 'out.json', '--data-dir', 'db'], { cwd: dir });
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(`Exported ${spans.length} spans to out.json`);
    const fresh = tempDir();
    writeFileSync(join(fresh, 'out.json'), readFileSync(join(dir, 'out.json')));
    expect((await runCli(['import', 'out.json', '--data-dir', 'db'], { cwd: fresh })).code).toBe(0);
    expect((await runCli(['export', '--all', '-o', 'again.json', '--data-dir', 'db'], { cwd: fresh })).code).toBe(0);
    expect(readFileSync(join(fresh, 'again.json'), 'utf8')).toBe(readFileSync(join(dir, 'out.json'), 'utf8'));

    const one = await runCli(['export', '--trace', spans[0]!.traceId, '-o', '-', '--data-dir', 'db'], { cwd: dir });
    expect(one.code).toBe(0);
    expect((JSON.parse(one.stdout) as { resourceSpans: unknown[] }).resourceSpans.length).toBeGreaterThan(0);
  });

  it('streams a large file, printing progress lines with --verbose', async () => {
    const dir = tempDir();
    // ~9 MB of OTLP JSON: over the size from which files are streamed.
    writeFileSync(join(dir, 'big.json'), formatTraceFile(realisticBatch(5, 4000), 'otlp-json'));
    const r = await runCli(['import', 'big.json', '--verbose', '--data-dir', 'db'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/big\.json: 4000 spans in 250 traces imported \(otlp-json\)/);
    expect(r.stderr).toMatch(/big\.json: checking \d+% \(\d+ of 9 MB\)/);
    expect(r.stderr).toMatch(/big\.json: importing \d+% \(\d+ of 9 MB, [\d,]+ spans\)/);
    const quiet = await runCli(['import', 'big.json', '--data-dir', 'db'], { cwd: dir });
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toMatch(/0 spans in 0 traces imported \(otlp-json\), 4000 already stored/);
  });

  it('explains bad files and bad arguments', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), '{"resourceSpans": [ {');
    writeFileSync(join(dir, 'good.json'), formatTraceFile(sampleSpans(), 'otlp-json'));
    const r = await runCli(['import', 'bad.json', 'missing.json', 'good.json', '--data-dir', 'db'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json:1:\d+: .*\[trace\./);
    expect(r.stderr).toMatch(/Cannot read .*missing\.json.*\[io\.read\]/);
    expect(r.stdout).toMatch(/good\.json: \d+ spans/);
    const neither = await runCli(['export', '-o', 'x.json', '--data-dir', 'db'], { cwd: dir });
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/either --trace ID .* or --all/);
    const badId = await runCli(['export', '--trace', 'nope', '-o', 'x.json', '--data-dir', 'db'], { cwd: dir });
    expect(badId.code).toBe(2);
    const missing = await runCli(['export', '--trace', '0123456789abcdef0123456789abcdef', '-o', 'x.json', '--data-dir', 'db'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no stored trace 0123456789abcdef0123456789abcdef/);
  });
});
