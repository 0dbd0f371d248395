// The question before a first run of a file that mounts host paths: each mount (host path, where in the
// container, read-only or not, and its risk in words), then "Run anyway" or "Cancel". An inline
// alertdialog above the file list: focus starts on Cancel (the safe answer) and Escape cancels.
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import type { HostAccessRequest } from './host-access-consent';

interface Props {
  files: readonly HostAccessRequest[];
  onConfirm(): void;
  onCancel(): void;
}

export function HostAccessDialog({ files, onConfirm, onCancel }: Props) {
  const titleId = useId();
  const textId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    }
  };
  const one = files.length === 1;
  return (
    <div className="tests-host-access" role="alertdialog" aria-modal="false" aria-labelledby={titleId} aria-describedby={textId} onKeyDown={onKeyDown}>
      <h2 id={titleId} className="tests-host-access-title">
        {one ? 'This test file mounts paths of this computer' : `${files.length} test files mount paths of this computer`}
      </h2>
      <p id={textId}>
        Its containers will see these host paths. Run {one ? 'it' : 'them'} only if you trust {one ? 'this file' : 'these files'}; you are asked again when{' '}
        {one ? 'its' : 'a file’s'} content changes.
      </p>
      {files.map((f) => (
        <section key={f.path} aria-label={`Host access of ${f.path}`}>
          <p className="mono tests-host-access-file">{f.path}</p>
          <ul className="tests-host-access-mounts" aria-label={`Mounts of ${f.path}`}>
            {f.hostAccess.map((m, k) => (
              <li key={k} className={m.risk ? 'is-risky' : undefined}>
                <span className="mono">{m.hostPath}</span> → <span className="mono">{m.containerPath}</span> in <span className="mono">{m.service}</span>,{' '}
                {m.readOnly ? 'read-only' : 'read-write'}
                <div className="tests-host-access-risk">{m.risk ?? 'an ordinary folder'}</div>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <div className="tests-host-access-actions">
        <button ref={cancelRef} className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button className="btn btn-danger" onClick={onConfirm}>
          Run anyway
        </button>
      </div>
    </div>
  );
}
