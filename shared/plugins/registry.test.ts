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

  const execution = { runId: 'r1', testName: 't', file: 'f.clnrm.toml', executionId: 'e1', scenario: 's', iteration: 1 };

  it('calls hooks in order and disposes in reverse; a failing dispose is reported and the rest still dispose', async () => {
    const log: string[] = [];
    const failures: string[] = [];
    const r = new PluginRegistry();
    r.register(plugin('b', ['a'], log));
    r.register(plugin('a', [], log));
    const failing = plugin('c', ['b'], log);
    r.register({ ...failing, dispose: () => { log.push('dispose:c'); throw new Error('boom'); } });
    await r.init(() => ({ config: {}, log: () => {} }), (p) => failures.push(`${p.code}: ${p.message}`));
    const test = { runId: 'r1', testName: 't', file: 'f.clnrm.toml' };
    await r.call('onTestStart', test);
    r.span({ name: 's' } as never, execution);
    await r.call('onTestEnd', { ...test, passed: true, verdict: 'passed', durationMs: 1 });
    await r.dispose();
    expect(failures).toEqual(['plugin.failed: Plugin "c" failed in dispose: boom']);
    expect(log).toEqual([
      'init:a', 'init:b', 'init:c',
      'start:a:t', 'start:b:t', 'start:c:t',
      'span:a:s', 'span:b:s', 'span:c:s',
      'end:a:true', 'end:b:true', 'end:c:true',
      'dispose:c', 'dispose:b', 'dispose:a',
    ]);
  });

  it('reports a throwing hook with the plugin name and goes on with the next plugin and the next hook', async () => {
    const log: string[] = [];
    const failures: string[] = [];
    const r = new PluginRegistry();
    r.register({ name: 'x', kind: 'custom', onTestStart: async () => { throw new Error('nope'); }, onSpan: () => { throw new Error('bad span'); } });
    r.register(plugin('y', [], log));
    await r.init(() => ({ config: {}, log: () => {} }), (p) => failures.push(p.message));
    await r.call('onTestStart', { runId: 'r', testName: 't', file: 'f' });
    r.span({ name: 'a' } as never, execution);
    await r.call('onTestEnd', { runId: 'r', testName: 't', file: 'f', passed: true, verdict: 'passed', durationMs: 1 });
    expect(failures).toEqual(['Plugin "x" failed in onTestStart: nope', 'Plugin "x" failed in onSpan: bad span']);
    expect(log).toEqual(['init:y', 'start:y:t', 'span:y:a', 'end:y:true']);
  });

  it('leaves a plugin whose init throws out of every later hook, but still disposes it', async () => {
    const log: string[] = [];
    const failures: string[] = [];
    const r = new PluginRegistry();
    r.register({ ...plugin('x', [], log), init: () => { throw new Error('no config'); } });
    r.register(plugin('y', [], log));
    await r.init(() => ({ config: {}, log: () => {} }), (p) => failures.push(p.message));
    await r.call('onTestStart', { runId: 'r', testName: 't', file: 'f' });
    await r.dispose();
    expect(failures).toEqual(['Plugin "x" failed in init: no config']);
    expect(log).toEqual(['init:y', 'start:y:t', 'dispose:y', 'dispose:x']);
  });
});
