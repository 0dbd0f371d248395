// The renderer's one door to the back end. Views never import a transport; they receive a StudioApi.
// Hosts install one of:
// - `window.studioIpc` (the Electron preload): plain reply envelopes `{ ok, value | error }`. Preferred,
//   because Electron keeps only `message` of a rejected invoke, so `window.api` there loses the code.
// - `window.api` (browser mode's WebSocket client, or the preload's message-only fallback).
import { CALL_NAMES, type CallName, type EventName, type StudioApi } from '../../shared/ipc/contract';
import { createStudioClient, fromIpcError, type IpcReply } from '../../shared/ipc/validate';
import { StudioError, type Problem } from '../../shared/errors';
import { TraceStreamDoneSchema, type TraceStreamApi, type TraceStreamRequest } from '../../shared/ipc/trace-stream';

/** What main/app/preload.ts exposes as `window.studioIpc`. */
export interface StudioIpcBridge {
  invoke(name: CallName, request: unknown): Promise<IpcReply<unknown>>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
  /** Application-menu commands (e.g. 'openFolder' with the picked folder). */
  onMenu(listener: (command: string, argument: unknown) => void): () => void;
  /** A trace as binary frames (shared/ipc/trace-stream.ts); each frame is handed over as it arrives. */
  streamTrace?(request: TraceStreamRequest, onFrame: (frame: Uint8Array) => void): Promise<IpcReply<unknown>>;
}

/** True when the API can stream traces as bytes (browser mode and the desktop shell); else getTrace. */
export function canStream(api: StudioApi): api is StudioApi & TraceStreamApi {
  return typeof (api as Partial<TraceStreamApi>).streamTrace === 'function';
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
    const api = createStudioClient({ invoke: (name, request) => bridge.invoke(name, request), subscribe: (event, listener) => bridge.on(event, listener) });
    if (typeof bridge.streamTrace !== 'function') return api;
    const streamTrace: TraceStreamApi['streamTrace'] = async (request, onFrame) => {
      const reply = await bridge.streamTrace!(request, onFrame);
      if (!reply.ok) throw fromIpcError(reply.error);
      const done = TraceStreamDoneSchema.safeParse(reply.value);
      if (!done.success) throw new StudioError({ code: 'ipc.invalid', message: `trace stream answer is invalid: ${done.error.issues[0]?.message}` });
      return done.data;
    };
    return Object.assign(api, { streamTrace });
  }
  if (host.api) return keepErrorCodes(host.api);
  return new StudioError({
    code: 'ipc.unavailable',
    message: 'This page is not connected to the studio back end. Open it with `npm start` (desktop) or `clnrm studio` (browser mode).',
  });
}

function foreignProblem(error: unknown): Problem | undefined {
  if (!(error instanceof Error) || error instanceof StudioError) return undefined;
  const p = (error as { problem?: unknown }).problem;
  if (typeof p !== 'object' || p === null) return undefined;
  const { code, message } = p as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? (p as Problem) : undefined;
}

/**
 * Browser mode's `window.api` comes from its own bundle (dist/studio-client), so the StudioError it
 * rejects with is another class than ours and `instanceof` fails: toProblem() would report every
 * code as 'internal'. Re-create those errors with our class so the code reaches the user.
 */
export function keepErrorCodes(api: StudioApi): StudioApi {
  const wrapped: Record<string, unknown> = { on: api.on.bind(api) };
  const calls: string[] = canStream(api) ? [...CALL_NAMES, 'streamTrace'] : CALL_NAMES;
  for (const name of calls) {
    const call = (api as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[name];
    if (typeof call !== 'function') continue;
    wrapped[name] = (...args: unknown[]) =>
      call.apply(api, args).catch((error: unknown) => {
        const problem = foreignProblem(error);
        throw problem ? new StudioError(problem) : error;
      });
  }
  return wrapped as unknown as StudioApi;
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
