import { describe, expect, it } from 'vitest';
import { planStartOrder, type PlanResult } from './dag';

function levels(result: PlanResult): string[][] {
  if (!result.ok) throw new Error(result.problem.message);
  return result.plan.levels.map((l) => [...l]);
}

describe('planStartOrder', () => {
  it('puts independent services in one level, in declaration order', () => {
    expect(levels(planStartOrder([{ id: 'b' }, { id: 'a' }, { id: 'c' }]))).toEqual([['b', 'a', 'c']]);
  });

  it('orders the demo system: db/cache first, then worker, then api', () => {
    const result = planStartOrder([
      { id: 'api', dependsOn: ['cache', 'db', 'worker'] },
      { id: 'worker', dependsOn: ['db'] },
      { id: 'cache' },
      { id: 'db' },
    ]);
    expect(levels(result)).toEqual([['cache', 'db'], ['worker'], ['api']]);
    if (!result.ok) return;
    expect(result.plan.stopLevels.map((l) => [...l])).toEqual([['api'], ['worker'], ['cache', 'db']]);
    expect(result.plan.dependencies.get('api')).toEqual(['cache', 'db', 'worker']);
  });

  it('places a service after its deepest dependency (diamond)', () => {
    const result = planStartOrder([
      { id: 'top', dependsOn: ['left', 'right'] },
      { id: 'left', dependsOn: ['base'] },
      { id: 'right', dependsOn: ['mid'] },
      { id: 'mid', dependsOn: ['base'] },
      { id: 'base' },
    ]);
    expect(levels(result)).toEqual([['base'], ['left', 'mid'], ['right'], ['top']]);
  });

  it('deduplicates repeated edges and merges extra edges', () => {
    const result = planStartOrder([{ id: 'a', dependsOn: ['b', 'b'] }, { id: 'b' }, { id: 'c' }], [{ dependent: 'b', dependency: 'c' }]);
    expect(levels(result)).toEqual([['c'], ['b'], ['a']]);
    if (result.ok) expect(result.plan.dependencies.get('a')).toEqual(['b']);
  });

  it('names a two-service cycle', () => {
    const result = planStartOrder([{ id: 'api', dependsOn: ['db'] }, { id: 'db', dependsOn: ['api'] }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.code).toBe('spec.cycle');
    expect(result.problem.message).toContain('api → db → api');
    expect(result.problem.details?.cycle).toEqual(['api', 'db', 'api']);
  });

  it('names only the cycle, not the services hanging off it', () => {
    const result = planStartOrder([
      { id: 'front', dependsOn: ['a'] },
      { id: 'a', dependsOn: ['b'] },
      { id: 'b', dependsOn: ['c'] },
      { id: 'c', dependsOn: ['a'] },
      { id: 'free' },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.details?.cycle).toEqual(['a', 'b', 'c', 'a']);
  });

  it('reports a self-dependency as a cycle', () => {
    const result = planStartOrder([{ id: 'solo', dependsOn: ['solo'] }]);
    expect(!result.ok && result.problem.message).toContain('solo → solo');
  });

  it('reports an unknown dependency with where and a hint', () => {
    const result = planStartOrder([{ id: 'api', dependsOn: ['cache', 'dbb'] }, { id: 'cache' }, { id: 'db' }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.code).toBe('spec.reference');
    expect(result.problem.path).toBe('services.api.depends_on[1]');
    expect(result.problem.message).toContain('did you mean "db"');
  });

  it('reports duplicate ids', () => {
    const result = planStartOrder([{ id: 'a' }, { id: 'a' }]);
    expect(!result.ok && result.problem.code).toBe('spec.reference');
  });

  it('handles a 50,000-long chain without recursion', () => {
    const nodes = Array.from({ length: 50_000 }, (_, i) => ({ id: `s${i}`, dependsOn: i === 0 ? [] : [`s${i - 1}`] }));
    const result = planStartOrder(nodes);
    expect(result.ok && result.plan.levels.length).toBe(50_000);
    const cyclic = [...nodes.slice(1), { id: 's0', dependsOn: ['s49999'] }];
    const cycle = planStartOrder(cyclic);
    expect(!cycle.ok && (cycle.problem.details?.cycle as string[]).length).toBe(50_001);
  });
});
