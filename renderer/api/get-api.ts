// The renderer's one door to the back end: `window.api`, installed by the Electron preload or by
// the browser-mode client. Views never import a transport; they receive a StudioApi.
import type { StudioApi } from '../../shared/ipc/contract';
import { StudioError } from '../../shared/errors';

declare global {
  interface Window {
    api?: StudioApi;
  }
}

/** The installed API, or a StudioError('ipc.unavailable') that views turn into a "how to connect" state. */
export function getApi(): StudioApi | StudioError {
  if (window.api) return window.api;
  return new StudioError({
    code: 'ipc.unavailable',
    message: 'This page is not connected to the studio back end. Open it with `npm start` (desktop) or `clnrm studio` (browser mode).',
  });
}
