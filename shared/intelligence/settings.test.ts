// The seed's `[intelligence]` sections: parsed with positions, ranges checked, read into settings, and
// every part not acted on named by a `spec.not-yet` warning.
import { describe, expect, it } from 'vitest';
import { parseTestFile } from '../spec/parse';
import { HEAD, errorsOf, warningsOf } from '../spec/test-helpers';
import { intelligenceSettings } from './settings';

const SEED = `${HEAD}
[intelligence]
enabled = true

[intelligence.trace_analysis]
sources = [
    { type = "file", path = "traces/*.json" },
    { type = "jaeger", endpoint = "http://jaeger:16686", service = "api", limit = 50 },
    { type = "store", runs = 30 },
]

[intelligence.trace_analysis.config]
pattern_min_frequency = 0.05
min_error_samples = 2

[intelligence.assertions]
confidence_threshold = 0.95
min_support = 3

[[intelligence.assertions.synthesize]]
type = "timing_bounds"
percentile = 95
buffer_factor = 2.0

[intelligence.generation]
confidence_threshold = 0.9

[[intelligence.generation.rule]]
type = "common_path_coverage"
min_frequency = 0.1

[[intelligence.generation.rule]]
type = "performance_baseline"
tolerance = 0.25

[intelligence.generation.output]
format = "clnrm_toml"
directory = "tests/generated"
`;

describe('[intelligence] settings', () => {
  it('reads the seed form into what suggest and generate act on, with no warning', () => {
    const r = parseTestFile(SEED, { file: 't.clnrm.toml' });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const s = intelligenceSettings(r.tests[0]!.intelligence);
    expect(s.sources.map((x) => x.type)).toEqual(['file', 'jaeger', 'store']);
    expect(s).toMatchObject({ minConfidence: 0.95, minSupport: 3, bufferFactor: 2, patternMinFrequency: 0.05 });
    expect([...s.generation.kinds].sort()).toEqual(['common_path', 'performance_baseline']);
    expect(s.generation).toMatchObject({ minFrequency: 0.1, minErrorSamples: 2, minConfidence: 0.9, outDir: 'tests/generated', baselineBuffer: 1.25 });
  });

  it('without rules generates every kind; include_error_scenarios = false drops error files; enabled = false turns it all off', () => {
    const all = intelligenceSettings({ generation: { min_pattern_frequency: 0.2, output_dir: 'gen' } });
    expect([...all.generation.kinds].sort()).toEqual(['common_path', 'error_pattern', 'performance_baseline']);
    expect(all.generation).toMatchObject({ minFrequency: 0.2, outDir: 'gen' });
    expect(intelligenceSettings({ generation: { include_error_scenarios: false } }).generation.kinds.has('error_pattern')).toBe(false);
    expect(intelligenceSettings({ enabled: false, assertions: { confidence_threshold: 0.5 } }).minConfidence).toBeUndefined();
  });

  it('refuses values out of range and sources missing what they need, at their position', () => {
    const errors = errorsOf(`${HEAD}
[intelligence.trace_analysis]
sources = [{ type = "jaeger" }, { type = "file", path = "a.json", limit = 3 }, { type = "ftp", path = "x" }]

[intelligence.trace_analysis.config]
pattern_min_frequency = 1.5

[intelligence.assertions]
confidence_threshold = -0.1

[[intelligence.assertions.synthesize]]
type = "timing_bounds"
buffer_factor = 0.5

[[intelligence.generation.rule]]
type = "common_path_coverage"

[[intelligence.generation.rule]]
type = "common_path_coverage"
`);
    expect(errors).toEqual([
      expect.stringMatching(/^10:12 toml.shape `intelligence.trace_analysis.sources\[0\].endpoint` is required for a jaeger source/),
      expect.stringMatching(/^10:75 toml.shape `intelligence.trace_analysis.sources\[1\].limit` is for a jaeger or tempo source/),
      expect.stringMatching(/^10:89 toml.shape `intelligence.trace_analysis.sources\[2\].type` must be one of "file", "store", "jaeger", "tempo", "otlp"/),
      expect.stringMatching(/^13:25 toml.shape `intelligence.trace_analysis.config.pattern_min_frequency` must be a share of runs from 0 to 1/),
      expect.stringMatching(/^16:24 toml.shape `intelligence.assertions.confidence_threshold` must be a confidence from 0 to 1/),
      expect.stringMatching(/^20:17 toml.shape `intelligence.assertions.synthesize\[0\].buffer_factor` must be at least 1/),
      expect.stringMatching(/^26:8 toml.shape `intelligence.generation.rule\[1\].type` is the second common_path_coverage rule/),
    ]);
  });

  it('names every part it does not act on (spec.not-yet), never silent', () => {
    const w = warningsOf(`${HEAD}
[intelligence]
learn_patterns = true

[intelligence.trace_analysis]
sources = [{ type = "otlp", endpoint = "http://collector:4318" }]

[intelligence.trace_analysis.config]
critical_path_detection = true

[[intelligence.assertions.synthesize]]
type = "span_topology"

[[intelligence.assertions.synthesize]]
type = "timing_bounds"
percentile = 99

[intelligence.generation.output]
naming_pattern = "gen_{pattern_id}_{timestamp}.clnrm.toml"
`);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^10:1 spec.not-yet \[intelligence\] learn_patterns, trace_analysis.sources\[0\].type, trace_analysis.config.critical_path_detection, assertions.synthesize\[0\].type, assertions.synthesize\[1\].percentile, generation.output.naming_pattern/);
  });
});
