// Loads one answer of the back end for a component, again whenever its key changes; an answer that
// arrives after the key moved on is dropped (the user picked something else meanwhile).
import { useEffect, useState } from 'react';
import { toProblem, type Problem } from '../../../shared/errors';

export type Loaded<T> = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; problem: Problem };

/** `load` null: nothing to load (idle). `key` names what is loaded: a new key loads again. */
export function useLoad<T>(key: string, load: (() => Promise<T>) | null): Loaded<T> {
  const [state, setState] = useState<{ key: string; loaded: Loaded<T> }>({ key: '', loaded: { status: 'idle' } });
  useEffect(() => {
    if (!load) return;
    let current = true;
    setState({ key, loaded: { status: 'loading' } });
    load().then(
      (value) => current && setState({ key, loaded: { status: 'ready', value } }),
      (error: unknown) => current && setState({ key, loaded: { status: 'error', problem: toProblem(error) } }),
    );
    return () => {
      current = false;
    };
    // `load` is a new closure every render; `key` says when it means something else.
  }, [key]);
  if (!load) return { status: 'idle' };
  return state.key === key ? state.loaded : { status: 'loading' };
}
