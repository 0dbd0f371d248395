// Import trace files (OTLP JSON / JSON Lines) into the studio: the page sends small files' text with
// importFiles and large ones in chunks with progress (./trace-upload.ts); the back end parses them
// (shared/otlp) and stores the spans. Dropping files anywhere on the Traces view does the same.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StudioApi } from '../../../shared/ipc/contract';
import { toProblem } from '../../../shared/errors';
import { summariseImport } from './import-summary';
import { importTraceFiles } from './trace-upload';

export function useTraceImport(api: StudioApi, onImported: () => void) {
  const [status, setStatus] = useState<{ kind: 'idle' | 'busy' | 'done' | 'error'; message: string; details?: string[] }>({ kind: 'idle', message: '' });
  const importFiles = useCallback(
    async (list: FileList | File[]) => {
      const files = [...list];
      if (files.length === 0) return;
      setStatus({ kind: 'busy', message: `Importing ${files.length} file${files.length > 1 ? 's' : ''}…` });
      try {
        const result = await importTraceFiles(api, files, (message) => setStatus({ kind: 'busy', message }));
        const summary = summariseImport(result);
        setStatus({ kind: summary.failed ? 'error' : 'done', message: summary.message, details: summary.lines });
        onImported();
      } catch (error) {
        setStatus({ kind: 'error', message: toProblem(error).message });
      }
    },
    [api, onImported],
  );
  return { status, importFiles };
}

export function ImportButton({ onFiles }: { onFiles: (files: FileList) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input ref={input} type="file" multiple accept=".json,.jsonl,.ndjson,application/json" hidden onChange={(e) => e.target.files && onFiles(e.target.files)} aria-label="Trace files to import" />
      <button className="btn" onClick={() => input.current?.click()} title="Import OTLP JSON or JSON Lines trace files (or drop them here)">
        Import…
      </button>
    </>
  );
}

/** Accept files dropped anywhere on the element returned by `ref`. */
export function useFileDrop(onFiles: (files: FileList) => void) {
  const ref = useRef<HTMLElement>(null);
  const [over, setOver] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setOver(true);
    };
    const onLeave = () => setOver(false);
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setOver(false);
      if (e.dataTransfer?.files) onFiles(e.dataTransfer.files);
    };
    el.addEventListener('dragover', onOver);
    el.addEventListener('dragleave', onLeave);
    el.addEventListener('drop', onDrop);
    return () => {
      el.removeEventListener('dragover', onOver);
      el.removeEventListener('dragleave', onLeave);
      el.removeEventListener('drop', onDrop);
    };
  }, [onFiles]);
  return { ref, over };
}
