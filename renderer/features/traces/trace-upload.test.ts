// The page's side of chunked uploads, against a recording API: a large file's bytes arrive whole and in
// order, small files go together with importFiles, progress is described, and a failing upload is cancelled.
import { describe, expect, it } from 'vitest';
import type { CallRequest, CallResponse } from '../../../shared/ipc/contract';
import { UPLOAD_FROM_BYTES } from '../../../shared/ipc/upload-schema';
import { describeUpload, importTraceFiles } from './trace-upload';


function recordingApi(chunkBytes: number, failAtChunk?: number) {
  const chunks: CallRequest<'importUploadChunk'>[] = [];
  const calls: string[] = [];
  let received = 0;
  const api = {
    importFiles: async (q: CallRequest<'importFiles'>) => {
      calls.push(`importFiles ${q.files!.map((f) => f.name).join(',')}`);
      return { imported: q.files!.map((f) => ({ file: f.name, format: 'otlp-json', spanCount: 1, duplicates: 0, traceIds: [], warnings: [] })), problems: [] };
    },
    importUploadStart: async (q: CallRequest<'importUploadStart'>) => {
      calls.push(`start ${q.name} ${q.size}`);
      return { uploadId: 'f'.repeat(32), chunkBytes };
    },
    importUploadChunk: async (q: CallRequest<'importUploadChunk'>) => {
      if (q.seq === failAtChunk) throw new Error('socket closed');
      chunks.push(q);
      received += q.bytes.length;
      return { bytesReceived: received };
    },
    importUploadFinish: async (): Promise<CallResponse<'importUploadFinish'>> => {
      calls.push('finish');
      return { imported: [{ file: 'big.json', format: 'otlp-json', spanCount: 9, duplicates: 0, traceIds: [], warnings: [] }], problems: [] };
    },
    importUploadStatus: async () => ({ phase: 'importing' as const, bytesReceived: received, totalBytes: received, bytesRead: 0, spans: 0 }),
    importUploadCancel: async () => {
      calls.push('cancel');
      return { cancelled: true };
    },
  };
  return { api, chunks, calls };
}

/** A file over the upload threshold whose text has multi-byte characters everywhere. */
function bigFile(): { file: File; text: string } {
  const unit = '{"a":"😀 é 日本"}\n';
  const text = unit.repeat(Math.ceil(UPLOAD_FROM_BYTES / new TextEncoder().encode(unit).length) + 1);
  return { file: new File([text], 'big.json'), text };
}

/** The chunks' bytes put back together and read as UTF-8. */
function joined(chunks: readonly CallRequest<'importUploadChunk'>[]): string {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.bytes.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c.bytes, at);
    at += c.bytes.length;
  }
  return new TextDecoder().decode(all);
}

describe('chunked trace uploads from the page', () => {
  it('sends a large file\'s bytes in order, in pieces of at most chunkBytes', async () => {
    const { file, text } = bigFile();
    const { api, chunks, calls } = recordingApi(100_001);
    const progress: string[] = [];
    const result = await importTraceFiles(api, [file], (m) => progress.push(m));
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    expect(chunks.every((c) => c.bytes.length <= 100_001)).toBe(true);
    expect(joined(chunks)).toBe(text);
    expect(calls).toEqual([`start big.json ${file.size}`, 'finish']);
    expect(progress.at(-1)).toMatch(/^Uploading big\.json: \d+\.?\d* of \d+\.?\d* MB \(100 %\)$/);
    expect(result.imported.map((f) => f.spanCount)).toEqual([9]);
  });

  it('sends the next chunk before the last one is answered, never more than two at once', async () => {
    const { file, text } = bigFile();
    const { api, chunks } = recordingApi(100_001);
    const record = api.importUploadChunk;
    const unanswered: Array<() => void> = [];
    let sentBytes = 0;
    let mostAtOnce = 0;
    // A chunk is answered only once the next one has been sent (the last one: once all bytes are out).
    api.importUploadChunk = (q) => {
      sentBytes += q.bytes.length;
      const answer = new Promise<void>((go) => unanswered.push(go)).then(() => record(q));
      mostAtOnce = Math.max(mostAtOnce, unanswered.length);
      if (unanswered.length > 1 || sentBytes === file.size) unanswered.shift()!();
      if (sentBytes === file.size) for (const go of unanswered.splice(0)) go();
      return answer;
    };
    await importTraceFiles(api, [file], () => undefined);
    expect(mostAtOnce).toBe(2);
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    expect(joined(chunks)).toBe(text);
  });

  it('sends small files together with importFiles and merges both answers', async () => {
    const { file } = bigFile();
    const { api, calls } = recordingApi(1_000_000);
    const result = await importTraceFiles(api, [new File(['{}'], 'a.json'), file, new File(['{}'], 'b.json')], () => undefined);
    expect(calls).toEqual(['importFiles a.json,b.json', `start big.json ${file.size}`, 'finish']);
    expect(result.imported.map((f) => f.file)).toEqual(['a.json', 'b.json', 'big.json']);
  });

  it('cancels the upload when a chunk cannot be sent', async () => {
    const { api, calls } = recordingApi(1_000_000, 2);
    await expect(importTraceFiles(api, [bigFile().file], () => undefined)).rejects.toThrow('socket closed');
    expect(calls.at(-1)).toBe('cancel');
    expect(calls).not.toContain('finish');
  });

  it('describes each phase', () => {
    const s = { bytesReceived: 5 * 1024 * 1024, totalBytes: 20 * 1024 * 1024, bytesRead: 15 * 1024 * 1024, spans: 12_345 };
    expect(describeUpload('t.json', { phase: 'receiving', ...s })).toBe('Uploading t.json: 5.0 of 20 MB (25 %)');
    expect(describeUpload('t.json', { phase: 'checking', ...s })).toBe('Checking t.json: 75 %');
    expect(describeUpload('t.json', { phase: 'importing', ...s })).toBe(`Storing spans from t.json: 75 % (${(12_345).toLocaleString()} spans)`);
  });
});
