// A test file's source as the studio read it, with line numbers, and each problem or warning of its
// validation shown under the line it points at (problems without a line are listed first).
import { useEffect, useState } from 'react';
import { formatProblem, toProblem, type Problem } from '../../../shared/errors';
import type { StudioApi } from '../../../shared/ipc/contract';
import type { Validation } from './store.tests';

type Marked = { problem: Problem; severity: 'error' | 'warning' };

function byLine(validation: Validation | undefined): { lines: Map<number, Marked[]>; unplaced: Marked[] } {
  const lines = new Map<number, Marked[]>();
  const unplaced: Marked[] = [];
  const all: Marked[] = [...(validation?.problems ?? []).map((problem) => ({ problem, severity: 'error' as const })), ...(validation?.warnings ?? []).map((problem) => ({ problem, severity: 'warning' as const }))];
  for (const m of all) {
    const line = m.problem.line;
    if (line === undefined || line < 1) unplaced.push(m);
    else lines.set(line, [...(lines.get(line) ?? []), m]);
  }
  return { lines, unplaced };
}

/** `version` changes when the studio wrote the file (an accepted suggestion): the text is read again. */
export function TestSource({ api, path, validation, version = 0, onShown }: { api: StudioApi; path: string; validation: Validation | undefined; version?: number; onShown?: () => void }) {
  const [source, setSource] = useState<{ text: string } | { problem: Problem } | null>(null);
  // The source grows the list once read: whoever keeps a selection in view must know.
  useEffect(() => {
    if (source !== null) onShown?.();
  }, [source, onShown]);
  useEffect(() => {
    let current = true;
    api.readTestFile({ path }).then(
      ({ text }) => current && setSource({ text }),
      (error: unknown) => current && setSource({ problem: toProblem(error) }),
    );
    return () => {
      current = false;
    };
  }, [api, path, version]);
  if (source === null) return <p className="faint tests-source-note">Reading the file…</p>;
  if ('problem' in source) return <p className="tests-run-problem mono">{formatProblem(source.problem)}</p>;
  const { lines, unplaced } = byLine(validation);
  const mark = (m: Marked, k: number) => (
    <div key={k} className={`tests-source-mark is-${m.severity}`} role="note">
      {m.severity}: {m.problem.message} [{m.problem.code}]
    </div>
  );
  return (
    <div className="tests-source" role="region" aria-label={`Source of ${path}`}>
      {unplaced.map(mark)}
      <ol className="tests-source-lines mono">
        {source.text.split('\n').map((text, i) => {
          const marks = lines.get(i + 1) ?? [];
          const worst = marks.some((m) => m.severity === 'error') ? 'error' : marks.length > 0 ? 'warning' : undefined;
          return (
            <li key={i} className={worst ? `has-${worst}` : undefined} aria-label={worst ? `line ${i + 1}, ${worst}` : undefined}>
              <span className="tests-source-text">{text === '' ? ' ' : text}</span>
              {marks.map(mark)}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
