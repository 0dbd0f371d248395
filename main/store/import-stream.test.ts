// Streamed import (forced on small files with streamFromBytes: 0) gives what the whole-file
// import gives, however far the second pass over a document may trail the first; a document's
// first resources are stored while the rest is still being read; large files report progress and
// stay within a bounded heap; bad files name the place and say what became of the spans before it.
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

/** `n` spans over n/50 traces with a few attributes, one resource (or `services` of them, in turn). */
function manySpans(n: number, services = 1): Span[] {
  const resources = Array.from({ length: services }, (_, k) => ({ attributes: [{ key: 'service.name', value: { stringValue: `bulk-${k}` } }], schemaUrl: `https://example.com/schemas/${k}` }));
  const scope = { name: 'bench', schemaUrl: 'https://example.com/scope' };
  return Array.from({ length: n }, (_, i) =>
    buildSpan({
      traceId: (Math.floor(i / 50) + 1).toString(16).padStart(32, '0'),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: `op-${i % 7}`,
      startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n),
      endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n + 500n),
      attributes: [{ key: 'http.route', value: { stringValue: `/orders/${i}` } }, { key: 'n', value: { intValue: String(i) } }],
      resource: resources[Math.floor((i * services) / n)]!,
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

  it('stores a document\'s first resources while it is still being read, and gives what a whole read gives, however far the passes may drift apart', async () => {
    const spans = manySpans(12_000, 6);
    const file = tempFile('six.json', formatTraceFile(spans, 'otlp-json'));
    const size = statSync(file).size;
    const expected = await (await memory()).importFile(file);
    for (const maxKeptChars of [undefined, 64 * 1024]) {
      const store = await memory();
      let storedEarly = 0;
      const result = await store.importFile(file, { ...STREAM, maxKeptChars, onProgress: (p) => p.bytesRead < size / 2 && (storedEarly = p.spans) });
      expect(result, `kept ${maxKeptChars}`).toEqual(expected);
      expect(await store.getSpans('all')).toEqual(spans);
      if (maxKeptChars === undefined) expect(storedEarly).toBeGreaterThanOrEqual(2000);
    }
  });

  it('keeps the resources before a cut, says so, and a second import of the whole file adds only the rest', async () => {
    const spans = manySpans(12_000, 6);
    const text = formatTraceFile(spans, 'otlp-json');
    const file = tempFile('cut-six.json', text.slice(0, Math.floor(text.length * 0.8)));
    const store = await memory();
    const error = (await store.importFile(file, STREAM).catch((e: unknown) => e)) as StudioError;
    expect(error.problem).toMatchObject({ code: 'trace.invalid', file });
    expect(error.message).toMatch(/cut short.* The (\d+) spans read before it were imported/);
    const kept = Number(/The (\d+) spans/.exec(error.message)![1]);
    expect(kept).toBe(8000); // four whole resources of six
    expect(await store.getSpans('all')).toEqual(spans.slice(0, kept));
    writeFileSync(file, text);
    expect(await store.importFile(file, STREAM)).toMatchObject({ imported: 12_000 - kept, duplicates: kept });
  });

  it('names the line and column of a syntax error inside a span, and keeps the resources it could read', async () => {
    const spans = manySpans(6000, 6);
    const text = formatTraceFile(spans, 'otlp-json');
    // A span of the third resource has a ';' for a ':': the file still has the shape of a document.
    const at = text.indexOf('"name": "op-', text.indexOf('bulk-2'));
    const broken = text.slice(0, at) + '"name"; "op-' + text.slice(at + '"name": "op-'.length);
    const file = tempFile('bad-span.json', broken);
    const store = await memory();
    const error = (await store.importFile(file, STREAM).catch((e: unknown) => e)) as StudioError;
    expect(error.problem).toMatchObject({ code: 'trace.invalid', file, line: broken.slice(0, at).split('\n').length });
    expect(error.problem.column).toBeGreaterThan(1);
    const kept = Number(/The (\d+) spans read before it/.exec(error.message)![1]);
    expect(kept).toBeGreaterThanOrEqual(2000); // at least the two resources before it
    expect((await store.getSpans('all')).length).toBe(kept);
  });

  it('reads a document followed by more as JSON Lines, storing each span once', async () => {
    const spans = manySpans(15_000, 3);
    const text = formatTraceFile(spans, 'otlp-jsonl');
    // A first line longer than what the importer looks at to choose: only the second request shows the file is lines.
    expect(text.indexOf('\n')).toBeGreaterThan(1024 * 1024);
    const file = tempFile('long-lines.json', text);
    const store = await memory();
    expect(await store.importFile(file, STREAM)).toMatchObject({ format: 'otlp-jsonl', imported: 15_000, duplicates: 0 });
    expect(await store.getSpans('all')).toEqual(spans);
  });

  it('stores nothing from a one-resource document cut short, and names the line and column', async () => {
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
