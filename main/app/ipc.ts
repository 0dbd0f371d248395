// Registers the IPC contract with Electron's main process. Every call is checked twice: the sender
// must be our main window's top frame showing our own file:// page (not another window, an iframe
// or a page it navigated to), and the request must match the contract (handleCall validates it).
// Events from the back end's hub are sent to the window.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { pathToFileURL } from 'node:url';
import type { EventName } from '../../shared/ipc/contract';
import { handleCall, toIpcError, type IpcReply } from '../../shared/ipc/validate';
import { TraceStreamRequestSchema } from '../../shared/ipc/trace-stream';
import type { StudioBackend } from '../studio/backend';
import { CALL_CHANNEL, EVENT_CHANNEL, TRACE_FRAME_CHANNEL, TRACE_STREAM_CHANNEL } from './channels';
import { isOurPageUrl } from './sender-check';

/** Our page's address without query or hash, e.g. file:///opt/studio/dist/renderer/index.html. */
export function pageUrl(indexHtml: string): string {
  return pathToFileURL(indexHtml).href;
}

function fromOurPage(event: IpcMainInvokeEvent, window: BrowserWindow | undefined, page: string): boolean {
  if (!window || window.isDestroyed() || event.sender !== window.webContents) return false;
  const frame = event.senderFrame;
  return Boolean(frame && frame.parent === null && isOurPageUrl(frame.url, page));
}

/** Wires calls and events; returns the function that removes both. */
export function registerIpc(backend: StudioBackend, getWindow: () => BrowserWindow | undefined, indexHtml: string): () => void {
  const page = pageUrl(indexHtml);
  ipcMain.handle(CALL_CHANNEL, async (event, name: unknown, request: unknown): Promise<IpcReply<unknown>> => {
    if (!fromOurPage(event, getWindow(), page)) {
      return { ok: false, error: { code: 'ipc.invalid', message: 'calls are accepted only from the studio window' } };
    }
    return handleCall(backend.handlers, typeof name === 'string' ? name : '', request);
  });
  ipcMain.handle(TRACE_STREAM_CHANNEL, async (event, id: unknown, request: unknown): Promise<IpcReply<unknown>> => {
    if (!fromOurPage(event, getWindow(), page)) {
      return { ok: false, error: { code: 'ipc.invalid', message: 'calls are accepted only from the studio window' } };
    }
    const checked = TraceStreamRequestSchema.safeParse(request);
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0 || id > 0xffffffff || !checked.success) {
      return { ok: false, error: { code: 'ipc.invalid', message: 'a trace stream needs a whole-number id and { traceId }' } };
    }
    try {
      // Frames go as bytes (Electron copies a Uint8Array with structured clone: no JSON, no span objects).
      const done = await backend.traceStream(checked.data, id, async (frame) => {
        if (event.sender.isDestroyed()) throw new Error('the studio window closed');
        event.sender.send(TRACE_FRAME_CHANNEL, id, frame);
      });
      return { ok: true, value: done };
    } catch (error) {
      return { ok: false, error: toIpcError(error) };
    }
  });
  const disconnect = backend.hub.connect({
    send(name: EventName, payload: unknown) {
      const window = getWindow();
      if (window && !window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, name, payload);
    },
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    ipcMain.removeHandler(TRACE_STREAM_CHANNEL);
    disconnect();
  };
}
