import { describe, expect, it } from 'vitest';
import { compareWithDeclared, observedOnly } from './compare';

const edge = (from: string, to: string, calls = 3) => ({ from, to, calls, errors: 0, p50Ms: 1, p99Ms: 2 });

describe('compareWithDeclared', () => {
  it('marks services and calls as seen in both, declared only, or observed only', () => {
    const g = compareWithDeclared(['api', 'db', 'mailer'], [edge('api', 'db'), edge('api', 'mailer')], {
      services: [{ name: 'api' }, { name: 'db' }, { name: 'cache' }],
      edges: [
        { from: 'api', to: 'db' },
        { from: 'api', to: 'cache' },
      ],
    });
    expect(g.services).toEqual([
      { name: 'api', presence: 'both' },
      { name: 'cache', presence: 'declared' },
      { name: 'db', presence: 'both' },
      { name: 'mailer', presence: 'observed' },
    ]);
    expect(g.edges.map((e) => [e.from, e.to, e.presence, e.calls])).toEqual([
      ['api', 'db', 'both', 3],
      ['api', 'mailer', 'observed', 3],
      ['api', 'cache', 'declared', 0],
    ]);
    expect(g.differences).toMatchObject({ silentServices: ['cache'], undeclaredServices: ['mailer'] });
    expect(g.differences!.missingCalls.map((e) => `${e.from}->${e.to}`)).toEqual(['api->cache']);
    expect(g.differences!.undeclaredCalls.map((e) => `${e.from}->${e.to}`)).toEqual(['api->mailer']);
  });

  it('counts a service seen only at the end of a call as observed', () => {
    const g = compareWithDeclared([], [edge('a', 'b')], { services: [{ name: 'a' }], edges: [] });
    expect(g.services).toEqual([
      { name: 'a', presence: 'both' },
      { name: 'b', presence: 'observed' },
    ]);
  });

  it('without a test file there is nothing to compare', () => {
    const g = observedOnly(['a', 'b'], [edge('a', 'b')]);
    expect(g.differences).toBeUndefined();
    expect(g.services.every((s) => s.presence === 'observed')).toBe(true);
  });
});
