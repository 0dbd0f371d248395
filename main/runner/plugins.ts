// External plugins a test file registers: `[[plugins.register]] id, module (or clnrm's `library`), config`.
// The module (a path relative to the test file) is imported; its default export (or `plugin`) is a
// Plugin, or a function `(config) => Plugin | Promise<Plugin>`. Plugins are initialised per test, get
// the live hooks of that test's executions, and are disposed when the test ends. A module that cannot be
// loaded makes the test an error; a hook that throws is reported and changes nothing else. A test file is trusted code here,
// like a Makefile: its plugins run in the runner's process.
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StudioError } from '../../shared/errors';
import { PluginRegistry, type Plugin, type PluginFailureHandler } from '../../shared/plugins';
import type { TestFile } from '../../shared/spec';

export interface LoadedPlugins {
  readonly registry?: PluginRegistry;
  /** Registrations that name no module (clnrm built-ins we do not have): said, not silently dropped. */
  readonly warnings: string[];
}

function isPlugin(value: unknown): value is Plugin {
  return typeof value === 'object' && value !== null && typeof (value as Plugin).name === 'string' && typeof (value as Plugin).kind === 'string';
}

export interface PluginReporting {
  readonly log: (plugin: string, message: string) => void;
  readonly onFailure: PluginFailureHandler;
}

/** Imports and initialises the test file's plugins; throws `plugin.failed` naming the plugin and why it did not load. */
export async function loadTestPlugins(test: TestFile, file: string, cwd: string, reporting: PluginReporting): Promise<LoadedPlugins> {
  const section = test.plugins;
  if (!section || section.enabled === false || !section.register?.length) return { warnings: [] };
  const registry = new PluginRegistry();
  const warnings: string[] = [];
  const configs = new Map<string, Readonly<Record<string, unknown>>>();
  const base = isAbsolute(file) ? dirname(file) : cwd;
  for (const [i, entry] of section.register.entries()) {
    const modulePath = entry.module ?? entry.library;
    if (!modulePath) {
      warnings.push(`plugins.register[${i}] "${entry.id}" names no module; no built-in plugin of that id exists here, so it is not loaded`);
      continue;
    }
    const fail = (why: string): never => {
      throw new StudioError({ code: 'plugin.failed', message: `plugin "${entry.id}" (${modulePath}): ${why}`, file, path: `plugins.register[${i}]` });
    };
    let exported: unknown;
    try {
      const mod = (await import(pathToFileURL(resolve(base, modulePath)).href)) as { default?: unknown; plugin?: unknown };
      exported = mod.default ?? mod.plugin;
    } catch (error) {
      fail(`cannot import the module: ${(error as Error).message}`);
    }
    let plugin: unknown = exported;
    if (typeof exported === 'function') {
      try {
        plugin = await (exported as (config: Record<string, unknown>) => unknown)(entry.config ?? {});
      } catch (error) {
        fail(`its factory threw: ${(error as Error).message}`);
      }
    }
    if (!isPlugin(plugin)) fail('the module must export (default or `plugin`) an object with name and kind, or a function returning one');
    const found = plugin as Plugin;
    configs.set(found.name, entry.config ?? {});
    registry.register(found);
  }
  if (registry.size === 0) return { warnings };
  await registry.init((plugin) => ({ config: configs.get(plugin.name) ?? {}, log: (message) => reporting.log(plugin.name, message) }), reporting.onFailure);
  return { registry, warnings };
}
