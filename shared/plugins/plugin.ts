// The plugin contract every v2 layer (chaos, intelligence, performance, self-healing) and every
// external plugin implements. Hooks are optional; the runner calls them in registry order.
import type { Span } from '../model/span';

export type PluginKind = 'chaos' | 'intelligence' | 'performance' | 'self-healing' | 'reporter' | 'service' | 'custom';

export interface PluginContext {
  /** Plugin settings from the test file's `[plugins.<name>]` table (already validated by the plugin). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Writes a line to the run's log, tagged with the plugin name. */
  log(message: string): void;
}

export interface TestInfo {
  readonly runId: string;
  readonly testName: string;
  readonly file: string;
  readonly scenario?: string;
  readonly iteration?: number;
}

export interface TestOutcome extends TestInfo {
  readonly passed: boolean;
  readonly durationMs: number;
}

export interface Plugin {
  readonly name: string;
  readonly kind: PluginKind;
  /** Names of plugins that must be initialised before this one (and torn down after it). */
  readonly dependsOn?: readonly string[];
  init?(ctx: PluginContext): void | Promise<void>;
  onTestStart?(test: TestInfo): void | Promise<void>;
  onSpan?(span: Span, test: TestInfo): void;
  onTestEnd?(outcome: TestOutcome): void | Promise<void>;
  dispose?(): void | Promise<void>;
}
