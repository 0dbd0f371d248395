// The runner's side of the plugin contract: the run-wide plugins (the studio's v2 layers, `runTests({
// plugins })`) and the current test's own (`[[plugins.register]]`) called as one list, run-wide first.
// Failures are the registries' to report (see PluginRegistry.init's handler); a hook never throws here.
import type { Plugin, PluginRegistry } from '../../shared/plugins';
import type { ExecutionInfo, LiveHook } from '../../shared/plugins';
import type { Span } from '../../shared/model';

export class RunHooks {
  constructor(private readonly registries: readonly PluginRegistry[]) {}

  /** These hooks plus a test's own registry. */
  with(registry: PluginRegistry | undefined): RunHooks {
    return registry ? new RunHooks([...this.registries, registry]) : this;
  }

  get empty(): boolean {
    return this.registries.length === 0;
  }

  async call<H extends LiveHook>(hook: H, ...args: Parameters<NonNullable<Plugin[H]>>): Promise<void> {
    for (const registry of this.registries) await registry.call(hook, ...args);
  }

  span(span: Span, execution: ExecutionInfo): void {
    for (const registry of this.registries) registry.span(span, execution);
  }
}
