// Trace files in and out of the store: import any format shared/otlp can read (OTLP JSON/JSONL,
// Jaeger, clnrm NDJSON) skipping spans already stored, and export OTLP JSON that re-imports
// identically. Large files from disk are streamed by ./import-stream.ts.
import { readFile } from 'node:fs/promises';
import type { Problem } from '../../shared/errors';
import { StudioError } from '../../shared/errors';
import type { Span } from '../../shared/model';
import { formatTraceFile, parseTraceFile, type TraceFormat } from '../../shared/otlp';
import type { TraceStore } from './trace-store';

export interface ImportResult {
  file: string;
  format: TraceFormat;
  /** Spans added to the store. */
  imported: number;
  /** Spans skipped because the store already had them (same trace and span id). */
  duplicates: number;
  /** Traces that received new spans. */
  traces: number;
  /** Every trace the file holds (new or already stored). */
  traceIds: string[];
  warnings: Problem[];
}

/** Largest trace file read into memory at once. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
const BATCH = 5000;

/** A file read whole and parsed at once (small files, and formats import-stream.ts does not stream); `label` names it. */
export async function importSmallFile(store: TraceStore, path: string, label = path): Promise<ImportResult> {
  let text: string;
  try {
    const buffer = await readFile(path);
    if (buffer.length > MAX_IMPORT_BYTES) {
      throw new StudioError({ code: 'io.read', message: `${label} is ${buffer.length} bytes; the importer reads at most ${MAX_IMPORT_BYTES}. Split the file.`, file: label });
    }
    text = buffer.toString('utf8');
  } catch (error) {
    if (error instanceof StudioError) throw error;
    throw new StudioError({ code: 'io.read', message: `Cannot read ${label}: ${(error as Error).message}`, file: label });
  }
  return importText(store, text, label);
}

/**
 * Parses one trace file's text and stores the spans the store does not hold yet (same trace and
 * span id); `file` names it in results and problems. The CLI and the studio both import through here.
 */
export async function importText(store: TraceStore, text: string, file: string): Promise<ImportResult> {
  const parsed = parseTraceFile(text, file);
  const known = await store.storedSpanKeys([...new Set(parsed.spans.map((s) => s.traceId))]);
  const fresh: Span[] = [];
  const inFile = new Set<string>();
  let duplicates = 0;
  for (const span of parsed.spans) {
    const key = `${span.traceId}:${span.spanId}`;
    if (known.has(key) || inFile.has(key)) duplicates++;
    else {
      inFile.add(key);
      fresh.push(span);
    }
  }
  for (let i = 0; i < fresh.length; i += BATCH) store.ingest(fresh.slice(i, i + BATCH));
  store.flush();
  return {
    file,
    format: parsed.format,
    imported: fresh.length,
    duplicates,
    traces: new Set(fresh.map((s) => s.traceId)).size,
    traceIds: [...new Set(parsed.spans.map((s) => s.traceId))],
    warnings: parsed.warnings,
  };
}

export async function exportTraces(store: TraceStore, ids: readonly string[] | 'all', format: 'otlp-json' | 'otlp-jsonl' = 'otlp-json'): Promise<{ text: string; spans: number; missing: string[] }> {
  const spans = await store.getSpans(ids);
  let missing: string[] = [];
  if (ids !== 'all') {
    const found = new Set(spans.map((s) => s.traceId));
    missing = ids.filter((id) => !found.has(id));
  }
  return { text: formatTraceFile(spans, format), spans: spans.length, missing };
}
