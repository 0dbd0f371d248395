// Browser mode's `window.api`: the IPC contract over a WebSocket to `clnrm studio` (see
// main/studio/server/ws-endpoint.ts for the wire format). The page is opened with a one-time
// `?code=…`, taken out of the address bar at once and exchanged (POST /session) for a session key;
// the key stays in this tab's sessionStorage (reloads reuse it) and goes only to the studio, as a
// WebSocket subprotocol — never in a URL or a cookie (see main/studio/server/security.ts).
// Calls made before the socket is open wait for it; a dropped socket is reopened with backoff and
// the calls it was carrying fail with `ipc.unavailable` (the UI can retry them).
// A trace is streamed (shared/ipc/trace-stream.ts): binary frames routed by their stream id, then a reply.
// A call with bytes (an upload's chunk) leaves as one binary message (shared/ipc/bytes-call.ts).
import type { CallName, EventName, IpcError, StudioApi } from '../../shared/ipc/contract';
import { createStudioClient, fromIpcError, toIpcError, type ClientTransport, type IpcReply } from '../../shared/ipc/validate';
import { traceFrameStreamId } from '../../shared/ipc/trace-frame';
import { encodeBytesCall, hasBytes } from '../../shared/ipc/bytes-call';
import { TraceStreamDoneSchema, TraceStreamRequestSchema, type TraceStreamApi, type TraceStreamDone, type TraceStreamRequest } from '../../shared/ipc/trace-stream';
import { LAUNCH_CODE_PARAM, SESSION_PATH, SESSION_PROTOCOL_PREFIX, STUDIO_PROTOCOL } from '../../shared/ipc/browser-session';
// `window.api` is declared there (a global augmentation).
import type {} from './get-api';

const SESSION_KEY = 'clnrm.studio.session';
const MAX_BACKOFF_MS = 5000;

interface SocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string | Uint8Array): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export interface WebSocketTransport extends ClientTransport {
  /** Asks for a trace stream: each binary frame of it goes to `onFrame`, then the reply settles it. */
  stream(request: TraceStreamRequest, onFrame: (frame: Uint8Array) => void): Promise<IpcReply<unknown>>;
  /** Stops reconnecting and closes the socket. */
  close(): void;
}

function unavailable(message: string): IpcReply<never> {
  const error: IpcError = { code: 'ipc.unavailable', message };
  return { ok: false, error };
}

/**
 * `session` answers the key to present (called before each connection); when it fails, the
 * page has no way in and every call fails with its message.
 */
export function createWebSocketTransport(
  url: string,
  session: () => Promise<string>,
  open: SocketFactory = (u, p) => new WebSocket(u, p) as unknown as SocketLike,
): WebSocketTransport {
  const OPEN = 1;
  let socket: SocketLike | undefined;
  let noSession: string | undefined;
  let nextId = 1;
  let backoff = 250;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Map<number, (reply: IpcReply<unknown>) => void>();
  /** Open trace streams: where each one's frames go, by request id. */
  const streams = new Map<number, (frame: Uint8Array) => void>();
  /** Calls waiting for the socket to open: told true when it opens, false when the attempt fails. */
  const waiting: Array<(opened: boolean) => void> = [];
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  const failPending = (why: string): void => {
    for (const [id, resolve] of pending) {
      pending.delete(id);
      resolve(unavailable(why));
    }
    streams.clear();
  };

  /** A binary message is a trace frame: routed to its stream, or — unreadable — failing every open stream. */
  const routeFrame = (data: ArrayBuffer): void => {
    const frame = new Uint8Array(data);
    let id: number;
    try {
      id = traceFrameStreamId(frame);
    } catch (error) {
      for (const streamId of streams.keys()) {
        streams.delete(streamId);
        const resolve = pending.get(streamId);
        pending.delete(streamId);
        resolve?.({ ok: false, error: toIpcError(error) });
      }
      return;
    }
    streams.get(id)?.(frame);
  };

  const connect = (): void => {
    session().then(
      (key) => {
        if (!closed) attach(open(url, [STUDIO_PROTOCOL, SESSION_PROTOCOL_PREFIX + key]));
      },
      (error: unknown) => {
        noSession = (error as Error).message;
        for (const go of waiting.splice(0)) go(false);
      },
    );
  };

  const attach = (s: SocketLike): void => {
    socket = s;
    s.onopen = () => {
      backoff = 250;
      for (const go of waiting.splice(0)) go(true);
    };
    s.binaryType = 'arraybuffer';
    s.onmessage = (ev) => {
      if (ev.data instanceof ArrayBuffer) return routeFrame(ev.data);
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
        streams.delete(message.id);
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

  const whenOpen = (): Promise<boolean> => {
    if (socket?.readyState === OPEN) return Promise.resolve(true);
    if (noSession !== undefined) return Promise.resolve(false);
    return new Promise((resolve) => waiting.push(resolve));
  };

  /** Sends one message that expects a reply (a call, a call with bytes as a binary message, or a stream's request). */
  const request = async (message: (id: number) => object | Uint8Array, onFrame?: (frame: Uint8Array) => void): Promise<IpcReply<unknown>> => {
    if (closed) return unavailable('The studio connection is closed.');
    if (!(await whenOpen())) {
      if (noSession !== undefined) return unavailable(noSession);
      return unavailable('Cannot connect to the studio: is `clnrm studio` still running, and was the page opened with the URL it printed?');
    }
    const id = nextId++;
    return new Promise<IpcReply<unknown>>((resolve) => {
      pending.set(id, resolve);
      if (onFrame) streams.set(id, onFrame);
      try {
        const m = message(id);
        socket!.send(m instanceof Uint8Array ? m : JSON.stringify(m));
      } catch (error) {
        pending.delete(id);
        streams.delete(id);
        resolve(unavailable(`Could not send to the studio: ${(error as Error).message}`));
      }
    });
  };

  return {
    invoke: (name: CallName, req: unknown) => request((id) => (hasBytes(req) ? encodeBytesCall(id, name, req) : { id, call: name, request: req })),
    stream: (req: TraceStreamRequest, onFrame: (frame: Uint8Array) => void) => request((id) => ({ id, stream: 'trace', request: req }), onFrame),
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

async function exchange(code: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(SESSION_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }), credentials: 'omit' });
  } catch (error) {
    throw new Error(`Cannot reach the studio to open a session: ${(error as Error).message}. Is \`clnrm studio\` still running?`);
  }
  const body = (await response.json().catch(() => ({}))) as { session?: unknown; error?: unknown };
  if (!response.ok || typeof body.session !== 'string') {
    throw new Error(typeof body.error === 'string' ? `The studio refused this link: ${body.error}.` : `The studio refused this link (HTTP ${response.status}).`);
  }
  return body.session;
}

/**
 * This tab's session key: from `?code=` (taken out of the address bar first, then spent once at
 * the studio) or from this tab's storage (a reload). Undefined when the page has neither.
 */
export function takeSession(): (() => Promise<string>) | undefined {
  const params = new URLSearchParams(window.location.search);
  const code = params.get(LAUNCH_CODE_PARAM);
  if (code) {
    params.delete(LAUNCH_CODE_PARAM);
    const rest = params.toString();
    window.history.replaceState(null, '', window.location.pathname + (rest ? `?${rest}` : '') + window.location.hash);
    const key = exchange(code).then((session) => {
      window.sessionStorage.setItem(SESSION_KEY, session);
      return session;
    });
    // A failed exchange is reported by the calls that wait for it.
    key.catch(() => undefined);
    return () => key;
  }
  const stored = window.sessionStorage.getItem(SESSION_KEY);
  return stored ? () => Promise.resolve(stored) : undefined;
}

/**
 * Installs `window.api` for browser mode (the page was served by `clnrm studio`). Does nothing when
 * an API is already installed (Electron's preload) or there is no session (the page will show its
 * "not connected" state).
 */
export function installBrowserApi(): StudioApi | undefined {
  if (window.api) return window.api;
  const session = takeSession();
  if (!session) return undefined;
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const transport = createWebSocketTransport(`${scheme}://${window.location.host}/ws`, session);
  // getTrace answers can hold a million spans: validating each one in the page would freeze it.
  const api: StudioApi & TraceStreamApi = Object.assign(createStudioClient(transport, { validateResponse: (name) => name !== 'getTrace' }), { streamTrace: streamOver(transport) });
  window.api = api;
  return api;
}

/** `streamTrace` over the socket: the request and the final answer are checked like a call's. */
export function streamOver(transport: WebSocketTransport): TraceStreamApi['streamTrace'] {
  return async (request, onFrame) => {
    const checked = TraceStreamRequestSchema.safeParse(request);
    if (!checked.success) throw fromIpcError({ code: 'ipc.invalid', message: `trace stream request is invalid: ${checked.error.issues[0]?.message}` });
    const reply = await transport.stream(checked.data, onFrame);
    if (!reply.ok) throw fromIpcError(reply.error);
    const done = TraceStreamDoneSchema.safeParse(reply.value);
    if (!done.success) throw fromIpcError({ code: 'ipc.invalid', message: `trace stream answer is invalid: ${done.error.issues[0]?.message}` });
    return done.data satisfies TraceStreamDone;
  };
}
