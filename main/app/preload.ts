// The sandboxed preload: exposes `window.api` (one function per call of the IPC contract, plus
// `on(event, listener)`), never ipcRenderer itself. Bundled into one CommonJS file
// (dist/app/preload.cjs) because a sandboxed preload cannot require our modules.
//
// Electron copies only `message` of an Error across the context bridge, so a failed call would
// lose its code. `window.studioIpc` therefore also exposes the plain reply envelopes
// ({ ok, value } | { ok: false, error: { code, message, details } }) so the page can build a
// client that keeps codes (createStudioClient over it); `window.api` rejects with the message.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CALL_NAMES, EVENT_NAMES, type CallName, type EventName } from '../../shared/ipc/contract';
import type { IpcReply } from '../../shared/ipc/validate';
import { CALL_CHANNEL, EVENT_CHANNEL, MENU_CHANNEL, TRACE_FRAME_CHANNEL, TRACE_STREAM_CHANNEL } from './channels';

const calls = new Set<string>(CALL_NAMES);
const events = new Set<string>(EVENT_NAMES);

function invoke(name: CallName, request: unknown): Promise<IpcReply<unknown>> {
  if (!calls.has(name)) return Promise.resolve({ ok: false, error: { code: 'ipc.invalid', message: `unknown call "${String(name)}"` } });
  return ipcRenderer.invoke(CALL_CHANNEL, name, request) as Promise<IpcReply<unknown>>;
}

function on(event: EventName, listener: (payload: unknown) => void): () => void {
  if (!events.has(event)) throw new Error(`unknown event "${String(event)}"`);
  const relay = (_e: IpcRendererEvent, name: unknown, payload: unknown): void => {
    if (name === event) listener(payload);
  };
  ipcRenderer.on(EVENT_CHANNEL, relay);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, relay);
  };
}

let nextStream = 1;

/** A trace as binary frames: each frame of this stream goes to `onFrame`, then the reply settles it. */
async function streamTrace(request: unknown, onFrame: (frame: Uint8Array) => void): Promise<IpcReply<unknown>> {
  const id = nextStream++;
  const relay = (_e: IpcRendererEvent, streamId: unknown, frame: unknown): void => {
    if (streamId === id && frame instanceof Uint8Array) onFrame(frame);
  };
  ipcRenderer.on(TRACE_FRAME_CHANNEL, relay);
  try {
    return (await ipcRenderer.invoke(TRACE_STREAM_CHANNEL, id, request)) as IpcReply<unknown>;
  } finally {
    ipcRenderer.removeListener(TRACE_FRAME_CHANNEL, relay);
  }
}

const api: Record<string, unknown> = { on };
for (const name of CALL_NAMES) {
  api[name] = async (request: unknown) => {
    const reply = await invoke(name, request ?? {});
    if (reply.ok) return reply.value;
    throw new Error(reply.error.message);
  };
}

contextBridge.exposeInMainWorld('api', api);
contextBridge.exposeInMainWorld('studioIpc', {
  invoke,
  on,
  streamTrace,
  onMenu(listener: (command: string, argument: unknown) => void): () => void {
    const relay = (_e: IpcRendererEvent, command: unknown, argument: unknown): void => {
      if (typeof command === 'string') listener(command, argument);
    };
    ipcRenderer.on(MENU_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(MENU_CHANNEL, relay);
    };
  },
});
