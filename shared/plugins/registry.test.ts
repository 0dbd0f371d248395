import { describe, expect, it } from 'vitest';
import { PluginRegistry } from './registry';
import type { Plugin } from './plugin';
import { StudioError } from '../errors';

function plugin(name: string, dependsOn: string[] = [], log: string[] = []): Plugin {
  return {
    name,
    kind: 'custom',
    dependsOn,
    init: () => void log.push(`init:${name}`),
    onTestStart: (t) => void log.push(`start:${name}:${t.testName}`),
    onSpan: (s) => void log.push(`span:${name}:${s.name}`),
    onTestEnd: (o) => void log.push(`end:${name}:${o.passed}`),
    dispose: () => void log.push(`dispose:${name}`),
  };
}

describe('PluginRegistry', () => {
  it('orders plugins after their dependencies, keeping registration order otherwise', () => {
    const r = new PluginRegistry();
    r.register(plugin('healing', ['intelligence', 'performance']));
    r.register(plugin('chaos'));
    r.register(plugin('intelligence', ['performance']));
    r.register(plugin('performance'));
    expect(r.resolve().map((p) => p.name)).toEqual(['chaos', 'performance', 'intelligence', 'healing']);
  });

  it('names the cycle', () => {
    const r = new PluginRegistry();
    r.register(plugin('a', ['b']));
    r.register(plugin('b', ['c']));
    r.register(plugin('c', ['a']));
    r.register(plugin('d'));
    try {
      r.resolve();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StudioError);
      expect((error as StudioError).code).toBe('plugin.cycle');
      expect((error as StudioError).message).toMatch(/a → b → c → a/);
    }
  });

  it('reports a missing dependency and duplicate names', () => {
    const r = new PluginRegistry();
    r.register(plugin('a', ['ghost']));
    expect(() => r.resolve()).toThrow(/depends on "ghost"/);
    expect(() => r.register(plugin('a'))).toThrow(/registered twice/);
  });

  it('calls hooks in order and disposes in reverse, even when one dispose fails', async () => {
    const log: string[] = [];
    const r = new PluginRegistry();
    r.register(plugin('b', ['a'], log));
    r.register(plugin('a', [], log));
    const failing = plugin('c', ['b'], log);
    r.register({ ...failing, dispose: () => { log.push('dispose:c'); throw new Error('boom'); } });
    await r.init(() => ({ config: {}, log: () => {} }));
    const test = { runId: 'r1', testName: 't', file: 'f.clnrm.toml' };
    await r.testStart(test);
    r.span({ name: 's' } as never, test);
    await r.testEnd({ ...test, passed: true, durationMs: 1 });
    await expect(r.dispose()).rejects.toThrow(/Plugin "c" failed in dispose: boom/);
    expect(log).toEqual([
      'init:a', 'init:b', 'init:c',
      'start:a:t', 'start:b:t', 'start:c:t',
      'span:a:s', 'span:b:s', 'span:c:s',
      'end:a:true', 'end:b:true', 'end:c:true',
      'dispose:c', 'dispose:b', 'dispose:a',
    ]);
  });

  it('wraps hook errors with the plugin name', async () => {
    const r = new PluginRegistry();
    r.register({ name: 'x', kind: 'custom', onTestStart: async () => { throw new Error('nope'); } });
    await expect(r.testStart({ runId: 'r', testName: 't', file: 'f' })).rejects.toThrow('Plugin "x" failed in onTestStart: nope');
  });
});
