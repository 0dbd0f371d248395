// IPC channel names shared by the Electron main process and the preload. The contract itself
// (call names, schemas) lives in shared/ipc; these are only the two pipes it travels on.

/** renderer → main: `invoke(CALL, name, request)` answers an IpcReply ({ ok, value } | { ok: false, error }). */
export const CALL_CHANNEL = 'studio:call';
/** main → renderer: `send(EVENT, name, payload)` for every contract event. */
export const EVENT_CHANNEL = 'studio:event';
/** main → renderer: menu commands the page acts on (e.g. a folder chosen with File › Open Folder). */
export const MENU_CHANNEL = 'studio:menu';
/** renderer → main: `invoke(TRACE_STREAM, id, request)` streams a trace (shared/ipc/trace-stream.ts), then answers an IpcReply. */
export const TRACE_STREAM_CHANNEL = 'studio:trace-stream';
/** main → renderer: `send(TRACE_FRAME, id, frame)` — one binary frame (a Uint8Array, copied as bytes) of stream `id`. */
export const TRACE_FRAME_CHANNEL = 'studio:trace-frame';
