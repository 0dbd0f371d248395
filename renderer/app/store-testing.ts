// Test support for store slices: a StudioApi with only the calls a test names (any other call fails
// loudly), and a reset of the one store between tests.
import { beforeEach } from 'vitest';
import type { StudioApi } from '../../shared/ipc/contract';
import { useStudio } from './store';

export function fakeApi(calls: Partial<Record<keyof StudioApi, unknown>>): StudioApi {
  return new Proxy(calls, {
    get: (target, name) => target[name as keyof StudioApi] ?? (() => Promise.reject(new Error(`unexpected call ${String(name)}`))),
  }) as unknown as StudioApi;
}

/** Puts the store back to its initial state before every test of the calling file; returns that reset. */
export function resetStudioBeforeEach(): () => void {
  const initial = useStudio.getState();
  const reset = (): void => useStudio.setState(initial, true);
  beforeEach(reset);
  return reset;
}
