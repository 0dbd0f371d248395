// A small "copy to clipboard" button that confirms what it did (or says why it could not).
import { useState } from 'react';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 1200);
  };
  return (
    <button className="btn btn-small copy-btn" onClick={copy} aria-label={`Copy ${label}`} title={`Copy ${label}`}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy blocked' : 'Copy'}
    </button>
  );
}
