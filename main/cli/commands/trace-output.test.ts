// `clnrm trace --format json|otlp` streams its output: the bytes must stay exactly what the
// one-string output gave (JSON.stringify(…, null, 2) and a newline), piece by piece.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeOtlpJson, formatTraceFile } from '../../../shared/otlp';
import { sampleSpans } from '../../../shared/otlp/fixtures/sample-spans';
import { realisticBatch } from '../../../bench/ingest-payloads';
import { openStore } from '../../store';
import { run } from '../index';
import { runCli } from '../testing';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function storedTrace(dir: string, traceId: string) {
  const store = await openStore({ dataDir: join(dir, 'db') });
  try {
    return await store.getTrace(traceId);
  } finally {
    await store.dispose();
  }
}

describe('clnrm trace --format json|otlp', () => {
  it('prints the same bytes as the whole-document output did', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-trace-out-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'in.json'), formatTraceFile(sampleSpans(), 'otlp-json'));
    expect((await runCli(['import', 'in.json', '--data-dir', 'db'], { cwd: dir })).code).toBe(0);
    for (const traceId of new Set(sampleSpans().map((s) => s.traceId))) {
      const spans = await storedTrace(dir, traceId);
      const json = await runCli(['trace', traceId, '--format', 'json', '--data-dir', 'db'], { cwd: dir });
      expect(json.stdout).toBe(JSON.stringify(spans, null, 2) + '\n');
      const otlp = await runCli(['trace', traceId, '--format', 'otlp', '--data-dir', 'db'], { cwd: dir });
      expect(otlp.stdout).toBe(JSON.stringify(encodeOtlpJson(spans), null, 2) + '\n');
    }
  });

  it('writes a large trace in pieces, each awaited, with the same bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-trace-out-'));
    dirs.push(dir);
    // One trace of 2,000 spans (realisticBatch gives 16 spans per trace id; re-id them into one).
    const spans = realisticBatch(3, 2000).map((s) => ({ ...s, traceId: 'c'.repeat(32) }));
    writeFileSync(join(dir, 'big.json'), formatTraceFile(spans, 'otlp-json'));
    expect((await runCli(['import', 'big.json', '--data-dir', 'db'], { cwd: dir })).code).toBe(0);
    const pieces: string[] = [];
    let pending = 0;
    const code = await run(['node', 'clnrm', 'trace', 'c'.repeat(32), '--format', 'otlp', '--data-dir', 'db'], {
      out: () => {
        throw new Error('the trace output must go through writeOut');
      },
      err: () => undefined,
      writeOut: async (text) => {
        expect(pending).toBe(0); // the next piece waits for this one
        pending++;
        await new Promise((resolve) => setImmediate(resolve));
        pending--;
        pieces.push(text);
      },
      cwd: dir,
      env: process.env,
      isTTY: false,
    });
    expect(code).toBe(0);
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join('')).toBe(JSON.stringify(encodeOtlpJson(await storedTrace(dir, 'c'.repeat(32))), null, 2) + '\n');
  });
});
