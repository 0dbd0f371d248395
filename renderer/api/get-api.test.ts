import { describe, expect, it } from 'vitest';
import type { CallName, EventName, StudioApi } from '../../shared/ipc/contract';
import type { IpcReply } from '../../shared/ipc/validate';
import { StudioError, toProblem } from '../../shared/errors';
import { getApi, onDesktopMenu, type StudioIpcBridge } from './get-api';

/** A stand-in for the preload's bridge: records calls, answers with the envelopes it is given. */
function fakeBridge(reply: (name: CallName, request: unknown) => IpcReply<unknown>) {
  const calls: Array<[CallName, unknown]> = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  let menu: ((command: string, argument: unknown) => void) | undefined;
  const bridge: StudioIpcBridge = {
    invoke: async (name, request) => {
      calls.push([name, request]);
      return reply(name, request);
    },
    on: (event: EventName, listener) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
    onMenu: (listener) => {
      menu = listener;
      return () => (menu = undefined);
    },
  };
  return { bridge, calls, listeners, menu: (c: string, a: unknown) => menu?.(c, a), hasMenu: () => menu !== undefined };
}

describe('getApi', () => {
  it('prefers the preload bridge and keeps error codes that window.api would lose', async () => {
    const { bridge, calls } = fakeBridge(() => ({ ok: false, error: { code: 'trace.invalid', message: 'no such trace' } }));
    const messageOnly = { getTrace: () => Promise.reject(new Error('no such trace')) } as unknown as StudioApi;
    const api = getApi({ api: messageOnly, studioIpc: bridge });
    expect(api).not.toBeInstanceOf(Error);
    const failure = await (api as StudioApi).getTrace({ traceId: '0'.repeat(31) + '1' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StudioError);
    expect((failure as StudioError).code).toBe('trace.invalid');
    expect(calls).toEqual([['getTrace', { traceId: '0'.repeat(31) + '1' }]]);
  });

  it('validates replies and events coming over the bridge', async () => {
    const { bridge, listeners } = fakeBridge(() => ({ ok: true, value: { empty: 'no' } }));
    const api = getApi({ studioIpc: bridge }) as StudioApi;
    await expect(api.storeStatus({})).rejects.toMatchObject({ code: 'ipc.invalid' });
    const got: number[] = [];
    const off = api.on('spansAdded', (e) => got.push(e.spanCount));
    listeners.get('spansAdded')!({ spanCount: 3, traces: [] });
    listeners.get('spansAdded')!({ spanCount: 'bad' });
    expect(got).toEqual([3]);
    off();
    expect(listeners.has('spansAdded')).toBe(false);
  });

  it('uses window.api when there is no bridge, keeping codes of errors made by another bundle', async () => {
    // What browser mode's separately bundled client rejects with: an Error carrying a problem, but not our class.
    class OtherStudioError extends Error {
      constructor(readonly problem: { code: string; message: string }) {
        super(problem.message);
      }
    }
    const api = {
      on: () => () => undefined,
      listTestFiles: () => Promise.reject(new OtherStudioError({ code: 'io.read', message: 'No such folder: /x' })),
      clearAll: () => Promise.reject(new TypeError('socket gone')),
      storeStatus: async () => ({ empty: true, traceCount: 0 }),
    } as unknown as StudioApi;
    const got = getApi({ api }) as StudioApi;
    const failure = await got.listTestFiles({ folder: '/x' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StudioError);
    expect(toProblem(failure)).toEqual({ code: 'io.read', message: 'No such folder: /x' });
    await expect(got.clearAll({})).rejects.toBeInstanceOf(TypeError);
    expect(await got.storeStatus({})).toEqual({ empty: true, traceCount: 0 });
  });

  it('says how to connect when there is neither', () => {
    const none = getApi({});
    expect(none).toBeInstanceOf(StudioError);
    expect((none as StudioError).code).toBe('ipc.unavailable');
  });
});

describe('onDesktopMenu', () => {
  it('relays menu commands from the bridge and unsubscribes', () => {
    const fake = fakeBridge(() => ({ ok: true, value: {} }));
    const got: unknown[] = [];
    const off = onDesktopMenu((command, argument) => got.push([command, argument]), { studioIpc: fake.bridge });
    fake.menu('openFolder', '/tests');
    expect(got).toEqual([['openFolder', '/tests']]);
    off();
    expect(fake.hasMenu()).toBe(false);
  });

  it('is a no-op in browser mode', () => {
    expect(() => onDesktopMenu(() => undefined, {})()).not.toThrow();
  });
});
