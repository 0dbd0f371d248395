// Importing and exporting trace files for the studio: files named by path (the desktop's file
// dialog; only paths the user chose, see UserPaths) or given as text (browser mode) are parsed with
// shared/otlp's sniffing reader and stored; exports hand the OTLP JSON back as text (the page saves
// it as a download): the back end never writes where a page asks it to.
import { basename } from 'node:path';
import { StudioError, toProblem, type Problem } from '../../shared/errors';
import type { CallArgs, CallResponse } from '../../shared/ipc/contract';
import { formatTraceFile } from '../../shared/otlp';
import type { ImportResult, TraceStore } from '../store';
import type { UserPaths } from './user-paths';

/** Largest trace file accepted as text (browser mode: the page sends the contents, parsed whole). */
export const MAX_TRACE_FILE_BYTES = 512 * 1024 * 1024;

type Imported = CallResponse<'importFiles'>['imported'][number];

/** Deduplicates exactly as `clnrm import` does (the store's importFile / importText): spans already stored are counted, not added. */
function imported(result: ImportResult, file: string): Imported {
  return { file, format: result.format, spanCount: result.imported, duplicates: result.duplicates, traceIds: result.traceIds, warnings: result.warnings.map(plainProblem) };
}

/** Problems cross the contract as plain objects (no class instances, no undefined fields). */
export function plainProblem(p: Problem): Problem {
  const out: { -readonly [K in keyof Problem]: Problem[K] } = { code: p.code, message: p.message };
  if (p.file !== undefined) out.file = p.file;
  if (p.line !== undefined && p.line > 0) out.line = p.line;
  if (p.column !== undefined && p.column > 0) out.column = p.column;
  if (p.path !== undefined) out.path = p.path;
  if (p.details !== undefined) out.details = { ...p.details };
  return out;
}

/** Imports every file; one bad file is a problem in the answer, not a failure of the call. */
export async function importTraceFiles(store: TraceStore, request: CallArgs<'importFiles'>, paths: UserPaths): Promise<CallResponse<'importFiles'>> {
  const done: Imported[] = [];
  const problems: Problem[] = [];
  for (const given of request.paths ?? []) {
    const path = paths.resolve(given);
    try {
      // Read from disk as a stream (large files never sit in memory whole): see main/store/import-stream.ts.
      done.push(imported(await store.importFile(await paths.check(given, 'The trace file')), path));
    } catch (error) {
      problems.push(plainProblem({ file: path, ...toProblem(error) }));
    }
  }
  for (const { name, text } of request.files ?? []) {
    // A browser file name is only a label: never a path we would read or write.
    const label = basename(name);
    try {
      if (text.length > MAX_TRACE_FILE_BYTES) throw new StudioError({ code: 'io.read', message: `${label} is larger than ${MAX_TRACE_FILE_BYTES} bytes`, file: label });
      done.push(imported(await store.importText(text, label), label));
    } catch (error) {
      problems.push(plainProblem({ file: label, ...toProblem(error) }));
    }
  }
  return { imported: done, problems };
}

export async function exportTraces(store: TraceStore, request: CallArgs<'exportTraces'>): Promise<CallResponse<'exportTraces'>> {
  const wanted = [...new Set(request.traceIds)];
  const spans = await store.getSpans(wanted);
  const found = new Set(spans.map((s) => s.traceId));
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new StudioError({
      code: 'trace.not-found',
      message: `${missing.length} of the ${wanted.length} traces to export are not in the store (cleared or pruned?): ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}`,
      details: { missing },
    });
  }
  return { spanCount: spans.length, text: formatTraceFile(spans, request.format) };
}
