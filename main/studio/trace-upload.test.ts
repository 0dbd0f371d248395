// Uploads in chunks: a large file arrives in pieces (characters of any width), is imported as a
// stream under the page's name with progress, and leaves no temporary file; the protocol refuses
// what it must (unknown id, chunks out of order, too large, too many at once) and drops idle uploads.
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildSpan, type Span } from '../../shared/model';
import { formatTraceFile } from '../../shared/otlp';
import { MAX_UPLOAD_CHUNK_BYTES } from '../../shared/ipc/upload-schema';
import { openStore, type TraceStore } from '../store';
import { MAX_TRACE_FILE_BYTES } from './trace-files';
import { TraceUploads } from './trace-upload';

const open: { store: TraceStore; uploads: TraceUploads }[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const { store, uploads } of open.splice(0)) {
    uploads.dispose();
    await store.dispose();
  }
});
async function fresh(idleMs?: number) {
  const store = await openStore({ inMemory: true });
  const uploads = new TraceUploads(store, idleMs);
  open.push({ store, uploads });
  return { store, uploads };
}
const uploadFolders = () => new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('clnrm-uploads-')));

/** `n` spans of one trace with a non-ASCII attribute, so chunks cut between multi-byte characters; one resource, or `services` in turn. */
function spans(n: number, services = 1): Span[] {
  const resources = Array.from({ length: services }, (_, k) => ({ attributes: [{ key: 'service.name', value: { stringValue: `upload-${k}` } }] }));
  const scope = { name: 'test' };
  return Array.from({ length: n }, (_, i) =>
    buildSpan({
      traceId: 'ab'.repeat(16),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: `op-${i % 5}`,
      startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n),
      endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n + 500n),
      attributes: [{ key: 'note', value: { stringValue: `größe ✓ 日本 ${i}` } }],
      resource: resources[Math.floor((i * services) / n)]!,
      scope,
    }),
  );
}

/** Sends `text` as UTF-8 in pieces of `chunkBytes` bytes, cut anywhere (inside characters too). */
async function send(uploads: TraceUploads, name: string, text: string, chunkBytes: number): Promise<string> {
  const bytes = Buffer.from(text, 'utf8');
  const { uploadId } = await uploads.start({ name, size: bytes.length });
  for (let seq = 0, at = 0; at < bytes.length; seq++, at += chunkBytes) await uploads.chunk({ uploadId, seq, bytes: bytes.subarray(at, at + chunkBytes) });
  return uploadId;
}
const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('trace file uploads in chunks', () => {
  it('imports a large file sent in pieces as a stream under the page\'s name, with progress, and removes the temporary file', async () => {
    const { store, uploads } = await fresh();
    const text = formatTraceFile(spans(16_000), 'otlp-json');
    expect(Buffer.byteLength(text)).toBeGreaterThan(8 * 1024 * 1024); // over STREAM_FROM_BYTES: the streaming importer
    const before = uploadFolders();
    const uploadId = await send(uploads, '../../etc/big trace.json', text, 1_000_003);
    expect(uploads.status({ uploadId })).toMatchObject({ phase: 'receiving', bytesReceived: Buffer.byteLength(text), totalBytes: Buffer.byteLength(text) });
    const phases = new Set<string>();
    const poll = setInterval(() => {
      try {
        phases.add(uploads.status({ uploadId }).phase);
      } catch {
        phases.add('gone'); // a poll after the import ended: the upload is forgotten
      }
    }, 1);
    const result = await uploads.finish({ uploadId }).finally(() => clearInterval(poll));
    expect(result.problems).toEqual([]);
    expect(result.imported).toEqual([expect.objectContaining({ file: 'big trace.json', format: 'otlp-json', spanCount: 16_000, duplicates: 0, traceIds: ['ab'.repeat(16)] })]);
    expect([...phases].some((p) => p === 'checking' || p === 'importing')).toBe(true);
    const stored = await store.getSpans(['ab'.repeat(16)]);
    expect(stored).toHaveLength(16_000);
    expect(stored.find((s) => s.spanId === (1).toString(16).padStart(16, '0'))!.attributes).toEqual([{ key: 'note', value: { stringValue: 'größe ✓ 日本 0' } }]);
    const folder = [...uploadFolders()].find((n) => !before.has(n))!;
    expect(readdirSync(join(tmpdir(), folder))).toEqual([]);
    expect(() => uploads.status({ uploadId })).toThrow(/no upload/);
  });

  it('names the page\'s file, not the temporary one, when the file is broken', async () => {
    const { uploads } = await fresh();
    const uploadId = await send(uploads, 'cut.json', '{"resourceSpans": [', 5);
    const result = await uploads.finish({ uploadId });
    expect(result.imported).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ file: 'cut.json' });
    expect(JSON.stringify(result.problems[0])).not.toContain(tmpdir());
  });

  it('stores a document\'s first resources while its chunks still arrive, and marks the trace importing in the list', async () => {
    const { store, uploads } = await fresh();
    const bytes = utf8(formatTraceFile(spans(16_000, 7), 'otlp-json'));
    const half = Math.floor(bytes.length / 2);
    const { uploadId } = await uploads.start({ name: 'early.json', size: bytes.length });
    type Row = { traceId: string; importing?: { file: string; percent: number } };
    const listRows = async () => ({ traces: (await store.listTraces({})).traces.map((t): Row => ({ traceId: t.traceId })) });
    // The moment the first spans reach the store, a list that has them already marks their trace as importing.
    const firstListed = new Promise<Row[]>((resolve) => {
      const stop = store.subscribe(async (batch) => {
        stop();
        resolve((await uploads.markImporting(async () => ({ traces: [{ traceId: batch.spans[0]!.traceId } as Row] }))).traces);
      });
    });
    await uploads.chunk({ uploadId, seq: 0, bytes: bytes.subarray(0, half) });
    expect(await firstListed).toEqual([{ traceId: 'ab'.repeat(16), importing: { file: 'early.json', percent: expect.any(Number) } }]);
    // Only half the file is here; its first resources are stored once the importer has read them.
    await vi.waitFor(async () => expect((await store.listTraces({})).total).toBe(1), { timeout: 10_000 });
    const early = (await store.getSpans(['ab'.repeat(16)])).length;
    expect(early).toBeGreaterThanOrEqual(2000);
    expect(uploads.status({ uploadId })).toMatchObject({ phase: 'receiving', bytesReceived: half });
    const listed = await uploads.markImporting(listRows);
    expect(listed.traces[0]!.importing).toMatchObject({ file: 'early.json' });
    await uploads.chunk({ uploadId, seq: 1, bytes: bytes.subarray(half) });
    const result = await uploads.finish({ uploadId });
    expect(result.imported[0]).toMatchObject({ spanCount: 16_000, duplicates: 0 });
    expect(await store.getSpans(['ab'.repeat(16)])).toHaveLength(16_000);
  });

  it('stores nothing from a one-resource document cut short, and says where', async () => {
    const { store, uploads } = await fresh();
    const whole = formatTraceFile(spans(16_000), 'otlp-json');
    const uploadId = await send(uploads, 'cut-big.json', whole.slice(0, whole.length - 1000), 1_000_003);
    const result = await uploads.finish({ uploadId });
    expect(result.imported).toEqual([]);
    expect(result.problems[0]).toMatchObject({ file: 'cut-big.json', code: 'trace.invalid' });
    expect(await store.getSpans(['ab'.repeat(16)])).toEqual([]);
  });

  it('keeps what it stored when the page cancels, and stops reading', async () => {
    const { store, uploads } = await fresh();
    const bytes = utf8(formatTraceFile(spans(16_000, 7), 'otlp-json'));
    const { uploadId } = await uploads.start({ name: 'cancelled.json', size: bytes.length });
    await uploads.chunk({ uploadId, seq: 0, bytes: bytes.subarray(0, Math.floor(bytes.length / 2)) });
    await vi.waitFor(async () => expect((await store.listTraces({})).total).toBe(1), { timeout: 10_000 });
    expect(await uploads.cancel({ uploadId })).toEqual({ cancelled: true });
    const kept = (await store.getSpans(['ab'.repeat(16)])).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(16_000);
    expect(() => uploads.status({ uploadId })).toThrow(/no upload/);
  });

  it('marks a trace in the list as importing while its spans are being stored, and not once the import is done', async () => {
    const { uploads } = await fresh();
    const text = formatTraceFile(spans(16_000), 'otlp-json');
    const uploadId = await send(uploads, 'growing.json', text, 1_000_003);
    const list = () => uploads.markImporting(async () => ({ traces: [{ traceId: 'ab'.repeat(16) }, { traceId: 'cd'.repeat(16) }] as Array<{ traceId: string; importing?: { file: string; percent: number } }> }));
    let done = false;
    const finished = uploads.finish({ uploadId }).finally(() => (done = true));
    let whileImporting: Awaited<ReturnType<typeof list>> | undefined;
    while (!done && !whileImporting) {
      const answer = await list();
      if (answer.traces[0]!.importing) whileImporting = answer;
      else await new Promise((go) => setImmediate(go));
    }
    expect((await finished).problems).toEqual([]);
    expect(whileImporting?.traces[0]!.importing).toEqual({ file: 'growing.json', percent: expect.any(Number) });
    expect(whileImporting!.traces[0]!.importing!.percent).toBeLessThan(100);
    expect(whileImporting!.traces[1]!.importing).toBeUndefined();
    expect((await list()).traces[0]!.importing).toBeUndefined();
  });

  it('marks a trace whose import ends while the list is being queried (the answer may predate its last batch)', async () => {
    const { uploads } = await fresh();
    const text = formatTraceFile(spans(16_000), 'otlp-json');
    const uploadId = await send(uploads, 'racing.json', text, 1_000_003);
    let finished: Promise<unknown> | undefined;
    const answer = await uploads.markImporting(async () => {
      const started = uploads.finish({ uploadId });
      finished = started;
      await started; // the import ends while this query is "running"
      return { traces: [{ traceId: 'ab'.repeat(16) }] as Array<{ traceId: string; importing?: { file: string; percent: number } }> };
    });
    await finished;
    expect(answer.traces[0]!.importing).toMatchObject({ file: 'racing.json' });
  });

  it('keeps chunks in order when the page does not wait for each answer', async () => {
    const { store, uploads } = await fresh();
    const text = formatTraceFile(spans(300), 'otlp-jsonl');
    const { uploadId } = await uploads.start({ name: 'eager.jsonl', size: Buffer.byteLength(text) });
    const bytes = utf8(text);
    const pieces = Array.from({ length: Math.ceil(bytes.length / 997) }, (_, i) => bytes.subarray(i * 997, (i + 1) * 997));
    await Promise.all(pieces.map((piece, seq) => uploads.chunk({ uploadId, seq, bytes: piece })));
    const result = await uploads.finish({ uploadId });
    expect(result.problems).toEqual([]);
    expect(result.imported[0]).toMatchObject({ spanCount: 300 });
    expect(await store.getSpans(['ab'.repeat(16)])).toHaveLength(300);
  });

  it('refuses unknown uploads, chunks out of order, files over the limit and a fifth open upload', async () => {
    const { uploads } = await fresh();
    await expect(uploads.chunk({ uploadId: '0'.repeat(32), seq: 0, bytes: utf8('x') })).rejects.toMatchObject({ code: 'studio.upload', message: expect.stringContaining('no upload') });
    await expect(uploads.start({ name: 'huge.json', size: MAX_TRACE_FILE_BYTES + 1 })).rejects.toMatchObject({ code: 'studio.upload', message: expect.stringContaining('clnrm import') });
    const { uploadId, chunkBytes } = await uploads.start({ name: 'a.json', size: 10 });
    expect(chunkBytes).toBe(MAX_UPLOAD_CHUNK_BYTES);
    await uploads.chunk({ uploadId, seq: 0, bytes: utf8('{') });
    await expect(uploads.chunk({ uploadId, seq: 2, bytes: utf8('}') })).rejects.toMatchObject({ code: 'studio.upload', message: expect.stringContaining('expected chunk 1') });
    for (const name of ['b.json', 'c.json', 'd.json']) await uploads.start({ name, size: 1 });
    await expect(uploads.start({ name: 'e.json', size: 1 })).rejects.toMatchObject({ code: 'studio.upload', message: expect.stringContaining('4 uploads are already open') });
    expect(await uploads.cancel({ uploadId })).toEqual({ cancelled: true });
    await uploads.start({ name: 'e.json', size: 1 });
  });

  it('drops an upload that receives nothing for the idle time, with its file', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { uploads } = await fresh(60_000);
    const before = uploadFolders();
    const uploadId = await send(uploads, 'idle.jsonl', '{"resourceSpans": []}\n', 100);
    const folder = join(tmpdir(), [...uploadFolders()].find((n) => !before.has(n))!);
    expect(readdirSync(folder)).toEqual([`${uploadId}.jsonl`]);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(uploads.status({ uploadId }).phase).toBe('receiving');
    await vi.advanceTimersByTimeAsync(2_000);
    vi.useRealTimers();
    await vi.waitFor(() => expect(readdirSync(folder)).toEqual([]));
    expect(() => uploads.status({ uploadId })).toThrow(/without a chunk/);
    uploads.dispose();
    expect(existsSync(folder)).toBe(false);
  });
});
