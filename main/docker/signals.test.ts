import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installSignalCleanup } from './signals';

function fakeProcess() {
  const emitter = new EventEmitter();
  return emitter as unknown as Pick<NodeJS.Process, 'on' | 'off'> & EventEmitter;
}

describe('installSignalCleanup', () => {
  it('cleans up once, then exits with 128 + the signal number', async () => {
    const target = fakeProcess();
    let cleanups = 0;
    const exits: number[] = [];
    let exited!: () => void;
    const done = new Promise<void>((r) => (exited = r));
    installSignalCleanup(async () => void cleanups++, { target, exit: (c) => (exits.push(c), exited()) });
    target.emit('SIGINT', 'SIGINT');
    await done;
    expect(cleanups).toBe(1);
    expect(exits).toEqual([130]);
  });

  it('a second signal during cleanup exits at once; a hung cleanup is bounded', async () => {
    const target = fakeProcess();
    const exits: number[] = [];
    let exited!: () => void;
    const bounded = new Promise<void>((r) => (exited = r));
    installSignalCleanup(() => new Promise<void>(() => undefined), { target, timeoutMs: 100, exit: (c) => (exits.push(c), exits.length === 2 && exited()) });
    target.emit('SIGTERM', 'SIGTERM');
    target.emit('SIGTERM', 'SIGTERM');
    expect(exits).toEqual([143]);
    await bounded;
    expect(exits).toEqual([143, 143]);
  });

  it('uninstalls its handlers', () => {
    const target = fakeProcess();
    const off = installSignalCleanup(async () => undefined, { target, exit: () => undefined });
    expect(target.listenerCount('SIGINT')).toBe(1);
    off();
    expect(target.listenerCount('SIGINT')).toBe(0);
  });
});
