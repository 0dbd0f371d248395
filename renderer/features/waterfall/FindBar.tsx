// Find-in-trace box: type to highlight matching spans, Enter / Shift+Enter (or the arrows) to walk
// through them; matching spans hidden under collapsed parents are revealed.
import { forwardRef, useEffect, useState } from 'react';
import { useStudio } from '../../app/store';
import { getFindResult } from './trace-holder';

export const FindBar = forwardRef<HTMLInputElement>(function FindBar(_props, ref) {
  const findQuery = useStudio((s) => s.findQuery);
  const matchCursor = useStudio((s) => s.matchCursor);
  const traceVersion = useStudio((s) => s.traceVersion);
  const setFindQuery = useStudio((s) => s.setFindQuery);
  const stepMatch = useStudio((s) => s.stepMatch);
  const [text, setText] = useState(findQuery);

  useEffect(() => setText(findQuery), [findQuery, traceVersion]);
  // Debounced: searching a million spans on every keystroke would stutter typing.
  useEffect(() => {
    if (text === findQuery) return;
    const t = setTimeout(() => setFindQuery(text), 150);
    return () => clearTimeout(t);
  }, [text, findQuery, setFindQuery]);

  const count = findQuery ? getFindResult(findQuery).matches.length : 0;
  const step = (dir: 1 | -1) => {
    if (text !== findQuery) setFindQuery(text);
    stepMatch(dir);
  };
  return (
    <div className="find" role="search">
      <input
        ref={ref}
        className="input find-input"
        placeholder="Find: name, service, key=value"
        aria-label="Find in trace"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            step(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            setText('');
            setFindQuery('');
          }
        }}
      />
      <span className="find-count" aria-live="polite" data-testid="find-count">
        {findQuery ? (count === 0 ? 'No matches' : `${matchCursor >= 0 ? matchCursor + 1 : '–'} / ${count.toLocaleString()}`) : ''}
      </span>
      <button className="btn btn-icon" onClick={() => step(-1)} disabled={count === 0} aria-label="Previous match" title="Previous match (Shift+Enter)">
        ↑
      </button>
      <button className="btn btn-icon" onClick={() => step(1)} disabled={count === 0} aria-label="Next match" title="Next match (Enter)">
        ↓
      </button>
    </div>
  );
});
