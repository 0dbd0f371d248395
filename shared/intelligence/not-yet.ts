// The parts of an `[intelligence]` section that `clnrm suggest` and `clnrm generate` do not act on yet,
// with where they are, so `validate` and `run` say so (`spec.not-yet`) instead of ignoring them silently.
// What is acted on: shared/intelligence/settings.ts.
import type { IntelligenceSection } from '../spec/schema/intelligence';

type KeyPath = (string | number)[];

const TOP_LEVEL = ['learn_patterns', 'generate_tests', 'feedback_loop', 'persistence'] as const;
const ANALYSIS_CONFIG = ['extract_patterns', 'critical_path_detection', 'latency_threshold_p95', 'error_pattern_extraction', 'resource_profiling', 'metrics'] as const;
const TIMING_KEYS = ['learn_from', 'metrics', 'required_attrs'] as const;
const RULE_KEYS = ['include_variations', 'error_types', 'metrics'] as const;
/** Mined duration bounds use the 95th percentile (shared/intelligence/confidence.ts). */
const MINED_PERCENTILE = 95;

function present<T extends object>(table: T | undefined, keys: readonly (keyof T & string)[], at: KeyPath): KeyPath[] {
  return table ? keys.filter((k) => table[k] !== undefined).map((k) => [...at, k]) : [];
}

function assertionsNotActedOn(a: NonNullable<IntelligenceSection['assertions']>): KeyPath[] {
  const out = present(a, ['synthesis_mode'], ['assertions']);
  a.synthesize?.forEach((s, i) => {
    const at = ['assertions', 'synthesize', i];
    // Every kind is mined regardless; only timing_bounds has settings (its buffer factor).
    if (s.type.toLowerCase() !== 'timing_bounds') out.push([...at, 'type']);
    else {
      out.push(...present(s, TIMING_KEYS, at));
      if (s.percentile !== undefined && s.percentile !== MINED_PERCENTILE) out.push([...at, 'percentile']);
    }
  });
  return out;
}

function generationNotActedOn(g: NonNullable<IntelligenceSection['generation']>): KeyPath[] {
  const out = present(g, ['mode'], ['generation']);
  g.rule?.forEach((r, i) => out.push(...present(r, RULE_KEYS, ['generation', 'rule', i])));
  // Names are deterministic (generate --help says how): a pattern with {timestamp} would break that.
  out.push(...present(g.output, ['naming_pattern'], ['generation', 'output']));
  return out;
}

/** Key paths under `intelligence` (segments) that are validated but not acted on. */
export function intelligenceNotActedOn(section: IntelligenceSection): KeyPath[] {
  if (section.enabled === false) return [];
  const out = present(section, TOP_LEVEL, []);
  section.trace_analysis?.sources?.forEach((s, i) => {
    if (s.type.toLowerCase() === 'otlp') out.push(['trace_analysis', 'sources', i, 'type']);
  });
  out.push(...present(section.trace_analysis?.config, ANALYSIS_CONFIG, ['trace_analysis', 'config']));
  if (section.assertions) out.push(...assertionsNotActedOn(section.assertions));
  if (section.generation) out.push(...generationNotActedOn(section.generation));
  return out;
}
