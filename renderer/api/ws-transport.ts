// Browser mode's `window.api`: the IPC contract over a WebSocket to `clnrm studio` (see
// main/studio/server/ws-endpoint.ts for the wire format). The page is opened with `?token=…`; the
// token is kept in sessionStorage and taken out of the address bar, and sent on the socket URL.
// Calls made before the socket is open wait for it; a dropped socket is reopened with backoff and
// the calls it was carrying fail with `ipc.unavailable` (the UI can retry them).
import type { CallName, EventName, IpcError, StudioApi } from '../../shared/ipc/contract';
import { createStudioClient, type ClientTransport, type IpcReply } from '../../shared/ipc/validate';
// `window.api` is declared there (a global augmentation).
import type {} from './get-api';

const TOKEN_KEY = 'clnrm.studio.token';
const MAX_BACKOFF_MS = 5000;

interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
type SocketFactory = (url: string) => SocketLike;

export interface WebSocketTransport extends ClientTransport {
  /** Stops reconnecting and closes the socket. */
  close(): void;
}

function unavailable(message: string): IpcReply<never> {
  const error: IpcError = { code: 'ipc.unavailable', message };
  return { ok: false, error };
}

export function createWebSocketTransport(url: string, open: SocketFactory = (u) => new WebSocket(u) as unknown as SocketLike): WebSocketTransport {
  const OPEN = 1;
  let socket: SocketLike | undefined;
  let nextId = 1;
  let backoff = 250;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Map<number, (reply: IpcReply<unknown>) => void>();
  /** Calls waiting for the socket to open: told true when it opens, false when the attempt fails. */
  const waiting: Array<(opened: boolean) => void> = [];
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  const failPending = (why: string): void => {
    for (const [id, resolve] of pending) {
      pending.delete(id);
      resolve(unavailable(why));
    }
  };

  const connect = (): void => {
    const s = open(url);
    socket = s;
    s.onopen = () => {
      backoff = 250;
      for (const go of waiting.splice(0)) go(true);
    };
    s.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let message: { id?: unknown; reply?: IpcReply<unknown>; event?: EventName; payload?: unknown };
      try {
        message = JSON.parse(ev.data) as typeof message;
      } catch {
        return;
      }
      if (typeof message.id === 'number' && message.reply) {
        const resolve = pending.get(message.id);
        pending.delete(message.id);
        resolve?.(message.reply);
      } else if (message.event !== undefined) {
        for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
      }
    };
    s.onclose = () => {
      failPending('The connection to the studio was lost; it is being re-opened. Try again in a moment.');
      for (const go of waiting.splice(0)) go(false);
      if (closed) return;
      timer = setTimeout(connect, backoff);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    };
    s.onerror = () => undefined; // onclose follows and handles it.
  };
  connect();

  const whenOpen = (): Promise<boolean> =>
    socket?.readyState === OPEN ? Promise.resolve(true) : new Promise((resolve) => waiting.push(resolve));

  return {
    async invoke(name: CallName, request: unknown) {
      if (closed) return unavailable('The studio connection is closed.');
      if (!(await whenOpen())) {
        return unavailable('Cannot connect to the studio: is `clnrm studio` still running, and was the page opened with the URL it printed?');
      }
      const id = nextId++;
      return new Promise<IpcReply<unknown>>((resolve) => {
        pending.set(id, resolve);
        try {
          socket!.send(JSON.stringify({ id, call: name, request }));
        } catch (error) {
          pending.delete(id);
          resolve(unavailable(`Could not send to the studio: ${(error as Error).message}`));
        }
      });
    },
    subscribe(event: EventName, listener: (payload: unknown) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      failPending('The studio connection is closed.');
      for (const go of waiting.splice(0)) go(false);
      socket?.close();
    },
  };
}

/** The token from `?token=` (then kept for reloads and removed from the address bar) or from this tab's storage. */
export function takeToken(): string | undefined {
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    window.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(null, '', window.location.pathname + (rest ? `?${rest}` : '') + window.location.hash);
    return fromUrl;
  }
  return window.sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

/**
 * Installs `window.api` for browser mode (the page was served by `clnrm studio`). Does nothing when
 * an API is already installed (Electron's preload) or there is no token (the page will show its
 * "not connected" state).
 */
export function installBrowserApi(): StudioApi | undefined {
  if (window.api) return window.api;
  const token = takeToken();
  if (!token) return undefined;
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const transport = createWebSocketTransport(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`);
  // getTrace answers can hold a million spans: validating each one in the page would freeze it.
  const api = createStudioClient(transport, { validateResponse: (name) => name !== 'getTrace' });
  window.api = api;
  return api;
}
