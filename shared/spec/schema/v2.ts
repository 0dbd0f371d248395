// The clnrm v2 layers (docs/architecture/*.md in clnrm): validated now so a file can declare them
// before their plugins run. Shapes follow the design documents; open-ended parts (a fault's own
// parameters, a plugin's config) are tables of the user's own keys.
import { z } from 'zod';
import { distributedTracingSchema, temporalSchema } from './expect';
import { FAILURE_CLASSES, isFailureClass } from '../../healing/classes';
import { INDICATOR_TYPES, STATS_METRICS } from '../../healing/patterns';
import { compileClnrmRegex } from '../regex';
import { didYouMean } from '../suggest';
import { experimentSchema } from './chaos-experiment';
import { chaosPatternsSchema } from './chaos-patterns';
import { anyMap, bool, int, nonNegInt, num, oneOf, positiveInt, shape, str, strArray } from './common';
import { intelligenceSchema } from './intelligence';

/** `[intelligence]` has its own file (it is the largest layer section). */
export { intelligenceSchema };

/** The longest container-stats interval: at least one sample a minute. */
export const MAX_SAMPLE_INTERVAL_MS = 60_000;
/** The engine reads a container's counters once a second: asked intervals below it are raised to it. */
export const ENGINE_STATS_TICK_MS = 1000;

const edge = z.tuple([z.string().min(1), z.string().min(1)], shape('an edge like ["db", "api"] (from, to)'));

export const dependencyGraphSchema = z.object(
  {
    nodes: strArray('an array of service names like ["db", "api"]').optional(),
    edges: z.array(edge, shape('an array of edges like [["db", "api"]]')).optional(),
    startup_strategy: str('a strategy like "parallel_levels"').optional(),
    shutdown_strategy: str('a strategy like "graceful_cascade"').optional(),
  },
  shape('a table like { nodes = ["db", "api"], edges = [["db", "api"]] }'),
);

export const orchestrationSchema = z.object(
  {
    mode: str('a mode like "multi-dimensional"').optional(),
    topology: str('a topology like "mesh", "hierarchical" or "pipeline"').optional(),
    services: strArray('an array of service names').optional(),
    startup_strategy: str('a strategy like "parallel_levels"').optional(),
    shutdown_strategy: str('a strategy like "graceful_cascade"').optional(),
    dependency_graph: dependencyGraphSchema.optional(),
    temporal: temporalSchema.optional(),
    distributed_tracing: distributedTracingSchema.optional(),
  },
  shape('a table [orchestration]'),
);

/** One fault's parameters, e.g. `[chaos.network_latency] target_service = "api"`. */
export const faultConfigSchema = z.object(
  {
    name: str().optional(),
    fault: str('a fault name like "container_kill"').optional(),
    target: str('a service name').optional(),
    target_service: str('a service name').optional(),
    timing: str('a timing like "after_steady_state_30s"').optional(),
    latency_ms: nonNegInt().optional(),
    jitter_ms: nonNegInt().optional(),
    duration_seconds: nonNegInt().optional(),
    duration_ms: nonNegInt().optional(),
    max_failure_rate: num().min(0).max(1).optional(),
    probability: num().min(0).max(1).optional(),
  },
  shape('a table of fault parameters like { target_service = "api", latency_ms = 100 }'),
);

/** A `[chaos.catalog]` fault parameter: a range table like { min = 1, max = 50 }, or a string (a|b = a choice). */
const catalogParameterSchema = z.union(
  [
    z.string(),
    z.object(
      {
        type: str('"number", "int", "string", "enum" or "bool"').optional(),
        min: num().optional(),
        max: num().optional(),
        default: z.union([z.string(), z.number(), z.boolean()], shape('a string, number or boolean')).optional(),
        values: strArray().optional(),
        unit: str('a unit like "ms"').optional(),
        description: str().optional(),
      },
      shape('a table like { min = 1, max = 50 }'),
    ),
  ],
  shape('a range like { min = 1, max = 50 }, a table like { type = "enum", values = ["a", "b"] } or a string'),
);

/** `[chaos.catalog]`: the user's own faults, or narrower ranges for built-in ones (shared/chaos/user-catalog.ts). */
export const chaosCatalogSchema = z.object(
  {
    fault: z
      .array(
        z.object(
          {
            id: str('a fault id like "packet_loss"').min(1),
            type: str('a family like "network"').optional(),
            description: str().optional(),
            parameters: z.record(z.string(), catalogParameterSchema, shape('a table of parameters')).optional(),
          },
          shape('a table [[chaos.catalog.fault]]'),
        ),
        shape('an array of tables [[chaos.catalog.fault]]'),
      )
      .optional(),
  },
  shape('a table [chaos.catalog]'),
);

export const chaosSchema = z
  .object(
    {
      enabled: bool().optional(),
      catalog: chaosCatalogSchema.optional(),
      experiment: z.union([z.string(), experimentSchema], shape('an experiment name or a table [chaos.experiment]')).optional(),
      patterns: chaosPatternsSchema.optional(),
      safety_mode: bool().optional(),
      fault: str('a fault name like "container_kill"').optional(),
      target: str('a service name').optional(),
      timing: str('a timing like "after_steady_state_30s"').optional(),
      seed: nonNegInt().optional(),
    },
    shape('a table [chaos]'),
  )
  // Further keys name faults: `[chaos.network_latency]`, `[chaos.container_kill]` …
  .catchall(faultConfigSchema);

const SAMPLE_INTERVAL_TEXT = `an integer interval in milliseconds from 1 to ${MAX_SAMPLE_INTERVAL_MS}, like 1000`;
const sampleInterval = int(SAMPLE_INTERVAL_TEXT).min(1, shape(SAMPLE_INTERVAL_TEXT)).max(MAX_SAMPLE_INTERVAL_MS, shape(SAMPLE_INTERVAL_TEXT));

const METRIC_VALUE_TEXT = 'a number, true/false, a string or an array like [50, 95, 99]';
const metricValue = z.union([z.number(), z.boolean(), z.string(), z.array(z.union([z.number(), z.string()]))], shape(METRIC_VALUE_TEXT));

/** The seed's `[performance.metrics.resources]`: the container resources sampled while the steps run, and how often. */
export const RESOURCE_TOGGLES = ['cpu', 'memory', 'network', 'disk'] as const;
const resourcesSchema = z.object(
  { sample_interval_ms: sampleInterval.optional(), cpu: bool().optional(), memory: bool().optional(), network: bool().optional(), disk: bool().optional() },
  shape('a table [performance.metrics.resources] like { sample_interval_ms = 1000 }'),
);

/**
 * The seed's `[performance.metrics]`: `resources` sets the sampling; its other keys (percentiles, histograms,
 * throughput windows …) describe figures every run's metrics already carry. Numbers stay valid, as before.
 */
const metricsSchema = z
  .object({ resources: resourcesSchema.optional() }, shape('a table [performance.metrics]'))
  .catchall(z.union([metricValue, z.record(z.string(), metricValue, shape(`a table whose values are each ${METRIC_VALUE_TEXT}`))], shape(`${METRIC_VALUE_TEXT}, or a table of those`)));

/** The interval container stats are sampled at: `sample_stats_ms`, else the seed's `metrics.resources.sample_interval_ms`. */
export function statsIntervalMs(performance: { sample_stats_ms?: number; metrics?: { resources?: { sample_interval_ms?: number } } } | undefined): number | undefined {
  return performance?.sample_stats_ms ?? performance?.metrics?.resources?.sample_interval_ms;
}

export const performanceSchema = z.object(
  {
    baseline_name: str().optional(),
    baseline_db: str().optional(),
    regression_detection: bool().optional(),
    track_all_spans: bool().optional(),
    metrics: metricsSchema.optional(),
    regression: z
      .object(
        {
          /** Percent limits per metric (`*_max_percent`) and `fail_on_regression`: shared/perf/regression-thresholds.ts. */
          thresholds: z
            .record(z.string(), z.union([z.number(), z.boolean()]), shape('a table like { p95_latency_increase_max_percent = 15 }'))
            .superRefine((table, ctx) => {
              for (const [key, value] of Object.entries(table)) {
                if (key.endsWith('_max_percent') && !(typeof value === 'number' && value >= 0)) ctx.addIssue({ code: 'custom', path: [key], message: `must be a percent ≥ 0 like 15, got ${JSON.stringify(value)}` });
                if (key === 'fail_on_regression' && typeof value !== 'boolean') ctx.addIssue({ code: 'custom', path: [key], message: 'must be true or false' });
              }
            })
            .optional(),
        },
        shape('a table [performance.regression]'),
      )
      .optional(),
    sample_stats_ms: sampleInterval.optional(),
    /** Baselines (main/perf/baselines.ts): `auto` saves one from each passing run of the test. */
    baseline: z
      .object(
        {
          capture: z
            .object(
              {
                mode: oneOf(['auto', 'manual'], 'how baselines are captured').optional(),
                auto_capture_on_success: bool().optional(),
                /** Only from runs whose `[determinism] iterations` gave identical traces. */
                require_determinism: bool().optional(),
              },
              shape('a table [performance.baseline.capture] like { mode = "auto" }'),
            )
            .optional(),
        },
        shape('a table [performance.baseline]'),
      )
      .optional(),
  },
  shape('a table [performance]'),
).superRefine((perf, ctx) => {
  const seed = perf.metrics?.resources?.sample_interval_ms;
  if (perf.sample_stats_ms !== undefined && seed !== undefined && seed !== perf.sample_stats_ms) {
    ctx.addIssue({ code: 'custom', path: ['metrics', 'resources', 'sample_interval_ms'], message: `disagrees with sample_stats_ms = ${perf.sample_stats_ms}: both set the container stats interval; keep one` });
  }
});

// --- self-healing: the seed's `[self_healing]` with `.patterns`, `.retry` (docs/architecture in clnrm)
const failureClass = (what: string) =>
  z.string(shape(`${what} like "transient_network_error"`)).refine((v) => isFailureClass(v), {
    error: (issue) => `must be a failure class (${FAILURE_CLASSES.join(', ')})${typeof issue.input === 'string' ? didYouMean(issue.input, FAILURE_CLASSES) : ''}`,
  });
const scalar = z.union([z.string(), z.number(), z.boolean()], shape('a string, number or boolean'));
const regex = str('a regular expression like "connection_.*"').superRefine((v, ctx) => {
  const compiled = compileClnrmRegex(v);
  if (!compiled.ok) ctx.addIssue({ code: 'custom', message: `is not a regular expression: ${compiled.message}` });
});

/** What each indicator type needs besides `type`. */
const INDICATOR_NEEDS: Record<(typeof INDICATOR_TYPES)[number], string[][]> = {
  span_status: [['value']],
  span_name: [['value']],
  span_attr: [['key'], ['value', 'value_regex', 'exists']],
  container_stats: [['metric'], ['threshold']],
  container_exit_code: [['value', 'value_not']],
  historical_failure_rate: [['min', 'max']],
  hash_mismatch: [],
  failure_not_reproducible: [['value']],
};

export const indicatorSchema = z
  .object(
    {
      type: oneOf(INDICATOR_TYPES, 'an indicator type'),
      key: str('an attribute key like "error.type"').optional(),
      value: scalar.optional(),
      value_not: scalar.optional(),
      value_regex: regex.optional(),
      exists: bool().optional(),
      metric: oneOf(STATS_METRICS, 'a container stat').optional(),
      threshold: num().optional(),
      min: num().min(0, 'must be a rate from 0 to 1').max(1, 'must be a rate from 0 to 1').optional(),
      max: num().min(0, 'must be a rate from 0 to 1').max(1, 'must be a rate from 0 to 1').optional(),
      iterations_threshold: nonNegInt().optional(),
    },
    shape('an indicator like { type = "span_status", value = "ERROR" }'),
  )
  .superRefine((ind, ctx) => {
    const needs = INDICATOR_NEEDS[ind.type.toLowerCase() as (typeof INDICATOR_TYPES)[number]] ?? [];
    for (const anyOf of needs) {
      if (anyOf.some((k) => ind[k as keyof typeof ind] !== undefined)) continue;
      ctx.addIssue({ code: 'custom', path: [anyOf[0]!], message: `is required for a ${ind.type} indicator (give ${anyOf.join(' or ')})` });
    }
  });

export const classifierPatternSchema = z.object(
  {
    pattern: failureClass('a failure class'),
    indicators: z.array(indicatorSchema, shape('an array of indicators like [{ type = "span_status", value = "ERROR" }]')).min(1, 'must list at least one indicator'),
    confidence: num().min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').optional(),
    remediation: str('a remediation like "retry_with_backoff"').optional(),
    max_retries: nonNegInt().optional(),
    resource_multiplier: num().optional(),
    pull_fresh_image: bool().optional(),
    retry_before_quarantine: nonNegInt().optional(),
    strategies: strArray().optional(),
  },
  shape('a table [[self_healing.patterns.classifier]] with pattern and indicators'),
);

export const retryStrategySchema = z.object(
  {
    type: oneOf(['exponential_backoff', 'adaptive'], 'a strategy type'),
    base_delay_ms: nonNegInt().optional(),
    min_delay_ms: nonNegInt().optional(),
    max_delay_ms: nonNegInt().optional(),
    multiplier: num().min(1, 'must be at least 1').optional(),
    jitter: num().min(0, 'must be a share from 0 to 1').max(1, 'must be a share from 0 to 1').optional(),
    learning_rate: num().optional(),
  },
  shape('a table [[self_healing.retry.strategy]] like { type = "exponential_backoff", base_delay_ms = 100 }'),
);

export const selfHealingRetrySchema = z.object(
  {
    enabled: bool().optional(),
    max_total_retries: nonNegInt().optional(),
    learn_from_history: bool().optional(),
    strategy: z.array(retryStrategySchema, shape('an array of tables [[self_healing.retry.strategy]]')).optional(),
    conditions: z
      .object(
        {
          retry_on_patterns: z.array(failureClass('a failure class'), shape('an array of failure classes like ["transient_network_error"]')).optional(),
          never_retry_patterns: z.array(failureClass('a failure class'), shape('an array of failure classes like ["configuration_error"]')).optional(),
        },
        shape('a table [self_healing.retry.conditions]'),
      )
      .optional(),
    circuit_breaker: z
      .object(
        { enabled: bool().optional(), failure_threshold: positiveInt().optional(), timeout_s: nonNegInt().optional(), half_open_attempts: positiveInt().optional() },
        shape('a table [self_healing.retry.circuit_breaker]'),
      )
      .optional(),
  },
  shape('a table [self_healing.retry]'),
);

export const selfHealingSchema = z.object(
  {
    enabled: bool().optional(),
    mode: oneOf(['autonomous', 'supervised', 'disabled'], 'a mode').optional(),
    auto_retry: bool().optional(),
    max_retries: nonNegInt().optional(),
    learn_from_failures: bool().optional(),
    auto_tune_resources: bool().optional(),
    patterns: z
      .object({ classifier: z.array(classifierPatternSchema, shape('an array of tables [[self_healing.patterns.classifier]]')).optional() }, shape('a table [self_healing.patterns]'))
      .optional(),
    retry: selfHealingRetrySchema.optional(),
    /** Ours, not the seed's: consecutive passes that release a quarantined test (default 3). */
    quarantine_release_after: positiveInt().optional(),
    resources: anyMap().optional(),
    test_repair: anyMap().optional(),
    learning: anyMap().optional(),
  },
  shape('a table [self_healing]'),
);

export const pluginRegistrationSchema = z.object(
  {
    id: str('a plugin id like "chaos_injector"').min(1),
    type: str('a layer like "chaos"').optional(),
    /** A JS module path (ours) — `library` is clnrm's name for the same thing. */
    module: str('a module path like "./plugins/my-plugin.js"').optional(),
    library: str().optional(),
    config: anyMap().optional(),
  },
  shape('a table like { id = "my_plugin", module = "./plugins/my-plugin.js" }'),
);

export const pluginsSchema = z.object(
  {
    enabled: bool().optional(),
    register: z.array(pluginRegistrationSchema, shape('an array of tables [[plugins.register]]')).optional(),
  },
  shape('a table [plugins]'),
);

export const LAYER_NAMES = ['orchestration', 'chaos', 'performance', 'intelligence', 'self_healing'] as const;

export const layersSchema = z.object(
  Object.fromEntries(LAYER_NAMES.map((name) => [name, bool().optional()])) as Record<
    (typeof LAYER_NAMES)[number],
    z.ZodOptional<z.ZodBoolean>
  >,
  shape('a table like { chaos = true, performance = true }'),
);

export type OrchestrationSection = z.infer<typeof orchestrationSchema>;
export type ChaosSection = z.infer<typeof chaosSchema>;
export type PerformanceSection = z.infer<typeof performanceSchema>;
export type { IntelligenceSection } from './intelligence';
export type SelfHealingSection = z.infer<typeof selfHealingSchema>;
export type PluginsSection = z.infer<typeof pluginsSchema>;
export type LayersSection = z.infer<typeof layersSchema>;
