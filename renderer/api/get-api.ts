// The renderer's one door to the back end. Views never import a transport; they receive a StudioApi.
// Hosts install one of:
// - `window.studioIpc` (the Electron preload): plain reply envelopes `{ ok, value | error }`. Preferred,
//   because Electron keeps only `message` of a rejected invoke, so `window.api` there loses the code.
// - `window.api` (browser mode's WebSocket client, or the preload's message-only fallback).
import type { CallName, EventName, StudioApi } from '../../shared/ipc/contract';
import { createStudioClient, type IpcReply } from '../../shared/ipc/validate';
import { StudioError } from '../../shared/errors';

/** What main/app/preload.ts exposes as `window.studioIpc`. */
export interface StudioIpcBridge {
  invoke(name: CallName, request: unknown): Promise<IpcReply<unknown>>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
  /** Application-menu commands (e.g. 'openFolder' with the picked folder). */
  onMenu(listener: (command: string, argument: unknown) => void): () => void;
}

declare global {
  interface Window {
    api?: StudioApi;
    studioIpc?: StudioIpcBridge;
  }
}

export interface ApiHost {
  api?: StudioApi | undefined;
  studioIpc?: StudioIpcBridge | undefined;
}

function hasBridge(host: ApiHost): host is ApiHost & { studioIpc: StudioIpcBridge } {
  const b = host.studioIpc;
  return Boolean(b && typeof b.invoke === 'function' && typeof b.on === 'function');
}

/** The installed API, or a StudioError('ipc.unavailable') that views turn into a "how to connect" state. */
export function getApi(host: ApiHost = window): StudioApi | StudioError {
  if (hasBridge(host)) {
    const bridge = host.studioIpc;
    // The bridge's functions are bound by contextBridge; call them through the object anyway.
    return createStudioClient({ invoke: (name, request) => bridge.invoke(name, request), subscribe: (event, listener) => bridge.on(event, listener) });
  }
  if (host.api) return host.api;
  return new StudioError({
    code: 'ipc.unavailable',
    message: 'This page is not connected to the studio back end. Open it with `npm start` (desktop) or `clnrm studio` (browser mode).',
  });
}

/** Subscribes to the desktop app's menu commands; a no-op where there is no menu (browser mode). */
export function onDesktopMenu(listener: (command: string, argument: unknown) => void, host: ApiHost = window): () => void {
  const bridge = host.studioIpc;
  if (!bridge || typeof bridge.onMenu !== 'function') return () => undefined;
  return bridge.onMenu(listener);
}

/** True inside the desktop app (its preload installed the bridge): native dialogs exist there. */
export function isDesktop(host: ApiHost = window): boolean {
  return hasBridge(host);
}
