import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleSpans } from '../../shared/otlp/fixtures/sample-spans';
import { importScratch } from './import-scratch';

const scratch = importScratch('clnrm-io-');
const memory = () => scratch.memory();
const tempDir = scratch.tempDir;
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const FIXTURES = join(import.meta.dirname, '../../shared/otlp/fixtures');

describe('import and export', () => {
  it('exports OTLP JSON that re-imports identically (every model field)', async () => {
    const original = sampleSpans();
    const a = await memory();
    a.ingest(original);
    const exported = await a.exportTraces('all');
    expect(exported.spans).toBe(original.length);
    const file = join(tempDir(), 'all.json');
    writeFileSync(file, exported.text);

    const b = await memory();
    const result = await b.importFile(file);
    expect(result).toMatchObject({ format: 'otlp-json', imported: original.length, duplicates: 0 });
    const back = await b.getSpans('all');
    const key = (s: { traceId: string; spanId: string }): string => s.traceId + s.spanId;
    expect(plain([...back].sort((x, y) => key(x).localeCompare(key(y))))).toEqual(plain([...original].sort((x, y) => key(x).localeCompare(key(y)))));
    expect((await b.exportTraces('all')).text).toBe(exported.text);

    // Importing the same file again adds nothing.
    const again = await b.importFile(file);
    expect(again).toMatchObject({ imported: 0, duplicates: original.length });
    expect((await b.getSpans('all')).length).toBe(original.length);
  });

  it('exports chosen traces, reports missing ones, and writes JSON Lines', async () => {
    const a = await memory();
    const spans = sampleSpans();
    a.ingest(spans);
    const first = spans[0]!.traceId;
    const some = await a.exportTraces([first, '0123456789abcdef0123456789abcdef']);
    expect(some.missing).toEqual(['0123456789abcdef0123456789abcdef']);
    expect(some.spans).toBe(spans.filter((s) => s.traceId === first).length);
    const lines = await a.exportTraces('all', 'otlp-jsonl');
    expect(lines.text.trim().split('\n').length).toBeGreaterThan(1);
  });

  it('imports the Jaeger, Collector JSONL and clnrm NDJSON fixtures', async () => {
    const store = await memory();
    for (const [file, format] of [
      ['jaeger-export.json', 'jaeger-json'],
      ['collector-export.jsonl', 'otlp-jsonl'],
      ['clnrm-stdout.ndjson', 'clnrm-ndjson'],
    ] as const) {
      const r = await store.importFile(join(FIXTURES, file));
      expect(r.format).toBe(format);
      expect(r.imported).toBeGreaterThan(0);
    }
    expect((await store.listTraces()).total).toBeGreaterThanOrEqual(3);
  });

  it('says which file is unreadable or invalid', async () => {
    const store = await memory();
    await expect(store.importFile('/nonexistent/x.json')).rejects.toMatchObject({ code: 'io.read', message: expect.stringMatching(/Cannot read \/nonexistent\/x\.json/) });
    const bad = join(tempDir(), 'bad.json');
    writeFileSync(bad, '{"resourceSpans": [ {"scopeSpans": [ }');
    await expect(store.importFile(bad)).rejects.toMatchObject({ problem: { file: bad } });
  });
});
