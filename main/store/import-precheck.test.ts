// The first pass run on a file's text as it arrives: the import then stores without a checking
// pass of its own and stores exactly what a self-checked import stores; text that is not one clean
// OTLP request (cut short, JSON Lines) leaves the check to the import, which reports it as before.
import { describe, expect, it } from 'vitest';
import { formatTraceFile } from '../../shared/otlp';
import { sampleSpans } from '../../shared/otlp/fixtures/sample-spans';
import { ImportPrecheck } from './import-precheck';
import { type ImportProgress } from './index';
import { importScratch } from './import-scratch';

const scratch = importScratch('clnrm-import-precheck-');
const memory = () => scratch.memory();
const tempFile = scratch.tempFile;
/** Runs the precheck over `text` as UTF-8 in pieces of `size` bytes (cut inside characters too), as an upload's chunks. */
function prechecked(text: string, size: number) {
  const bytes = Buffer.from(text, 'utf8');
  const precheck = new ImportPrecheck();
  for (let at = 0; at < bytes.length; at += size) precheck.push(bytes.subarray(at, at + size));
  return precheck.end();
}
const STREAM = { streamFromBytes: 0 };

describe('import precheck', () => {
  it('lets the import store at once, with the same spans as an import that checks the file itself', async () => {
    const text = '\ufeff' + formatTraceFile(sampleSpans().map((s) => ({ ...s, name: `${s.name} größe 日本 😀` })), 'otlp-json');
    const path = tempFile('sample.json', text);
    const phases: ImportProgress['phase'][] = [];
    const checkedStore = await memory();
    const checked = prechecked(text, 1); // a byte at a time: the BOM and every character arrive cut
    expect(checked).toBeDefined();
    const viaPrecheck = await checkedStore.importFile(path, { ...STREAM, checked, onProgress: (p) => phases.push(p.phase) });
    const plainStore = await memory();
    const plain = await plainStore.importFile(path, STREAM);
    expect(phases.length).toBeGreaterThan(0);
    expect(phases.every((p) => p === 'importing')).toBe(true);
    expect(viaPrecheck).toEqual(plain);
    const ids = plain.traceIds;
    expect(await checkedStore.getSpans(ids)).toEqual(await plainStore.getSpans(ids));
  });

  it('gives up on text cut short, and the import still reports it and stores nothing', async () => {
    const whole = formatTraceFile(sampleSpans(), 'otlp-json');
    const text = whole.slice(0, Math.floor(whole.length * 0.7));
    expect(prechecked(text, 50)).toBeUndefined();
    const store = await memory();
    await expect(store.importFile(tempFile('cut.json', text), { ...STREAM, checked: prechecked(text, 50) })).rejects.toThrow(/not valid JSON/);
    const { total } = await store.listTraces({});
    expect(total).toBe(0);
  });

  it('gives up on JSON Lines and on JSON that is not an OTLP request', () => {
    expect(prechecked(formatTraceFile(sampleSpans(), 'otlp-jsonl'), 64)).toBeUndefined();
    expect(prechecked('{"data": [{"traceID": "x"}]}', 8)).toBeUndefined();
  });
});
