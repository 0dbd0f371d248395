// Orders plugins by their declared dependencies (Kahn's algorithm, ties broken by registration
// order so the order is stable) and fans hooks out to them, isolating each plugin's failures. A missing dependency or a cycle is a
// Problem naming the plugins involved, raised at `resolve()` time, before any hook runs.
import { StudioError } from '../errors';
import type { Problem } from '../errors';
import type { Span } from '../model/span';
import type { ExecutionInfo, LiveHook, Plugin, PluginContext } from './plugin';

/** Told about every hook that threw (code `plugin.failed`, naming the plugin and the hook). */
export type PluginFailureHandler = (problem: Problem) => void;

export class PluginRegistry {
  private readonly plugins = new Map<string, Plugin>();
  private ordered: Plugin[] | undefined;
  private initialised: Plugin[] = [];
  private readonly disabled = new Set<string>();
  private onFailure?: PluginFailureHandler;

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

  /**
   * Initialises plugins in order. One whose init throws is reported to `onFailure` and left out of
   * every later hook (its dispose still runs); the others go on.
   */
  async init(contextFor: (plugin: Plugin) => PluginContext, onFailure: PluginFailureHandler): Promise<void> {
    this.onFailure = onFailure;
    for (const plugin of this.resolve()) {
      this.initialised.push(plugin);
      try {
        await plugin.init?.(contextFor(plugin));
      } catch (error) {
        this.disabled.add(plugin.name);
        onFailure(hookError(plugin, 'init', error).problem);
      }
    }
  }

  /**
   * Calls `hook` on every active plugin in dependency order, one after the other, awaiting each. A hook
   * that throws is reported to the handler given to `init` and does not stop the others.
   */
  async call<H extends LiveHook>(hook: H, ...args: Parameters<NonNullable<Plugin[H]>>): Promise<void> {
    for (const plugin of this.active()) {
      const fn = plugin[hook] as ((...a: unknown[]) => unknown) | undefined;
      if (!fn) continue;
      try {
        await fn.apply(plugin, args);
      } catch (error) {
        this.report(plugin, hook, error);
      }
    }
  }

  /** `onSpan` for every active plugin, synchronously (spans arrive in the receiver's batches). */
  span(span: Span, execution: ExecutionInfo): void {
    for (const plugin of this.active()) {
      if (!plugin.onSpan) continue;
      try {
        plugin.onSpan(span, execution);
      } catch (error) {
        this.report(plugin, 'onSpan', error);
      }
    }
  }

  /** Disposes initialised plugins in reverse order; every plugin is disposed, failures are reported. */
  async dispose(): Promise<void> {
    for (const plugin of [...this.initialised].reverse()) {
      try {
        await plugin.dispose?.();
      } catch (error) {
        this.report(plugin, 'dispose', error);
      }
    }
    this.initialised = [];
  }

  private active(): Plugin[] {
    return this.initialised.filter((p) => !this.disabled.has(p.name));
  }

  private report(plugin: Plugin, hook: string, error: unknown): void {
    this.onFailure?.(hookError(plugin, hook, error).problem);
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
