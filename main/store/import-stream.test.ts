// Streamed import (forced on small files with streamFromBytes: 0) gives what the whole-file
// import gives; large files report progress and stay within a bounded heap; bad files name the
// place and say what became of the spans before it.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/errors';
import { buildSpan, type Span } from '../../shared/model';
import { formatTraceFile } from '../../shared/otlp';
import { sampleSpans } from '../../shared/otlp/fixtures/sample-spans';
import { type ImportProgress } from './index';
import { importScratch } from './import-scratch';

const scratch = importScratch('clnrm-import-stream-');
const memory = (options = {}) => scratch.memory({ maxLiveSpans: 1000, ...options });
const tempFile = scratch.tempFile;
const FIXTURES = join(import.meta.dirname, '../../shared/otlp/fixtures');
const STREAM = { streamFromBytes: 0 };

/** `n` spans over n/50 traces with a few attributes, one resource. */
function manySpans(n: number): Span[] {
  const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'bulk' } }] };
  const scope = { name: 'bench' };
  return Array.from({ length: n }, (_, i) =>
    buildSpan({
      traceId: (Math.floor(i / 50) + 1).toString(16).padStart(32, '0'),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: `op-${i % 7}`,
      startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n),
      endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n + 500n),
      attributes: [{ key: 'http.route', value: { stringValue: `/orders/${i}` } }, { key: 'n', value: { intValue: String(i) } }],
      resource,
      scope,
    }),
  );
}

describe('streamed import', () => {
  it('stores what the whole-file import stores, for every streamed format', async () => {
    const files = [
      tempFile('doc.json', formatTraceFile(sampleSpans(), 'otlp-json')),
      tempFile('one-line.json', JSON.stringify(JSON.parse(formatTraceFile(sampleSpans(), 'otlp-json')))),
      join(FIXTURES, 'collector-export.jsonl'),
      join(FIXTURES, 'clnrm-stdout.ndjson'),
      tempFile('jaeger.json', readFileSync(join(FIXTURES, 'jaeger-export.json'), 'utf8')),
    ];
    for (const file of files) {
      const whole = await memory();
      const streamed = await memory();
      const a = await whole.importFile(file);
      const b = await streamed.importFile(file, STREAM);
      expect(b, file).toEqual(a);
      expect(await streamed.getSpans('all'), file).toEqual(await whole.getSpans('all'));
    }
  });

  it('reports progress and holds far less than the file in its heap', async () => {
    const spans = manySpans(30_000);
    const file = tempFile('big.json', formatTraceFile(spans, 'otlp-json'));
    const size = statSync(file).size;
    const events: ImportProgress[] = [];
    // Live heap (after a collection) at every progress event: what the import holds, not garbage.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    const result = await (await memory()).importFile(file, {
      ...STREAM,
      onProgress: (p) => {
        events.push(p);
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      },
    });
    expect(result).toMatchObject({ format: 'otlp-json', imported: 30_000, duplicates: 0, traces: 600 });
    expect(events[0]!.phase).toBe('checking');
    expect(events.at(-1)).toMatchObject({ phase: 'importing', bytesRead: size, totalBytes: size, spans: 30_000 });
    expect(events.filter((e) => e.phase === 'importing').length).toBeGreaterThan(size / (2 * 1024 * 1024));
    // A generous bound: read whole, the text alone is the file's size (its parse tree several times more).
    expect(peak).toBeLessThan(size / 2);
  });

  it('stores nothing from a document cut short, and names the line and column', async () => {
    const text = formatTraceFile(manySpans(12_000), 'otlp-json');
    const file = tempFile('cut.json', text.slice(0, Math.floor(text.length * 0.8)));
    const store = await memory();
    const error = await store.importFile(file, STREAM).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).problem).toMatchObject({ code: 'trace.invalid', file });
    expect((error as StudioError).problem.line).toBeGreaterThan(1);
    expect((error as StudioError).message).toMatch(/not valid JSON .*cut short/);
    expect(await store.getSpans('all')).toEqual([]);
  });

  it('keeps the lines before a bad line, says so, and a second import adds only the rest', async () => {
    const lines = formatTraceFile(manySpans(12_000), 'otlp-jsonl').trimEnd();
    // One resource: one line. Split it into three requests so the bad one comes after stored batches.
    const one = JSON.parse(lines) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }> };
    const all = one.resourceSpans[0]!.scopeSpans[0]!.spans;
    const part = (from: number, to: number) => JSON.stringify({ ...one, resourceSpans: [{ ...one.resourceSpans[0], scopeSpans: [{ ...one.resourceSpans[0]!.scopeSpans[0], spans: all.slice(from, to) }] }] });
    const file = tempFile('bad.jsonl', `${part(0, 6000)}\n${part(6000, 11_000)}\n{"resourceSpans": [ {\n${part(11_000, 12_000)}\n`);
    const store = await memory();
    const error = (await store.importFile(file, STREAM).catch((e: unknown) => e)) as StudioError;
    expect(error.problem).toMatchObject({ code: 'trace.invalid', file, line: 3 });
    expect(error.message).toMatch(/The (\d+) spans read before it were imported/);
    const kept = Number(/The (\d+) spans/.exec(error.message)![1]);
    expect((await store.getSpans('all')).length).toBe(kept);
    writeFileSync(file, `${part(0, 6000)}\n${part(6000, 11_000)}\n${part(11_000, 12_000)}\n`);
    const again = await store.importFile(file, STREAM);
    expect(again).toMatchObject({ format: 'otlp-jsonl', imported: 12_000 - kept, duplicates: kept });
  });
});
