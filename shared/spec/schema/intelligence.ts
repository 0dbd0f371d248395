// `[intelligence]`: the seed's spelling (clnrm docs/architecture/hyper_advanced_framework.md and
// SUMMARY.md) of where runs are learned from (`[intelligence.trace_analysis]`), how suggested assertions
// are synthesized (`[intelligence.assertions]`) and which test files are generated
// (`[intelligence.generation]`). What each key does: shared/intelligence/settings.ts; what is validated
// but not acted on: shared/intelligence/not-yet.ts.
import { z } from 'zod';
import { anyMap, bool, num, oneOf, positiveInt, shape, str, strArray } from './common';

export const TRACE_SOURCE_TYPES = ['file', 'store', 'jaeger', 'tempo', 'otlp'] as const;
export const GENERATION_RULE_TYPES = ['common_path_coverage', 'error_reproduction', 'performance_baseline'] as const;

const share = (what: string) => num(`${what} from 0 to 1, like 0.05`).min(0, `must be ${what} from 0 to 1`).max(1, `must be ${what} from 0 to 1`);
const MAX_COUNT = 10_000;
const count = (what: string) => positiveInt(`${what} from 1 to ${MAX_COUNT}`).max(MAX_COUNT, `must be ${what} from 1 to ${MAX_COUNT}`);

/** What each source type needs besides `type`. */
const SOURCE_NEEDS: Record<(typeof TRACE_SOURCE_TYPES)[number], string[]> = {
  file: ['path'],
  store: ['runs'],
  jaeger: ['endpoint'],
  tempo: ['endpoint'],
  otlp: ['endpoint'],
};

export const traceSourceSchema = z
  .object(
    {
      type: oneOf(TRACE_SOURCE_TYPES, 'a source type'),
      path: str('a trace file or glob like "traces/*.json" (relative to the test file)').min(1, 'must not be empty').optional(),
      endpoint: str('a URL like "http://jaeger:16686"').min(1, 'must not be empty').optional(),
      service: str('a service name like "api"').min(1, 'must not be empty').optional(),
      limit: count('a number of traces').optional(),
      runs: count('a number of stored runs').optional(),
    },
    shape('a source like { type = "file", path = "traces/*.json" }'),
  )
  .superRefine((source, ctx) => {
    const type = source.type.toLowerCase() as (typeof TRACE_SOURCE_TYPES)[number];
    for (const key of SOURCE_NEEDS[type] ?? []) {
      if (source[key as keyof typeof source] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `is required for a ${type} source` });
    }
    if (source.limit !== undefined && type !== 'jaeger' && type !== 'tempo') ctx.addIssue({ code: 'custom', path: ['limit'], message: 'is for a jaeger or tempo source only (how many traces to fetch)' });
  });

export const traceAnalysisSchema = z.object(
  {
    sources: z.array(traceSourceSchema, shape('an array of sources like [{ type = "file", path = "traces/*.json" }]')).optional(),
    config: z
      .object(
        {
          extract_patterns: bool().optional(),
          pattern_min_frequency: share('a share of runs').optional(),
          critical_path_detection: bool().optional(),
          latency_threshold_p95: num('a latency in ms like 500').min(0, 'must not be negative').optional(),
          error_pattern_extraction: bool().optional(),
          min_error_samples: count('a number of runs').optional(),
          resource_profiling: bool().optional(),
          metrics: strArray('an array of metrics like ["cpu", "memory"]').optional(),
        },
        shape('a table [intelligence.trace_analysis.config]'),
      )
      .optional(),
  },
  shape('a table [intelligence.trace_analysis]'),
);

export const synthesizeSchema = z.object(
  {
    type: str('a synthesis type like "timing_bounds"').min(1, 'must not be empty'),
    learn_from: str('a trace set like "successful_traces"').optional(),
    percentile: num('a percentile from 1 to 100, like 95').min(1, 'must be a percentile from 1 to 100').max(100, 'must be a percentile from 1 to 100').optional(),
    buffer_factor: num('a factor from 1 to 100, like 1.5').min(1, 'must be at least 1 (bounds are widened, never narrowed)').max(100, 'must be at most 100').optional(),
    metrics: strArray().optional(),
    required_attrs: strArray().optional(),
  },
  shape('a table like { type = "timing_bounds", buffer_factor = 1.5 }'),
);

export const assertionsSchema = z
  .object(
    {
      synthesis_mode: str('a mode like "smart"').optional(),
      confidence_threshold: share('a confidence').optional(),
      min_support: count('a number of runs').optional(),
      synthesize: z.array(synthesizeSchema, shape('an array of tables [[intelligence.assertions.synthesize]]')).optional(),
    },
    shape('a table [intelligence.assertions]'),
  )
  .superRefine((a, ctx) => {
    const timing = (a.synthesize ?? []).flatMap((s, i) => (s.type.toLowerCase() === 'timing_bounds' ? [i] : []));
    if (timing.length > 1) ctx.addIssue({ code: 'custom', path: ['synthesize', timing[1]!, 'type'], message: 'is the second timing_bounds entry; give one (it sets the buffer factor)' });
  });

export const generationRuleSchema = z.object(
  {
    type: oneOf(GENERATION_RULE_TYPES, 'a rule type'),
    description: str().optional(),
    min_frequency: share('a share of runs').optional(),
    include_variations: bool().optional(),
    error_types: strArray('an array of error types like ["timeout"]').optional(),
    metrics: strArray('an array of metrics like ["latency"]').optional(),
    tolerance: num('a tolerance like 0.1 (10 %)').min(0, 'must not be negative').max(99, 'must be at most 99').optional(),
  },
  shape('a table like { type = "common_path_coverage", min_frequency = 0.05 }'),
);

export const generationSchema = z
  .object(
    {
      mode: str('a mode like "pattern_based"').optional(),
      min_pattern_frequency: share('a share of runs').optional(),
      include_error_scenarios: bool().optional(),
      confidence_threshold: share('a confidence').optional(),
      output_dir: str('a folder like "tests/generated"').min(1, 'must not be empty').optional(),
      rule: z.array(generationRuleSchema, shape('an array of tables [[intelligence.generation.rule]]')).optional(),
      output: z
        .object(
          {
            format: oneOf(['clnrm_toml'], 'an output format').optional(),
            directory: str('a folder like "tests/generated"').min(1, 'must not be empty').optional(),
            naming_pattern: str('a pattern like "gen_{pattern_id}.clnrm.toml"').optional(),
          },
          shape('a table [intelligence.generation.output]'),
        )
        .optional(),
    },
    shape('a table [intelligence.generation]'),
  )
  .superRefine((g, ctx) => {
    if (g.output_dir !== undefined && g.output?.directory !== undefined && g.output_dir !== g.output.directory) {
      ctx.addIssue({ code: 'custom', path: ['output_dir'], message: 'disagrees with [intelligence.generation.output] directory; give one of them' });
    }
    const seen = new Set<string>();
    (g.rule ?? []).forEach((r, i) => {
      const type = r.type.toLowerCase();
      if (seen.has(type)) ctx.addIssue({ code: 'custom', path: ['rule', i, 'type'], message: `is the second ${type} rule; give each rule type once` });
      seen.add(type);
    });
  });

export const intelligenceSchema = z.object(
  {
    enabled: bool().optional(),
    learn_patterns: bool().optional(),
    generate_tests: bool().optional(),
    trace_analysis: traceAnalysisSchema.optional(),
    assertions: assertionsSchema.optional(),
    generation: generationSchema.optional(),
    feedback_loop: anyMap().optional(),
    persistence: anyMap().optional(),
  },
  shape('a table [intelligence]'),
);

export type IntelligenceSection = z.infer<typeof intelligenceSchema>;
export type TraceSourceSection = z.infer<typeof traceSourceSchema>;
