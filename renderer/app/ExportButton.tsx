// "Export" for the open trace or the listed traces: asks the back end for OTLP JSON (exportTraces)
// and saves it as a download, on the desktop as in browser mode (the back end never writes a file
// the page names).
import { useState } from 'react';
import { useApi } from '../api/api-context';
import { toProblem } from '../../shared/errors';

export function ExportButton({
  traceIds,
  fileName,
  label = 'Export',
  title = 'Export this trace as OTLP JSON',
}: {
  traceIds: readonly string[];
  fileName: string;
  label?: string;
  title?: string;
}) {
  const api = useApi();
  const [status, setStatus] = useState<{ kind: 'idle' | 'busy' | 'done' | 'error'; message?: string }>({ kind: 'idle' });
  if (api instanceof Error) return null;
  const run = async () => {
    setStatus({ kind: 'busy' });
    try {
      const result = await api.exportTraces({ traceIds: [...traceIds] });
      const url = URL.createObjectURL(new Blob([result.text], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.click();
      URL.revokeObjectURL(url);
      setStatus({ kind: 'done', message: `Exported ${result.spanCount} spans` });
    } catch (error) {
      setStatus({ kind: 'error', message: toProblem(error).message });
    }
  };
  return (
    <>
      <button className="btn" onClick={() => void run()} disabled={status.kind === 'busy' || traceIds.length === 0} title={title}>
        {label}
      </button>
      {status.message && (
        <span className={status.kind === 'error' ? 'toolbar-status wf-err-text' : 'toolbar-status muted'} role="status" title={status.message}>
          {status.message}
        </span>
      )}
    </>
  );
}
