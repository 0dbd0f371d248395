// Orders plugins by their declared dependencies (Kahn's algorithm, ties broken by registration
// order so the order is stable) and fans hooks out to them. A missing dependency or a cycle is a
// Problem naming the plugins involved, raised at `resolve()` time, before any hook runs.
import { StudioError } from '../errors';
import type { Plugin, PluginContext, TestInfo, TestOutcome } from './plugin';
import type { Span } from '../model/span';

export class PluginRegistry {
  private readonly plugins = new Map<string, Plugin>();
  private ordered: Plugin[] | undefined;
  private initialised: Plugin[] = [];

  register(plugin: Plugin): void {
    if (!plugin.name) throw new StudioError({ code: 'plugin.failed', message: 'A plugin must have a non-empty name.' });
    if (this.plugins.has(plugin.name)) {
      throw new StudioError({ code: 'plugin.failed', message: `Plugin "${plugin.name}" is registered twice; give each plugin a unique name.` });
    }
    this.plugins.set(plugin.name, plugin);
    this.ordered = undefined;
  }

  get size(): number {
    return this.plugins.size;
  }

  /** Plugins in dependency order (dependencies first). */
  resolve(): readonly Plugin[] {
    if (this.ordered) return this.ordered;
    const names = [...this.plugins.keys()];
    const indegree = new Map<string, number>(names.map((n) => [n, 0]));
    const dependents = new Map<string, string[]>(names.map((n) => [n, []]));
    for (const plugin of this.plugins.values()) {
      for (const dep of plugin.dependsOn ?? []) {
        if (!this.plugins.has(dep)) {
          throw new StudioError({
            code: 'plugin.failed',
            message: `Plugin "${plugin.name}" depends on "${dep}", which is not registered. Add "${dep}" to [plugins] or remove the dependency.`,
            details: { plugin: plugin.name, missing: dep },
          });
        }
        indegree.set(plugin.name, indegree.get(plugin.name)! + 1);
        dependents.get(dep)!.push(plugin.name);
      }
    }
    const ready = names.filter((n) => indegree.get(n) === 0);
    const order: Plugin[] = [];
    while (ready.length > 0) {
      // Keep registration order among plugins that are ready at the same time.
      ready.sort((a, b) => names.indexOf(a) - names.indexOf(b));
      const name = ready.shift()!;
      order.push(this.plugins.get(name)!);
      for (const next of dependents.get(name)!) {
        const left = indegree.get(next)! - 1;
        indegree.set(next, left);
        if (left === 0) ready.push(next);
      }
    }
    if (order.length < names.length) {
      const stuck = names.filter((n) => indegree.get(n)! > 0);
      const cycle = findCycle(stuck, this.plugins);
      throw new StudioError({
        code: 'plugin.cycle',
        message: `Plugins depend on each other in a cycle: ${cycle.join(' → ')}. Remove one of these dependencies.`,
        details: { cycle },
      });
    }
    this.ordered = order;
    return order;
  }

  async init(contextFor: (plugin: Plugin) => PluginContext): Promise<void> {
    for (const plugin of this.resolve()) {
      await callHook(plugin, 'init', () => plugin.init?.(contextFor(plugin)));
      this.initialised.push(plugin);
    }
  }

  async testStart(test: TestInfo): Promise<void> {
    for (const plugin of this.resolve()) await callHook(plugin, 'onTestStart', () => plugin.onTestStart?.(test));
  }

  span(span: Span, test: TestInfo): void {
    for (const plugin of this.resolve()) {
      if (!plugin.onSpan) continue;
      try {
        plugin.onSpan(span, test);
      } catch (error) {
        throw hookError(plugin, 'onSpan', error);
      }
    }
  }

  async testEnd(outcome: TestOutcome): Promise<void> {
    for (const plugin of this.resolve()) await callHook(plugin, 'onTestEnd', () => plugin.onTestEnd?.(outcome));
  }

  /** Disposes initialised plugins in reverse order; every plugin is disposed even if one fails. */
  async dispose(): Promise<void> {
    const errors: unknown[] = [];
    for (const plugin of [...this.initialised].reverse()) {
      try {
        await plugin.dispose?.();
      } catch (error) {
        errors.push(hookError(plugin, 'dispose', error));
      }
    }
    this.initialised = [];
    if (errors.length > 0) throw errors[0];
  }
}

async function callHook(plugin: Plugin, hook: string, call: () => void | Promise<void> | undefined): Promise<void> {
  try {
    await call();
  } catch (error) {
    throw hookError(plugin, hook, error);
  }
}

function hookError(plugin: Plugin, hook: string, error: unknown): StudioError {
  const reason = error instanceof Error ? error.message : String(error);
  return new StudioError({
    code: 'plugin.failed',
    message: `Plugin "${plugin.name}" failed in ${hook}: ${reason}`,
    details: { plugin: plugin.name, hook },
  });
}

/** One concrete cycle among plugins that could not be ordered (iterative walk along dependencies). */
function findCycle(stuck: string[], plugins: Map<string, Plugin>): string[] {
  const stuckSet = new Set(stuck);
  let current = stuck[0]!;
  const seen = new Map<string, number>();
  const path: string[] = [];
  while (!seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    const next = (plugins.get(current)!.dependsOn ?? []).find((d) => stuckSet.has(d));
    if (next === undefined) break;
    current = next;
  }
  const start = seen.get(current) ?? 0;
  return [...path.slice(start), current];
}
