// A test file's `[intelligence]` read once into what `clnrm suggest` and `clnrm generate` act on: where
// runs come from, the thresholds and buffer factor of mining, and which files generation writes.
// Command-line flags override every value here; `enabled = false` turns the whole section off.
import type { IntelligenceSection, TraceSourceSection } from '../spec/schema/intelligence';

export type GenerationKind = 'common_path' | 'error_pattern' | 'performance_baseline';

export interface TraceSourceSetting {
  readonly type: 'file' | 'store' | 'jaeger' | 'tempo' | 'otlp';
  readonly path?: string;
  readonly endpoint?: string;
  readonly service?: string;
  readonly limit?: number;
  readonly runs?: number;
}

export interface GenerationSettings {
  /** What files generation writes (common paths, error patterns) and whether they carry duration bounds. */
  readonly kinds: ReadonlySet<GenerationKind>;
  /** Share of runs a structure group needs to get its own file. */
  readonly minFrequency?: number;
  /** Runs an error pattern needs to get its own file. */
  readonly minErrorSamples?: number;
  readonly minConfidence?: number;
  readonly outDir?: string;
  /** Buffer factor of the baseline duration bounds (1 + the rule's tolerance). */
  readonly baselineBuffer?: number;
}

export interface IntelligenceSettings {
  readonly sources: readonly TraceSourceSetting[];
  readonly minConfidence?: number;
  readonly minSupport?: number;
  readonly bufferFactor?: number;
  /** Structure groups rarer than this are not listed as common paths. */
  readonly patternMinFrequency?: number;
  readonly generation: GenerationSettings;
}

const ALL_KINDS: ReadonlySet<GenerationKind> = new Set(['common_path', 'error_pattern', 'performance_baseline']);
const RULE_KIND: Record<string, GenerationKind> = { common_path_coverage: 'common_path', error_reproduction: 'error_pattern', performance_baseline: 'performance_baseline' };

export const NO_INTELLIGENCE_SETTINGS: IntelligenceSettings = { sources: [], generation: { kinds: ALL_KINDS } };

function source(s: TraceSourceSection): TraceSourceSetting {
  return { ...s, type: s.type.toLowerCase() as TraceSourceSetting['type'] };
}

function generationSettings(section: IntelligenceSection): GenerationSettings {
  const g = section.generation ?? {};
  const rules = new Map((g.rule ?? []).map((r) => [RULE_KIND[r.type.toLowerCase()]!, r]));
  const kinds = new Set(rules.size ? rules.keys() : ALL_KINDS);
  if (g.include_error_scenarios === true) kinds.add('error_pattern');
  if (g.include_error_scenarios === false) kinds.delete('error_pattern');
  const minFrequency = rules.get('common_path')?.min_frequency ?? g.min_pattern_frequency ?? section.trace_analysis?.config?.pattern_min_frequency;
  const tolerance = rules.get('performance_baseline')?.tolerance;
  const minErrorSamples = section.trace_analysis?.config?.min_error_samples;
  const outDir = g.output?.directory ?? g.output_dir;
  return {
    kinds,
    ...(minFrequency !== undefined ? { minFrequency } : {}),
    ...(minErrorSamples !== undefined ? { minErrorSamples } : {}),
    ...(g.confidence_threshold !== undefined ? { minConfidence: g.confidence_threshold } : {}),
    ...(outDir !== undefined ? { outDir } : {}),
    ...(tolerance !== undefined ? { baselineBuffer: 1 + tolerance } : {}),
  };
}

export function intelligenceSettings(section: IntelligenceSection | undefined): IntelligenceSettings {
  if (!section || section.enabled === false) return NO_INTELLIGENCE_SETTINGS;
  const a = section.assertions;
  const timing = a?.synthesize?.find((s) => s.type.toLowerCase() === 'timing_bounds');
  const frequency = section.trace_analysis?.config?.pattern_min_frequency;
  return {
    sources: (section.trace_analysis?.sources ?? []).map(source),
    ...(a?.confidence_threshold !== undefined ? { minConfidence: a.confidence_threshold } : {}),
    ...(a?.min_support !== undefined ? { minSupport: a.min_support } : {}),
    ...(timing?.buffer_factor !== undefined ? { bufferFactor: timing.buffer_factor } : {}),
    ...(frequency !== undefined ? { patternMinFrequency: frequency } : {}),
    generation: generationSettings(section),
  };
}
