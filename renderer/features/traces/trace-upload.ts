// Large trace files leave the page in chunks (shared/ipc/upload-schema.ts): the file's bytes are read
// a piece of at most `chunkBytes` at a time (never held whole, never decoded as text) and sent as they
// are (the next piece leaves before the last is answered, so reading, sending and the studio's work
// overlap), then imported by the studio as a stream while the page polls how far it has got. Small
// files go whole with importFiles. A failed or abandoned upload is cancelled so the studio drops its temporary file.
import type { CallResponse, StudioApi } from '../../../shared/ipc/contract';
import { UPLOAD_FROM_BYTES, type UploadStatus } from '../../../shared/ipc/upload-schema';

type ImportResponse = CallResponse<'importFiles'>;
type UploadApi = Pick<StudioApi, 'importFiles' | 'importUploadStart' | 'importUploadChunk' | 'importUploadFinish' | 'importUploadStatus' | 'importUploadCancel'>;

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
const percent = (done: number, total: number) => (total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 100);

/** What the Traces view's banner says while a file uploads or imports. */
export function describeUpload(name: string, s: UploadStatus): string {
  if (s.phase === 'receiving') return `Uploading ${name}: ${mb(s.bytesReceived)} of ${mb(s.totalBytes)} MB (${percent(s.bytesReceived, s.totalBytes)} %)`;
  if (s.phase === 'checking') return `Checking ${name}: ${percent(s.bytesRead, s.totalBytes)} %`;
  return `Storing spans from ${name}: ${percent(s.bytesRead, s.totalBytes)} % (${s.spans.toLocaleString()} spans)`;
}

/** Chunks sent before the first of them is answered: the page reads the next piece while the studio stores and checks one. */
const CHUNKS_IN_FLIGHT = 2;

async function sendChunks(api: UploadApi, file: File, uploadId: string, chunkBytes: number, onProgress: (message: string) => void): Promise<void> {
  const inFlight: Promise<CallResponse<'importUploadChunk'>>[] = [];
  const settleOldest = async () => {
    const { bytesReceived } = await inFlight.shift()!;
    onProgress(describeUpload(file.name, { phase: 'receiving', bytesReceived, totalBytes: file.size, bytesRead: 0, spans: 0 }));
  };
  try {
    for (let seq = 0, at = 0; at < file.size; seq++, at += chunkBytes) {
      const bytes = new Uint8Array(await file.slice(at, at + chunkBytes).arrayBuffer());
      if (inFlight.length >= CHUNKS_IN_FLIGHT) await settleOldest();
      inFlight.push(api.importUploadChunk({ uploadId, seq, bytes }));
    }
    while (inFlight.length > 0) await settleOldest();
  } finally {
    // After a failure, the chunks still under way are answered (or fail) without anyone waiting.
    for (const sent of inFlight) sent.catch(() => undefined);
  }
}

/** One large file: chunks, then the import with progress polled every `pollMs`. */
export async function uploadFile(api: UploadApi, file: File, onProgress: (message: string) => void, pollMs = 250): Promise<ImportResponse> {
  const { uploadId, chunkBytes } = await api.importUploadStart({ name: file.name, size: file.size });
  try {
    await sendChunks(api, file, uploadId, chunkBytes, onProgress);
  } catch (error) {
    await api.importUploadCancel({ uploadId }).catch(() => undefined);
    throw error;
  }
  let finished = false;
  const poll = setInterval(() => {
    void api.importUploadStatus({ uploadId }).then(
      (s) => finished || onProgress(describeUpload(file.name, s)),
      () => undefined, // the import ended between two polls: the upload is forgotten
    );
  }, pollMs);
  try {
    return await api.importUploadFinish({ uploadId });
  } finally {
    finished = true;
    clearInterval(poll);
  }
}

/** Imports every file: small ones together in one importFiles call, large ones uploaded one at a time. */
export async function importTraceFiles(api: UploadApi, files: readonly File[], onProgress: (message: string) => void): Promise<ImportResponse> {
  const small = files.filter((f) => f.size < UPLOAD_FROM_BYTES);
  const large = files.filter((f) => f.size >= UPLOAD_FROM_BYTES);
  const results: ImportResponse[] = [];
  if (small.length > 0) results.push(await api.importFiles({ files: await Promise.all(small.map(async (f) => ({ name: f.name, text: await f.text() }))) }));
  for (const file of large) results.push(await uploadFile(api, file, onProgress));
  return { imported: results.flatMap((r) => r.imported), problems: results.flatMap((r) => r.problems) };
}
