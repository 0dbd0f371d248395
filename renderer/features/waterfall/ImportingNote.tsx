// Says so when the open trace is still being imported (its summary in the Traces list carries
// `importing`): the waterfall shows the spans stored when it was opened, never presented as the
// whole trace. When the import is done, the trace is opened again with all its spans.
import { useEffect, useRef } from 'react';
import { useStudio } from '../../app/store';
import { useApi } from '../../api/api-context';

export function ImportingNote({ traceId }: { traceId: string }) {
  const api = useApi();
  const importing = useStudio((s) => s.traces.find((t) => t.traceId === traceId)?.importing);
  const openTrace = useStudio((s) => s.openTrace);
  const wasImporting = useRef(false);
  useEffect(() => {
    if (importing) wasImporting.current = true;
    else if (wasImporting.current) {
      wasImporting.current = false;
      if (!(api instanceof Error)) void openTrace(api, traceId);
    }
  }, [importing, api, openTrace, traceId]);
  if (!importing) return null;
  return (
    <p className="trace-importing" data-testid="trace-importing-note">
      Still importing {importing.file} ({importing.percent} % read): this shows only the spans stored when the trace was opened. It reloads when the import is done.
    </p>
  );
}
