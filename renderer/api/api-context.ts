// React context carrying the StudioApi so views stay transport-agnostic (and the harness can hand
// them its clearly labelled demo back end).
import { createContext, useContext } from 'react';
import type { StudioApi } from '../../shared/ipc/contract';
import type { StudioError } from '../../shared/errors';

export const ApiContext = createContext<StudioApi | StudioError | null>(null);

export function useApi(): StudioApi | StudioError {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext.Provider>');
  return api;
}
