// The validating helpers both ends of the contract use: the main side checks every request before
// a handler sees it (and every response before it leaves), the UI side checks what it sends and
// what comes back. Failures become `{ ok: false, error: { code, message, details } }` replies.
import type { z } from 'zod';
import { StudioError, toProblem } from '../errors';
import { calls, events } from './contract';
import type { CallArgs, CallName, CallRequest, CallResponse, EventName, EventPayload, IpcError, StudioApi, StudioHandlers } from './contract';

export type IpcReply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}

function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

function invalid(what: string, error: z.ZodError): IpcError {
  const issues = error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = issues[0];
  const where = first && first.path ? `${first.path}: ` : '';
  return {
    code: 'ipc.invalid',
    message: `${what} is invalid: ${where}${first?.message ?? 'unknown problem'}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
    details: { issues },
  };
}

export function checkRequest<N extends CallName>(name: N, payload: unknown): IpcReply<CallArgs<N>> {
  const parsed = calls[name].request.safeParse(payload);
  return parsed.success ? { ok: true, value: parsed.data as CallArgs<N> } : { ok: false, error: invalid(`${name} request`, parsed.error) };
}

export function checkResponse<N extends CallName>(name: N, payload: unknown): IpcReply<CallResponse<N>> {
  const parsed = calls[name].response.safeParse(payload);
  return parsed.success ? { ok: true, value: parsed.data as CallResponse<N> } : { ok: false, error: invalid(`${name} response`, parsed.error) };
}

export function checkEvent<E extends EventName>(name: E, payload: unknown): IpcReply<EventPayload<E>> {
  const parsed = events[name].safeParse(payload);
  return parsed.success ? { ok: true, value: parsed.data as EventPayload<E> } : { ok: false, error: invalid(`${name} event`, parsed.error) };
}

export function toIpcError(error: unknown): IpcError {
  const p = toProblem(error);
  return { code: p.code, message: p.message, ...(p.details ? { details: { ...p.details } } : {}) };
}

export function fromIpcError(error: IpcError): StudioError {
  return new StudioError({ code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
}

/** Main side: run one call from an untrusted sender. Never throws. */
export async function handleCall(handlers: StudioHandlers, name: string, payload: unknown): Promise<IpcReply<unknown>> {
  if (!isCallName(name)) {
    return { ok: false, error: { code: 'ipc.invalid', message: `unknown call "${name}"`, details: { known: Object.keys(calls) } } };
  }
  const request = checkRequest(name, payload);
  if (!request.ok) return request;
  try {
    const handler = handlers[name] as (r: unknown) => unknown;
    const value = await handler(request.value);
    const response = checkResponse(name, value);
    if (!response.ok) return { ok: false, error: { ...response.error, code: 'internal' } };
    return response;
  } catch (error) {
    return { ok: false, error: toIpcError(error) };
  }
}

export interface ClientTransport {
  invoke(name: CallName, request: unknown): Promise<IpcReply<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

export interface ClientOptions {
  /** Check responses against the contract (default: every call). A 1M-span getTrace is costly to check. */
  readonly validateResponse?: (name: CallName) => boolean;
  /** Called with events that do not match the contract (they are dropped). */
  readonly onInvalidEvent?: (error: IpcError) => void;
}

/** UI side: a typed `StudioApi` over any transport. Rejects with a StudioError carrying the code. */
export function createStudioClient(transport: ClientTransport, options: ClientOptions = {}): StudioApi {
  const api: Record<string, unknown> = {};
  for (const name of Object.keys(calls) as CallName[]) {
    api[name] = async (payload: CallRequest<typeof name>) => {
      const request = checkRequest(name, payload);
      if (!request.ok) throw fromIpcError(request.error);
      const reply = await transport.invoke(name, request.value);
      if (!reply.ok) throw fromIpcError(reply.error);
      if (options.validateResponse && !options.validateResponse(name)) return reply.value;
      const response = checkResponse(name, reply.value);
      if (!response.ok) throw fromIpcError(response.error);
      return response.value;
    };
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!isEventName(event)) throw new StudioError({ code: 'ipc.invalid', message: `unknown event "${String(event)}"` });
    return transport.subscribe(event, (payload) => {
      const checked = checkEvent(event, payload);
      if (checked.ok) listener(checked.value);
      else options.onInvalidEvent?.(checked.error);
    });
  };
  return api as unknown as StudioApi;
}
